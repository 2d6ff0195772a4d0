#include "mqtt_settings.hpp"

#include "mqtt_tls_settings.hpp"
#include "settings_fields.hpp"

#include "ccoc/env_name.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

namespace ccoc::mqtt {
namespace {

using Json = nlohmann::json;

constexpr std::array kAlarmTypes = {"intrusion", "door",  "motion", "glass_break",    "panic",       "duress", "fire",
                                    "smoke",     "water", "tamper", "camera_offline", "device_fault"};

// Unknown keys, wrong types and ranges of single keys are the declaration's (mqtt_declaration.cpp):
// ccoc-host --check and ccoc-driverd refuse them before the driver starts. What is read here is
// still read defensively (a value of another type falls back to the default, and says so).

bool validAlarmType(const std::string& type)
{
    if (type.rfind("vendor.", 0) == 0) {
        return type.size() > 7;
    }
    return std::find(kAlarmTypes.begin(), kAlarmTypes.end(), type) != kAlarmTypes.end();
}

// A bus topic segment: 1..64 of A-Z a-z 0-9 - _ . : (not "." or "..").
bool validSegment(const std::string& text)
{
    if (text.empty() || text.size() > 64 || text == "." || text == "..") {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || c == ':';
    });
}

std::string defaultStateKey(const std::string& type)
{
    return type == "door" ? "contact" : type;
}

// Reads one sensor table; mistakes go to errors prefixed with where they are.
class SensorReader {
public:
    // `path`: the sensor's dotted path in the settings table ("sensor.0"), for positions.
    SensorReader(const Json& table, std::string where, std::string path, const detail::SettingsWhere& siteWhere,
                 const MqttSettings& top, std::vector<std::string>& errors)
        : table_(table), where_(std::move(where)), path_(std::move(path)), siteWhere_(siteWhere), top_(top),
          errors_(errors)
    {
    }

    SensorSettings read()
    {
        SensorSettings sensor;
        sensor.device = text("device");
        if (!validSegment(sensor.device)) {
            fail("device", "'device' is \"" + sensor.device + "\"",
                 "a device id of 1-64 letters, digits, '-', '_', '.', ':'");
        }
        const std::string format = text("format", "zigbee2mqtt");
        const std::string type = text("type");
        if (!type.empty() && !validAlarmType(type)) {
            fail("type", "'type' is \"" + type + "\"",
                 "an alarm type (door, motion, intrusion, water, smoke, tamper, fire, ... or vendor.NAME)");
        }
        sensor.point = text("point");
        sensor.stateTopic = text("state_topic");
        sensor.availabilityTopic = text("availability_topic");
        sensor.label = text("name");
        if (format == "zigbee2mqtt") {
            sensor.format = PayloadFormat::Zigbee2Mqtt;
            readZigbee2Mqtt(sensor, type);
        } else if (format == "shelly") {
            sensor.format = PayloadFormat::Shelly;
            readShelly(sensor, type);
        } else if (format == "plain") {
            sensor.format = PayloadFormat::Plain;
            readPlain(sensor, type);
        } else if (format == "json") {
            sensor.format = PayloadFormat::Json;
            readJson(sensor, type);
        } else {
            fail("format", "'format' is \"" + format + "\"", "one of: zigbee2mqtt, shelly, plain, json");
        }
        if (sensor.stateTopic.empty()) {
            fail("", "no state topic", "'state_topic' (or 'name' for zigbee2mqtt, 'shelly' for shelly)");
        }
        for (const auto& [key, topic] : {std::pair{"state_topic", &sensor.stateTopic},
                                         std::pair{"availability_topic", &sensor.availabilityTopic}}) {
            if (topic->find_first_of("+#") != std::string::npos) {
                fail(key, "topic \"" + *topic + "\" has a wildcard", "the one topic of this sensor, without + or #");
            }
        }
        if (sensor.label.empty()) {
            sensor.label = sensor.device;
        }
        return sensor;
    }

private:
    // `key`: the key of this sensor's table the mistake is about; "" for the table itself.
    void fail(const std::string& key, const std::string& what, const std::string& expected)
    {
        const std::string at = detail::wherePrefix(siteWhere_, key.empty() ? path_ : path_ + "." + key);
        errors_.push_back(at + where_ + ": " + what + "; expected " + expected);
    }

    std::string text(const char* key, const std::string& fallback = {})
    {
        return detail::textField(table_, key, fallback, failer());
    }

    bool flag(const char* key) { return detail::flagField(table_, key, failer()); }

    detail::FieldFail failer()
    {
        return [this](const std::string& key, const std::string& what, const std::string& expected) {
            fail(key, what, expected);
        };
    }

