// The mqtt driver end to end: a real mosquitto, sensors played by mosquitto_pub, the driver in
// ccoc-driverd, and what reaches the bus (alarm events, retained state) seen by a bus client.
#include "mqtt_test_rig.hpp"

#include <csignal>

using namespace ccoc::mqtttest;

namespace {

bool isAlarm(const Json& alarm, const std::string& type, bool active)
{
    return alarm.value("type", "") == type && alarm.value("active", !active) == active;
}

} // namespace

TEST_CASE("alarm_mqtt/zigbee2mqtt contact: open raises a door alarm once, closed restores it, state is retained")
{
    // mosquitto takes only user ccoc with its password, which the driver reads from the environment.
    MqttRig rig({kZigbeeDoor, "username = \"ccoc\"\npassword_env = \"CCOC_TEST_MQTT_PASSWORD\"\n", {},
                 {{"CCOC_TEST_MQTT_PASSWORD", "pw-7Hq2xZ"}}, {{"ccoc", "pw-7Hq2xZ"}}});
    REQUIRE(rig.waitSubscribed());
    REQUIRE(rig.waitState("door-front/online", true));

    // Zigbee2MQTT repeats its full state: the second identical report is no new alarm.
    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":false,"battery":97,"linkquality":120})");
    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":false,"battery":97,"linkquality":118})");
    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":true,"battery":97})");
    const auto restore = rig.waitAlarm("door-front", "door", false);
    REQUIRE(restore.has_value());
    CHECK((*restore)["code"] == "contact=true");
    CHECK((*restore)["point"] == "001");
    const auto open = rig.waitAlarm("door-front", "door", true, 1s);
    REQUIRE(open.has_value());
    CHECK(*open == Json({{"type", "door"}, {"active", true}, {"point", "001"}, {"text", "front_door: open"},
                         {"code", "contact=false"}}));
    CHECK(rig.countAlarms("door-front", [](const Json& a) { return isAlarm(a, "door", true); }) == 1);
    CHECK(rig.waitState("door-front/contact", Json({{"active", false}, {"open", false}, {"value", true}})));

    // The password came from the environment and is in no log line.
    rig.checkCleanStop();
    CHECK(rig.driver->output().find("pw-7Hq2xZ") == std::string::npos);
}

