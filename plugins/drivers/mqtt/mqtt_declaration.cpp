// The MQTT driver's settings, declared once (ccoc/settings.hpp): ccoc-host --check and ccoc-driverd
// check a site's [[driver]] settings against it before the driver starts, and the docs' table is
// generated from it. What a declaration cannot say (a sensor's format decides which keys it needs,
// a topic has no wildcard, a TLS file exists and holds PEM) mqtt_settings.cpp and
// mqtt_tls_settings.cpp check, at the same FILE:LINE:COL.
#include "mqtt_declaration.hpp"

namespace ccoc::mqtt {

const settings::Declarations& mqttDeclarations()
{
    using settings::Declaration;
    static const settings::Declarations declarations{
        Declaration::driver("mqtt", "MQTT sensors (Zigbee2MQTT, Shelly, plain and JSON payloads) as alarms and state")
            .string("host", "The MQTT broker's host name or address").byDefault("\"127.0.0.1\"").notEmpty()
            .integer("port", "The broker's port (8883 by default with tls = true)").range(1, 65535).byDefault("1883")
            .string("client_id", "MQTT client id; default \"ccoc-\" + the driver's id")
            .boolean("persistent_session", "Clean session off: the broker keeps subscriptions and QoS 1 messages while "
                                           "the driver is away").byDefault("true")
            .string("username", "MQTT user name")
            .string("password", "MQTT password in the file (prefer password_env)").secret()
            .envName("password_env", "Environment variable holding the MQTT password")
            .integer("keepalive_s", "MQTT keep-alive interval").range(5, 3600).byDefault("30")
            .integer("reconnect_min_ms", "First delay before connecting again").range(50, 600000).byDefault("500")
            .integer("reconnect_max_ms", "Longest delay before connecting again").range(50, 600000).byDefault("30000")
            .string("zigbee2mqtt_base", "Zigbee2MQTT's base topic").byDefault("\"zigbee2mqtt\"").notEmpty()
            .boolean("tls", "Connect over TLS").byDefault("false")
            .string("ca_file", "Absolute path of the PEM file of the CA(s) that signed the broker's certificate")
            .string("ca_path", "Absolute path of a folder of CA certificates (c_rehash'ed)")
            .string("cert_file", "Absolute path of this driver's client certificate (PEM), with key_file")
            .string("key_file", "Absolute path of the client certificate's private key (PEM)")
            .envName("key_password_env", "Environment variable holding the password of an encrypted key_file")
            .choice("tls_version", {"tlsv1.2", "tlsv1.3"}, "Lowest TLS version; default libmosquitto's (1.2 or newer)")
            .boolean("tls_insecure", "No host name verification of the broker's certificate (a warning)")
            .byDefault("false")
            .tables("sensor", "The sensors: [[driver.settings.sensor]], one per sensor").required()
            .string("sensor.*.device", "Bus device id of the sensor").required().notEmpty()
            .choice("sensor.*.format", {"zigbee2mqtt", "shelly", "plain", "json"}, "The payload's format")
            .byDefault("\"zigbee2mqtt\"")
            .string("sensor.*.type", "Alarm type it raises (door, motion, intrusion, water, smoke, tamper, fire, "
                                     "... or vendor.NAME)")
            .string("sensor.*.point", "Alarm sub-point")
            .string("sensor.*.name", "The sensor's name on MQTT (zigbee2mqtt: its friendly name)")
            .string("sensor.*.state_topic", "Topic of the sensor's state (no + or #)")
            .string("sensor.*.availability_topic", "Topic where it says online/offline")
            .string("sensor.*.shelly", "Shelly device id (shelly format)")
            .string("sensor.*.channel", "Shelly channel (Gen1 \"sensor/door\") or component (Gen2 \"input:0\")")
            .integer("sensor.*.gen", "Shelly generation").range(1, 2).byDefault("1")
            .boolean("sensor.*.invert", "plain and shelly: the payload's \"on\" means normal").byDefault("false")
            .string("sensor.*.field", "json: the JSON field holding the value (\"contact\", \"status.door\")")
            .scalar("sensor.*.active_value", "json: the field's value that raises the alarm (true, \"open\", 1)")
            .scalar("sensor.*.inactive_value", "json: the field's value that means normal; absent: any other value")
            .string("sensor.*.state_key", "Retained state key under the device (default from the type)"),
        // The sensors are in the driver's own settings; a [[device]] of this driver has none.
        Declaration::device("mqtt", "The MQTT driver's [[device]] entries take no settings of the driver"),
    };
    return declarations;
}

} // namespace ccoc::mqtt

CCOC_SETTINGS_DECLARATIONS(ccoc::mqtt::mqttDeclarations())
