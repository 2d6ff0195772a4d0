// The MQTT driver's settings: the broker connection and the sensors, read from the [[driver]]
// settings table as JSON (sdk/docs/mqtt-driver.md describes every key).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ccoc::mqtt {

enum class PayloadFormat { Zigbee2Mqtt, Shelly, Plain, Json };

// One value of a payload that the driver watches: where it is, what it means, what it raises.
struct FieldMapping {
    std::string field;                        // JSON field (dotted path "state.contact"); empty: the whole payload
    std::string stateKey;                     // retained state key under the device ("contact")
    std::string alarmType;                    // "door", "motion", ...
    nlohmann::json activeValue;               // the value that means "raised" (false for a contact)
    std::optional<nlohmann::json> inactiveValue; // the value that means "normal"; absent: any other value
};

struct SensorSettings {
    std::string device;             // bus device id
    PayloadFormat format = PayloadFormat::Zigbee2Mqtt;
    std::string stateTopic;         // where the sensor publishes its state
    std::string availabilityTopic;  // where it says online/offline; empty: none
    std::string point;              // optional alarm sub-point
    std::string label;              // for texts: the sensor's name on MQTT ("front_door")
    std::vector<FieldMapping> fields; // zigbee2mqtt and json: the fields watched
    // plain and shelly: the one value of the payload
    std::string alarmType;
    std::string stateKey;
    bool invert = false;            // plain and shelly: the payload's "on" means normal
    // Shelly Gen2 (Plus, Pro) with factory settings: the JSON-RPC notifications on
    // <id>/events/rpc (NotifyStatus, NotifyFullStatus, NotifyEvent), of this component only.
    bool shellyRpc = false;
    std::string shellyComponent;    // "input:0", "switch:1"
};

// MQTT over TLS (libmosquitto): what the [driver.settings] TLS keys say.
struct TlsSettings {
    bool enabled = false;
    std::string caFile;       // PEM file of the CA(s) that signed the broker's certificate
    std::string caPath;       // or a folder of CA certificates (c_rehash'ed)
    std::string certFile;     // client certificate (PEM), with keyFile; empty: none
    std::string keyFile;
    std::string keyPassword;  // from key_password_env; never logged
    std::string version;      // "tlsv1.2", "tlsv1.3"; empty: libmosquitto's default (1.2 or newer)
    bool insecure = false;    // true: no host name verification (logged as a warning)
};

struct MqttSettings {
    std::string host = "127.0.0.1";
    int port = 1883;                // 8883 by default with tls = true
    std::string clientId;           // default "ccoc-" + driver id
    // true: clean session off, so the broker keeps the driver's subscriptions and queues QoS 1 messages
    // for it while it is away (restart, link down), and delivers them when it connects again.
    bool persistentSession = true;
    std::string username;
    std::string password;           // never logged
    int keepaliveSec = 30;
    int reconnectMinMs = 500;
    int reconnectMaxMs = 30000;
    std::string zigbee2mqttBase = "zigbee2mqtt";
    TlsSettings tls;
    std::vector<SensorSettings> sensors;

    // Every device id the sensors name, each once, in order of first appearance.
    [[nodiscard]] std::vector<std::string> devices() const;
};

// What reading the settings gave: settings, or every mistake found ("sensor[2] (door-front):
// 'format' is "zigbe2mqtt"; expected one of: zigbee2mqtt, shelly, plain, json").
struct SettingsResult {
    MqttSettings settings;
    std::vector<std::string> errors;
    [[nodiscard]] bool ok() const noexcept { return errors.empty(); }
};

// Reads the settings table (JSON text). `getenv` looks up environment variables (password_env,
// key_password_env); the TLS files named are checked here (exist, readable, PEM of the right kind);
// `driverId` gives the default client id (none when empty). `where` gives a key's "FILE:LINE:COL"
// (the settings service's `where`): each mistake starts with that of its key, or of the table for a
// missing key, when known. Never throws on bad input: mistakes are in errors.
SettingsResult readSettings(const std::string& settingsJson, const std::string& driverId,
                            const std::function<std::optional<std::string>(const std::string&)>& getenv,
                            const std::function<std::string(const std::string& key)>& where = {});

// The built-in Zigbee2MQTT fields (contact, occupancy, tamper, water_leak, smoke).
std::vector<FieldMapping> zigbee2mqttFields();

const char* formatName(PayloadFormat format);

} // namespace ccoc::mqtt