TEST_CASE("alarm_mqtt/zigbee2mqtt occupancy and water_leak raise motion and water alarms and their restores")
{
    MqttRig rig(R"(
[[driver.settings.sensor]]
device = "pir-hall"
name = "hall_motion"

[[driver.settings.sensor]]
device = "leak-cell"
name = "cell_leak"
)");
    REQUIRE(rig.waitSubscribed());
    rig.mqtt.publish("zigbee2mqtt/hall_motion", R"({"occupancy":true,"illuminance":12})");
    rig.mqtt.publish("zigbee2mqtt/cell_leak", R"({"water_leak":true,"battery":80})");
    const auto motion = rig.waitAlarm("pir-hall", "motion", true);
    REQUIRE(motion.has_value());
    CHECK((*motion)["text"] == "hall_motion: motion detected");
    REQUIRE(rig.waitAlarm("leak-cell", "water", true).has_value());
    rig.mqtt.publish("zigbee2mqtt/hall_motion", R"({"occupancy":false})");
    rig.mqtt.publish("zigbee2mqtt/cell_leak", R"({"water_leak":false})");
    CHECK(rig.waitAlarm("pir-hall", "motion", false).has_value());
    CHECK(rig.waitAlarm("leak-cell", "water", false).has_value());
    CHECK(rig.waitState("pir-hall/motion", Json({{"active", false}, {"value", false}})));
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/shelly and plain payloads: door open/close, input 1/0, Shelly online false, plain ON/OFF")
{
    MqttRig rig(R"(
[[driver.settings.sensor]]
device = "door-yard"
format = "shelly"
shelly = "shellydw2-A1B2C3"

[[driver.settings.sensor]]
device = "gate"
format = "shelly"
shelly = "shelly1-0F0F"
channel = "input/0"
type = "intrusion"

[[driver.settings.sensor]]
device = "panic-desk"
format = "plain"
type = "panic"
state_topic = "station/desk/panic"
)");
    REQUIRE(rig.waitSubscribed());
    rig.mqtt.publish("shellies/shellydw2-A1B2C3/sensor/door", "open");
    rig.mqtt.publish("shellies/shelly1-0F0F/input/0", "1");
    rig.mqtt.publish("station/desk/panic", "ON");
    const auto door = rig.waitAlarm("door-yard", "door", true);
    REQUIRE(door.has_value());
    CHECK((*door)["code"] == "open");
    CHECK(rig.waitAlarm("gate", "intrusion", true).has_value());
    CHECK(rig.waitAlarm("panic-desk", "panic", true).has_value());
    rig.mqtt.publish("shellies/shellydw2-A1B2C3/sensor/door", "close");
    rig.mqtt.publish("shellies/shelly1-0F0F/input/0", "0");
    rig.mqtt.publish("station/desk/panic", "OFF");
    CHECK(rig.waitAlarm("door-yard", "door", false).has_value());
    CHECK(rig.waitAlarm("gate", "intrusion", false).has_value());
    CHECK(rig.waitAlarm("panic-desk", "panic", false).has_value());

    // A Shelly's own last will says it is gone.
    rig.mqtt.publish("shellies/shellydw2-A1B2C3/online", "false");
    CHECK(rig.waitAlarm("door-yard", "device_fault", true).has_value());
    CHECK(rig.waitState("door-yard/online", false));
    CHECK(rig.state("gate/online") == std::optional<Json>(true));
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/shelly gen2: a factory-set Plus's events/rpc NotifyStatus and NotifyEvent raise and restore")
{
    // The documented configuration of a Shelly Plus input, nothing turned on at the device.
    MqttRig rig(R"(
[[driver.settings.sensor]]
device = "door-plus"
format = "shelly"
gen = 2
shelly = "shellyplus1-a8032ab12345"
type = "door"

[[driver.settings.sensor]]
device = "panic-plus"
format = "shelly"
gen = 2
shelly = "shellyplusi4-c4d8d5000001"
channel = "input:1"
type = "panic"
)");
    REQUIRE(rig.waitSubscribed());
    // What a Plus 1 sends when its input closes: the status change, and the device's other
    // notifications (sys, wifi) on the same topic, which concern no sensor.
    rig.mqtt.publish("shellyplus1-a8032ab12345/events/rpc",
                     R"({"src":"shellyplus1-a8032ab12345","dst":"shellyplus1-a8032ab12345/events","method":"NotifyStatus",)"
                     R"("params":{"ts":1733312345.67,"sys":{"available_updates":{}}}})");
    rig.mqtt.publish("shellyplus1-a8032ab12345/events/rpc",
                     R"({"src":"shellyplus1-a8032ab12345","dst":"shellyplus1-a8032ab12345/events","method":"NotifyStatus",)"
                     R"("params":{"ts":1733312346.01,"input:0":{"id":0,"state":true}}})");
    const auto open = rig.waitAlarm("door-plus", "door", true);
    REQUIRE(open.has_value());
    CHECK((*open)["code"] == "input:0 state=true");
    rig.mqtt.publish("shellyplus1-a8032ab12345/events/rpc",
                     R"({"src":"shellyplus1-a8032ab12345","dst":"shellyplus1-a8032ab12345/events","method":"NotifyStatus",)"
                     R"("params":{"ts":1733312350.22,"input:0":{"id":0,"state":false}}})");
    CHECK(rig.waitAlarm("door-plus", "door", false).has_value());
    CHECK(rig.waitState("door-plus/contact", Json({{"active", false}, {"open", false}, {"value", false}})));

    // An i4 in button mode: a push on input 1 (input 0's push is another sensor's business).
    rig.mqtt.publish("shellyplusi4-c4d8d5000001/events/rpc",
                     R"({"src":"shellyplusi4-c4d8d5000001","dst":"shellyplusi4-c4d8d5000001/events","method":"NotifyEvent",)"
                     R"("params":{"ts":1733312360.50,"events":[{"component":"input:0","id":0,"event":"single_push",)"
                     R"("ts":1733312360.50}]}})");
    rig.mqtt.publish("shellyplusi4-c4d8d5000001/events/rpc",
                     R"({"src":"shellyplusi4-c4d8d5000001","dst":"shellyplusi4-c4d8d5000001/events","method":"NotifyEvent",)"
                     R"("params":{"ts":1733312361.10,"events":[{"component":"input:1","id":1,"event":"single_push",)"
                     R"("ts":1733312361.10}]}})");
    const auto pushed = rig.waitAlarm("panic-plus", "panic", true);
    REQUIRE(pushed.has_value());
    CHECK((*pushed)["code"] == "input:1 single_push");
    CHECK(rig.waitAlarm("panic-plus", "panic", false).has_value());
    // A second push is a second alarm event, not lost as a repeat.
    rig.mqtt.publish("shellyplusi4-c4d8d5000001/events/rpc",
                     R"({"src":"shellyplusi4-c4d8d5000001","dst":"shellyplusi4-c4d8d5000001/events","method":"NotifyEvent",)"
                     R"("params":{"ts":1733312370.00,"events":[{"component":"input:1","id":1,"event":"long_push",)"
                     R"("ts":1733312370.00}]}})");
    CHECK(eventually([&] { return rig.countAlarms("panic-plus", [](const Json& a) { return isAlarm(a, "panic", true); }) == 2; },
                     10s));

    // Its last will on <id>/online.
    rig.mqtt.publish("shellyplus1-a8032ab12345/online", "false");
    CHECK(rig.waitAlarm("door-plus", "device_fault", true).has_value());
    CHECK(rig.driver->output().find("dropped MQTT message") == std::string::npos);
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/availability offline: online=false and device_fault, online again clears it")
{
    MqttRig rig(kZigbeeDoor);
    REQUIRE(rig.waitSubscribed());
    REQUIRE(rig.waitState("door-front/online", true));
    rig.mqtt.publish("zigbee2mqtt/front_door/availability", "offline");
    const auto fault = rig.waitAlarm("door-front", "device_fault", true);
    REQUIRE(fault.has_value());
    CHECK((*fault)["text"] == "door-front: sensor offline (zigbee2mqtt/front_door/availability)");
    CHECK(rig.waitState("door-front/online", false));
    // Zigbee2MQTT 1.x+ sends JSON availability.
    rig.mqtt.publish("zigbee2mqtt/front_door/availability", R"({"state":"online"})");
    CHECK(rig.waitAlarm("door-front", "device_fault", false).has_value());
    CHECK(rig.waitState("door-front/online", true));
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/broker stopped: device_fault for every sensor, restarted the driver reconnects by itself")
{
    MqttRig rig(kZigbeeDoor + R"(
[[driver.settings.sensor]]
device = "pir-1"
format = "plain"
type = "motion"
state_topic = "station/pir1"
)");
    REQUIRE(rig.waitSubscribed());
    REQUIRE(rig.waitState("pir-1/online", true));

    rig.mqtt.stop();
    for (const char* device : {"door-front", "pir-1"}) {
        INFO(device);
        const auto fault = rig.waitAlarm(device, "device_fault", true);
        REQUIRE(fault.has_value());
        CHECK((*fault)["text"].get<std::string>().find("MQTT broker 127.0.0.1:" + std::to_string(rig.mqtt.port()) +
                                                       " unreachable") != std::string::npos);
        CHECK(rig.waitState(std::string(device) + "/online", false));
    }

    rig.mqtt.start();
    REQUIRE(rig.waitSubscribed(2));
    CHECK(rig.waitAlarm("door-front", "device_fault", false).has_value());
    CHECK(rig.waitAlarm("pir-1", "device_fault", false).has_value());
    CHECK(rig.waitState("pir-1/online", true));
    rig.mqtt.publish("station/pir1", "1");
    CHECK(rig.waitAlarm("pir-1", "motion", true).has_value());
    CHECK(rig.driver->running());
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/malformed payloads are logged with their topic, rate-limited and dropped while the driver goes on")
{
    MqttRig rig(kZigbeeDoor + R"(
[[driver.settings.sensor]]
device = "pir-1"
format = "plain"
type = "motion"
state_topic = "station/pir1"
)");
    REQUIRE(rig.waitSubscribed());
    for (int i = 0; i < 3; ++i) {
        rig.mqtt.publish("zigbee2mqtt/front_door", "not json {");
    }
    rig.mqtt.publish("station/pir1", R"({"contact":"maybe"})");
    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":"yes"})");
    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":false})");
    REQUIRE(rig.waitAlarm("door-front", "door", true).has_value());

    const std::string log = rig.driver->output();
    INFO(log);
    CHECK(log.find("dropped MQTT message on 'zigbee2mqtt/front_door': payload \"not json {\" (10 bytes) is not a JSON "
                   "object; expected Zigbee2MQTT state") != std::string::npos);
    CHECK(log.find("dropped MQTT message on 'station/pir1': payload \"{\\\"contact\\\":\\\"maybe\\\"}\" (19 bytes) is "
                   "not a known state; expected ON/OFF") != std::string::npos);
    // Four bad messages on the door's topic within 10 s: one line.
    CHECK(occurrences(log, "dropped MQTT message on 'zigbee2mqtt/front_door'") == 1);
    CHECK(rig.countAlarms("door-front", [](const Json& a) { return a.value("type", "") == "door"; }) == 1);
    rig.mqtt.publish("station/pir1", "ON");
    CHECK(rig.waitAlarm("pir-1", "motion", true).has_value());
    CHECK(rig.driver->running());
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/bad settings: ccoc-driverd refuses to start and says where and what was expected")
{
    MqttRig rig(R"(
[[driver.settings.sensor]]
device = "door-x"
format = "zigbe2mqtt"
name = "x"
)");
    const auto code = rig.driver->wait(20s);
    INFO(rig.driver->output());
    REQUIRE(code.has_value());
    // Refused by ccoc-driverd against the driver's declaration, before the driver starts.
    CHECK(*code == 2);
    CHECK(rig.driver->output().find("'sensor[0].format' of [[driver]] '") != std::string::npos);
    CHECK(rig.driver->output().find("' is \"zigbe2mqtt\", a string, not one of the choices (did you mean \"zigbee2mqtt\"?); "
                                    "expected one of: zigbee2mqtt, shelly, plain, json") != std::string::npos);
}

TEST_CASE("alarm_mqtt/a broker refusing the password: device_fault says so and the log names no password")
{
    MqttRig rig({kZigbeeDoor, "username = \"ccoc\"\npassword_env = \"CCOC_TEST_MQTT_PASSWORD\"\n", {},
                 {{"CCOC_TEST_MQTT_PASSWORD", "wrong-pw-Zk81"}}, {{"ccoc", "right-pw-Qa55"}}});
    const auto fault = rig.waitAlarm("door-front", "device_fault", true);
    REQUIRE(fault.has_value());
    CHECK((*fault)["text"].get<std::string>().find("the broker refused the connection") != std::string::npos);
    REQUIRE(eventually([&] { return rig.driver->output().find("not authorised") != std::string::npos; }, 10s));
    rig.checkCleanStop();
    CHECK(rig.driver->output().find("wrong-pw-Zk81") == std::string::npos);
    CHECK(occurrences(rig.driver->output(), "subscribed to ") == 0);
}