    void readZigbee2Mqtt(SensorSettings& sensor, const std::string& type)
    {
        if (sensor.stateTopic.empty() && !sensor.label.empty()) {
            sensor.stateTopic = top_.zigbee2mqttBase + "/" + sensor.label;
        }
        if (!table_.contains("availability_topic") && !sensor.stateTopic.empty()) {
            sensor.availabilityTopic = sensor.stateTopic + "/availability";
        }
        sensor.fields = zigbee2mqttFields();
        // The sensor's own type renames what its main field raises (a window contact: intrusion).
        if (!type.empty()) {
            for (auto& mapping : sensor.fields) {
                if (mapping.alarmType != "tamper") {
                    mapping.alarmType = type;
                }
            }
        }
    }

    void readShelly(SensorSettings& sensor, const std::string& type)
    {
        const std::string id = text("shelly");
        int64_t generation = 1;
        if (table_.contains("gen")) {
            if (!table_["gen"].is_number_integer() || (table_["gen"] != 1 && table_["gen"] != 2)) {
                fail("gen", "'gen' is " + table_["gen"].dump(), "1 or 2");
            } else {
                generation = table_["gen"].get<int64_t>();
            }
        }
        // Gen2: a component ("input:0") is read from the notifications a factory-set device sends
        // on <id>/events/rpc; "status/input:0" reads the retained status topic instead, which
        // the device publishes only with "generic status update over MQTT" turned on.
        const std::string channel = text("channel", generation == 1 ? "sensor/door" : "input:0");
        const bool rpc = generation == 2 && channel.find('/') == std::string::npos;
        if (rpc) {
            sensor.shellyRpc = true;
            sensor.shellyComponent = channel;
            if (channel.find(':') == std::string::npos) {
                fail("channel", "Gen2 channel '" + channel + "' names no component instance",
                     "a component like \"input:0\" or \"switch:0\", or \"status/input:0\" for the status topic");
            }
        }
        if (sensor.stateTopic.empty() && !id.empty()) {
            sensor.stateTopic = generation == 1 ? "shellies/" + id + "/" + channel
                                : rpc           ? id + "/events/rpc"
                                                : id + "/" + channel;
        }
        if (!table_.contains("availability_topic") && !id.empty()) {
            sensor.availabilityTopic = generation == 1 ? "shellies/" + id + "/online" : id + "/online";
        }
        if (sensor.label.empty()) {
            sensor.label = id;
        }
        // The channel names what a Gen1 sensor reports; an input needs the integrator's word.
        std::string inferred;
        const std::string leaf = channel.substr(channel.rfind('/') + 1);
        if (leaf == "door") {
            inferred = "door";
        } else if (leaf == "flood") {
            inferred = "water";
        } else if (leaf == "motion") {
            inferred = "motion";
        } else if (leaf == "smoke") {
            inferred = "smoke";
        } else if (leaf == "tamper" || leaf == "vibration") {
            inferred = "tamper";
        }
        sensor.alarmType = type.empty() ? inferred : type;
        if (sensor.alarmType.empty()) {
            fail("channel", "no 'type' for Shelly channel '" + channel + "'", "'type' (door, intrusion, panic, ...)");
        }
        sensor.stateKey = text("state_key", defaultStateKey(sensor.alarmType));
        sensor.invert = flag("invert");
    }

    void readPlain(SensorSettings& sensor, const std::string& type)
    {
        if (type.empty()) {
            fail("", "no 'type'", "'type': the alarm a plain sensor raises (door, motion, ...)");
        }
        sensor.alarmType = type;
        sensor.stateKey = text("state_key", defaultStateKey(type));
        sensor.invert = flag("invert");
    }

    void readJson(SensorSettings& sensor, const std::string& type)
    {
        FieldMapping mapping;
        mapping.field = text("field");
        if (mapping.field.empty()) {
            fail("field", "no 'field'", "'field': the JSON field holding the value (\"contact\" or \"status.door\")");
        }
        if (type.empty()) {
            fail("", "no 'type'", "'type': the alarm the field raises (door, motion, ...)");
        }
        if (!table_.contains("active_value") || table_["active_value"].is_structured()) {
            fail("active_value", "no 'active_value'",
                 "'active_value': the field's value that raises the alarm (true, \"open\", 1)");
        } else {
            mapping.activeValue = table_["active_value"];
        }
        if (table_.contains("inactive_value")) {
            mapping.inactiveValue = table_["inactive_value"];
        }
        mapping.alarmType = type;
        mapping.stateKey = text("state_key", defaultStateKey(type));
        sensor.fields.push_back(std::move(mapping));
    }

    const Json& table_;
    std::string where_;
    std::string path_;
    const detail::SettingsWhere& siteWhere_;
    const MqttSettings& top_;
    std::vector<std::string>& errors_;
};

} // namespace

std::vector<FieldMapping> zigbee2mqttFields()
{
    return {
        {"contact", "contact", "door", false, true},
        {"occupancy", "motion", "motion", true, false},
        {"water_leak", "water_leak", "water", true, false},
        {"smoke", "smoke", "smoke", true, false},
        {"tamper", "tamper", "tamper", true, false},
    };
}

