// The mqtt driver's persistent MQTT session, end to end: sensors (mosquitto_pub, QoS 1) publish
// while ccoc-driverd is stopped, the real mosquitto keeps the driver's session and queues them,
// and the restarted driver turns them into bus alarms like live ones. With persistent_session =
// false they are lost, which shows what the setting is for.
#include "mqtt_test_rig.hpp"

using namespace ccoc::mqtttest;

namespace {

// A door contact and a plain motion sensor: the second is the live "after the restart" marker.
const std::string kDoorAndPir = kZigbeeDoor + R"(
[[driver.settings.sensor]]
device = "pir-1"
format = "plain"
type = "motion"
state_topic = "station/pir1"
)";

bool isAlarm(const Json& alarm, const std::string& type, bool active)
{
    return alarm.value("type", "") == type && alarm.value("active", !active) == active;
}

// Connects once, then stops ccoc-driverd cleanly: the broker now holds (or not) its session.
void runAndStopDriver(MqttRig& rig)
{
    REQUIRE(rig.waitSubscribed());
    REQUIRE(rig.waitState("door-front/online", true));
    rig.checkCleanStop();
}

} // namespace

TEST_CASE("alarm_mqtt/persistent session: a QoS 1 alarm published while ccoc-driverd is stopped arrives after it restarts")
{
    MqttRig rig(kDoorAndPir);
    runAndStopDriver(rig);
    CHECK(rig.driver->output().find("new persistent session") != std::string::npos);

    // The door opens while no driver is connected: only the broker's queue holds it.
    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":false,"battery":90})");
    rig.startDriver();
    const auto open = rig.waitAlarm("door-front", "door", true);
    REQUIRE(open.has_value());
    CHECK(*open == Json({{"type", "door"}, {"active", true}, {"point", "001"}, {"text", "front_door: open"},
                         {"code", "contact=false"}}));
    CHECK(rig.waitState("door-front/contact", Json({{"active", true}, {"open", true}, {"value", false}})));
    const std::string log = rig.driver->output();
    INFO(log);
    CHECK(log.find("kept the session of ccoc-mqtt-1: resumed session, queued messages follow") != std::string::npos);

    // Live messages still go the same way, and the restore of the queued alarm too.
    REQUIRE(rig.waitSubscribed());
    rig.mqtt.publish("station/pir1", "ON");
    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":true})");
    CHECK(rig.waitAlarm("pir-1", "motion", true).has_value());
    CHECK(rig.waitAlarm("door-front", "door", false).has_value());
    CHECK(rig.countAlarms("door-front", [](const Json& a) { return isAlarm(a, "door", true); }) == 1);
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/persistent_session = false: an alarm published while ccoc-driverd is stopped is lost")
{
    RigOptions options;
    options.sensors = kDoorAndPir;
    options.extraSettings = "persistent_session = false\n";
    MqttRig rig(options);
    runAndStopDriver(rig);

    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":false})");
    rig.startDriver();
    REQUIRE(rig.waitSubscribed());
    // The broker sends what it queued before anything published later: once this later alarm is
    // on the bus, the door's would have been too.
    rig.mqtt.publish("station/pir1", "ON");
    REQUIRE(rig.waitAlarm("pir-1", "motion", true).has_value());
    CHECK(rig.countAlarms("door-front", [](const Json& a) { return a.value("type", "") == "door"; }) == 0);
    CHECK(rig.driver->output().find("resumed session") == std::string::npos);
    CHECK(rig.driver->output().find("persistent session") == std::string::npos);
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/persistent session: queued availability, repeats and a retained copy give one alarm and a fault")
{
    MqttRig rig(kDoorAndPir);
    runAndStopDriver(rig);

    // While the driver is away: the door opens (retained, as Zigbee2MQTT may publish it), the
    // sensor repeats its state, then the sensor goes offline.
    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":false})", true);
    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":false,"linkquality":40})");
    rig.mqtt.publish("zigbee2mqtt/front_door/availability", "offline");
    rig.startDriver();
    REQUIRE(rig.waitAlarm("door-front", "door", true).has_value());
    const auto fault = rig.waitAlarm("door-front", "device_fault", true);
    REQUIRE(fault.has_value());
    CHECK((*fault)["text"] == "door-front: sensor offline (zigbee2mqtt/front_door/availability)");
    CHECK(rig.waitState("door-front/online", false));

    // After the queue and the retained copy (sent at SUBSCRIBE), a live alarm: the door's three
    // deliveries of one opening were one alarm.
    REQUIRE(rig.waitSubscribed());
    rig.mqtt.publish("station/pir1", "ON");
    REQUIRE(rig.waitAlarm("pir-1", "motion", true).has_value());
    CHECK(rig.countAlarms("door-front", [](const Json& a) { return isAlarm(a, "door", true); }) == 1);
    rig.mqtt.publish("zigbee2mqtt/front_door/availability", "online");
    CHECK(rig.waitAlarm("door-front", "device_fault", false).has_value());
    CHECK(rig.waitState("door-front/online", true));
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/bad settings: persistent_session = \"yes\" stops ccoc-driverd naming the key and what was expected")
{
    RigOptions options;
    options.sensors = kZigbeeDoor;
    options.extraSettings = "persistent_session = \"yes\"\n";
    MqttRig rig(options);
    const auto code = rig.driver->wait(20s);
    INFO(rig.driver->output());
    REQUIRE(code.has_value());
    // Refused by ccoc-driverd against the driver's declaration, before the driver starts.
    CHECK(*code == 2);
    CHECK(rig.driver->output().find("'persistent_session' of [[driver]] '") != std::string::npos);
    CHECK(rig.driver->output().find("' is \"yes\", a string; expected true or false") != std::string::npos);
}