const char* formatName(PayloadFormat format)
{
    switch (format) {
    case PayloadFormat::Zigbee2Mqtt:
        return "zigbee2mqtt";
    case PayloadFormat::Shelly:
        return "shelly";
    case PayloadFormat::Plain:
        return "plain";
    case PayloadFormat::Json:
        return "json";
    }
    return "?";
}

std::vector<std::string> MqttSettings::devices() const
{
    std::vector<std::string> ids;
    for (const auto& sensor : sensors) {
        if (std::find(ids.begin(), ids.end(), sensor.device) == ids.end()) {
            ids.push_back(sensor.device);
        }
    }
    return ids;
}

SettingsResult readSettings(const std::string& settingsJson, const std::string& driverId,
                            const std::function<std::optional<std::string>(const std::string&)>& getenv,
                            const detail::SettingsWhere& where)
{
    const auto at = [&where](const std::string& key) { return detail::wherePrefix(where, key); };
    SettingsResult result;
    MqttSettings& s = result.settings;
    auto& errors = result.errors;
    const Json table = Json::parse(settingsJson, nullptr, false);
    if (!table.is_object()) {
        errors.push_back("settings: not a JSON object; expected the [[driver]] settings table");
        return result;
    }
    const detail::FieldFail fail = [&](const std::string& key, const std::string& what, const std::string& expected) {
        errors.push_back(at(key) + "settings: " + what + "; expected " + expected);
    };
    const auto text = [&](const char* key, std::string& out) { out = detail::textField(table, key, out, fail); };
    const auto number = [&](const char* key, int& out, int low, int high) {
        if (!table.contains(key)) {
            return;
        }
        if (!table[key].is_number_integer() || table[key].get<int64_t>() < low || table[key].get<int64_t>() > high) {
            errors.push_back(at(key) + "settings: '" + key + "' is " + table[key].dump() + "; expected an integer " +
                             std::to_string(low) + ".." + std::to_string(high));
            return;
        }
        out = table[key].get<int>();
    };
    text("host", s.host);
    number("port", s.port, 1, 65535);
    text("client_id", s.clientId);
    if (s.clientId.empty() && !driverId.empty()) {
        s.clientId = "ccoc-" + driverId;
    }
    s.persistentSession = detail::flagField(table, "persistent_session", fail, s.persistentSession);
    text("username", s.username);
    // The password itself is never echoed in a message: only where it should have come from.
    if (table.contains("password")) {
        if (table["password"].is_string()) {
            s.password = table["password"].get<std::string>();
        } else {
            errors.push_back(at("password") + "settings: 'password' is not a string; expected a string");
        }
    }
    std::string passwordEnv;
    text("password_env", passwordEnv);
    if (!passwordEnv.empty()) {
        // Sometimes the password itself is typed here: never quote what is no variable's name.
        if (!isEnvName(passwordEnv)) {
            errors.push_back(at("password_env") +
                             "settings: 'password_env' is not a name of an environment variable (its value is not "
                             "shown: it may be the password); expected " + std::string(kEnvNameExpectation));
        } else if (auto value = getenv(passwordEnv)) {
            s.password = *value;
        } else {
            errors.push_back(at("password_env") + "settings: 'password_env' names " + passwordEnv +
                             ", which is not set; expected an environment variable holding the MQTT password");
        }
    }
    number("keepalive_s", s.keepaliveSec, 5, 3600);
    number("reconnect_min_ms", s.reconnectMinMs, 50, 600000);
    number("reconnect_max_ms", s.reconnectMaxMs, 50, 600000);
    s.reconnectMaxMs = std::max(s.reconnectMaxMs, s.reconnectMinMs);
    text("zigbee2mqtt_base", s.zigbee2mqttBase);
    readTlsSettings(table, s.tls, errors, getenv, where);
    // MQTT over TLS has its own registered port.
    if (s.tls.enabled && !table.contains("port")) {
        s.port = 8883;
    }

    const Json sensors = table.value("sensor", Json::array());
    if (!sensors.is_array()) {
        errors.push_back(at("sensor") +
                         "settings: 'sensor' is not an array; expected [[driver.settings.sensor]] tables");
        return result;
    }
    for (size_t i = 0; i < sensors.size(); ++i) {
        const Json& entry = sensors[i];
        std::string label = "sensor[" + std::to_string(i + 1) + "]";
        if (!entry.is_object()) {
            errors.push_back(at("sensor." + std::to_string(i)) + label +
                             ": not a table; expected a [[driver.settings.sensor]] table");
            continue;
        }
        if (entry.contains("device") && entry["device"].is_string()) {
            label += " (" + entry["device"].get<std::string>() + ")";
        }
        s.sensors.push_back(SensorReader(entry, label, "sensor." + std::to_string(i), where, s, errors).read());
    }
    if (s.sensors.empty() && errors.empty()) {
        errors.push_back(at("") +
                         "settings: no sensors; expected at least one [[driver.settings.sensor]] with a 'device'");
    }
    return result;
}

} // namespace ccoc::mqtt
