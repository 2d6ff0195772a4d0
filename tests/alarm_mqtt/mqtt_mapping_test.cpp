// The MQTT driver's settings, payload decoding and change tracking, without MQTT or a bus: the
// mappings an integrator relies on, one by one.
#include <catch2/catch.hpp>

#include "mqtt_settings.hpp"
#include "sensor_payload.hpp"
#include "sensor_tracker.hpp"

#include <nlohmann/json.hpp>

using namespace ccoc::mqtt;
using Json = nlohmann::json;

namespace {

std::optional<std::string> noEnvironment(const std::string& /*name*/)
{
    return std::nullopt;
}

MqttSettings settingsOf(const Json& table)
{
    SettingsResult read = readSettings(table.dump(), "mqtt-1", &noEnvironment);
    INFO((read.errors.empty() ? std::string() : read.errors.front()));
    REQUIRE(read.ok());
    return read.settings;
}

// The alarm events among publications, as JSON.
std::vector<Json> alarmsIn(const std::vector<Publication>& publications)
{
    std::vector<Json> alarms;
    for (const auto& p : publications) {
        if (p.event) {
            alarms.push_back(Json::parse(p.json));
        }
    }
    return alarms;
}

const Publication* stateIn(const std::vector<Publication>& publications, const std::string& path)
{
    for (const auto& p : publications) {
        if (!p.event && p.path == path) {
            return &p;
        }
    }
    return nullptr;
}

} // namespace

TEST_CASE("alarm_mqtt/settings: topics follow from a Zigbee2MQTT name or a Shelly id, defaults filled in")
{
    const MqttSettings s = settingsOf({{"host", "10.0.0.5"},
                                       {"zigbee2mqtt_base", "z2m"},
                                       {"sensor",
                                        {{{"device", "door-front"}, {"name", "front_door"}},
                                         {{"device", "door-back"}, {"format", "shelly"}, {"shelly", "shellydw2-AB12"}},
                                         {{"device", "gate"}, {"format", "shelly"}, {"shelly", "shelly1-77"},
                                          {"channel", "input/0"}, {"type", "intrusion"}},
                                         {{"device", "plus-1"}, {"format", "shelly"}, {"gen", 2}, {"shelly", "plus1-aa"},
                                          {"type", "door"}},
                                         {{"device", "pir-1"}, {"format", "plain"}, {"type", "motion"},
                                          {"state_topic", "home/pir1"}}}}});
    CHECK(s.host == "10.0.0.5");
    CHECK(s.port == 1883);
    CHECK(s.clientId == "ccoc-mqtt-1");
    REQUIRE(s.sensors.size() == 5);
    CHECK(s.sensors[0].stateTopic == "z2m/front_door");
    CHECK(s.sensors[0].availabilityTopic == "z2m/front_door/availability");
    CHECK(s.sensors[1].stateTopic == "shellies/shellydw2-AB12/sensor/door");
    CHECK(s.sensors[1].availabilityTopic == "shellies/shellydw2-AB12/online");
    CHECK(s.sensors[1].alarmType == "door");
    CHECK(s.sensors[1].stateKey == "contact");
    CHECK(s.sensors[2].stateTopic == "shellies/shelly1-77/input/0");
    CHECK(s.sensors[2].alarmType == "intrusion");
    // Gen2: the notifications a factory-set device sends, for component input:0.
    CHECK(s.sensors[3].stateTopic == "plus1-aa/events/rpc");
    CHECK(s.sensors[3].shellyRpc);
    CHECK(s.sensors[3].shellyComponent == "input:0");
    CHECK(s.sensors[3].availabilityTopic == "plus1-aa/online");
    CHECK(s.sensors[4].availabilityTopic.empty());
    CHECK(s.devices() == std::vector<std::string>{"door-front", "door-back", "gate", "plus-1", "pir-1"});
}

TEST_CASE("alarm_mqtt/settings: mistakes say where, what and what was expected, and the password is never echoed")
{
    const Json table = {{"prot", 1883},
                        {"password", "s3cret-pw"},
                        {"keepalive_s", "30"},
                        {"sensor",
                         {{{"device", "door 1"}, {"name", "x"}},
                          {{"device", "pir-1"}, {"format", "plian"}},
                          {{"device", "pir-2"}, {"format", "plain"}, {"state_topic", "home/#"}},
                          {{"device", "sh-1"}, {"format", "shelly"}, {"shelly", "s1"}, {"channel", "input/0"}},
                          {{"device", "js-1"}, {"format", "json"}, {"state_topic", "a/b"}, {"type", "doors"}}}}};
    const SettingsResult read = readSettings(table.dump(), "mqtt-1", &noEnvironment);
    std::string all;
    for (const auto& e : read.errors) {
        all += e + "\n";
    }
    INFO(all);
    CHECK_FALSE(read.ok());
    // An unknown key is the declaration's to refuse (mqtt_declaration_test.cpp), not the reader's.
    CHECK(all.find("prot") == std::string::npos);
    CHECK(all.find("'keepalive_s' is \"30\"; expected an integer 5..3600") != std::string::npos);
    CHECK(all.find("sensor[1] (door 1): 'device' is \"door 1\"; expected a device id") != std::string::npos);
    CHECK(all.find("sensor[2] (pir-1): 'format' is \"plian\"; expected one of: zigbee2mqtt, shelly, plain, json") !=
          std::string::npos);
    CHECK(all.find("sensor[3] (pir-2): topic \"home/#\" has a wildcard") != std::string::npos);
    CHECK(all.find("sensor[4] (sh-1): no 'type' for Shelly channel 'input/0'") != std::string::npos);
    CHECK(all.find("sensor[5] (js-1): 'type' is \"doors\"; expected an alarm type") != std::string::npos);
    CHECK(all.find("sensor[5] (js-1): no 'field'") != std::string::npos);
    CHECK(all.find("s3cret-pw") == std::string::npos);

    const auto env = [](const std::string& name) -> std::optional<std::string> {
        return name == "MQTT_PW" ? std::optional<std::string>("from-env") : std::nullopt;
    };
    const Json withEnv = {{"username", "ccoc"}, {"password_env", "MQTT_PW"}, {"sensor", {{{"device", "d"}, {"name", "n"}}}}};
    const SettingsResult fromEnv = readSettings(withEnv.dump(), "mqtt-1", env);
    REQUIRE(fromEnv.ok());
    CHECK(fromEnv.settings.password == "from-env");
    const Json missingEnv = {{"password_env", "NOT_SET_ANYWHERE"}, {"sensor", {{{"device", "d"}, {"name", "n"}}}}};
    const SettingsResult missing = readSettings(missingEnv.dump(), "mqtt-1", env);
    REQUIRE(missing.errors.size() == 1);
    CHECK(missing.errors[0].find("'password_env' names NOT_SET_ANYWHERE, which is not set") != std::string::npos);
}

TEST_CASE("alarm_mqtt/settings: persistent_session is on by default, can be turned off, and must be a boolean")
{
    const Json sensors = {{{"device", "d"}, {"name", "n"}}};
    CHECK(settingsOf({{"sensor", sensors}}).persistentSession);
    CHECK_FALSE(settingsOf({{"persistent_session", false}, {"sensor", sensors}}).persistentSession);
    CHECK(settingsOf({{"persistent_session", true}, {"client_id", "ccoc-desk-2"}, {"sensor", sensors}}).persistentSession);

    const SettingsResult wrongType = readSettings(Json({{"persistent_session", "yes"}, {"sensor", sensors}}).dump(),
                                                  "mqtt-1", &noEnvironment);
    REQUIRE(wrongType.errors.size() == 1);
    CHECK(wrongType.errors[0] == "settings: 'persistent_session' is \"yes\"; expected true or false");
}

TEST_CASE("alarm_mqtt/payload: Zigbee2MQTT fields map to door, motion, water, smoke and tamper")
{
    const MqttSettings s = settingsOf({{"sensor", {{{"device", "d"}, {"name", "n"}}}}});
    const auto& sensor = s.sensors[0];
    DecodeResult open = decodeState(sensor, R"({"contact":false,"battery":97,"linkquality":120,"tamper":false})");
    REQUIRE(open.problems.empty());
    REQUIRE(open.readings.size() == 2);
    CHECK(open.readings[0].alarmType == "door");
    CHECK(open.readings[0].active);
    CHECK(open.readings[0].code == "contact=false");
    CHECK(open.readings[1].alarmType == "tamper");
    CHECK_FALSE(open.readings[1].active);

    DecodeResult others = decodeState(sensor, R"({"occupancy":true,"water_leak":false,"smoke":true})");
    REQUIRE(others.readings.size() == 3);
    CHECK((others.readings[0].alarmType == "motion" && others.readings[0].active));
    CHECK((others.readings[1].alarmType == "water" && !others.readings[1].active));
    CHECK((others.readings[2].alarmType == "smoke" && others.readings[2].active));

    CHECK(decodeState(sensor, R"({"battery":50})").readings.empty()); // nothing watched: nothing to say
    CHECK(decodeState(sensor, R"({"battery":50})").problems.empty());
    CHECK(decodeState(sensor, R"({"contact":null})").problems.empty());

    const DecodeResult wrongType = decodeState(sensor, R"({"contact":"yes","occupancy":true})");
    REQUIRE(wrongType.problems.size() == 1);
    CHECK(wrongType.problems[0] == "'contact' is \"yes\"; expected false or true");
    CHECK(wrongType.readings.size() == 1); // the good field still counts
    const DecodeResult notJson = decodeState(sensor, "open");
    REQUIRE(notJson.problems.size() == 1);
    CHECK(notJson.problems[0].find("payload \"open\" (4 bytes) is not a JSON object") == 0);
}

TEST_CASE("alarm_mqtt/payload: plain and Shelly words, inversion, Shelly Gen2 status and a JSON field mapping")
{
    const MqttSettings s = settingsOf(
        {{"sensor",
          {{{"device", "p"}, {"format", "plain"}, {"type", "motion"}, {"state_topic", "t/p"}},
           {{"device", "q"}, {"format", "plain"}, {"type", "door"}, {"state_topic", "t/q"}, {"invert", true}},
           {{"device", "s"}, {"format", "shelly"}, {"shelly", "dw"}},
           {{"device", "j"}, {"format", "json"}, {"state_topic", "t/j"}, {"type", "panic"}, {"field", "status.button"},
            {"active_value", "PRESSED"}, {"inactive_value", "idle"}, {"state_key", "button"}}}}});
    for (const char* word : {"ON", "1", "true", "open", " On\n"}) {
        const DecodeResult r = decodeState(s.sensors[0], word);
        REQUIRE(r.readings.size() == 1);
        CHECK(r.readings[0].active);
    }
    for (const char* word : {"OFF", "0", "false", "closed", "close"}) {
        const DecodeResult r = decodeState(s.sensors[0], word);
        REQUIRE(r.readings.size() == 1);
        CHECK_FALSE(r.readings[0].active);
    }
    CHECK(decodeState(s.sensors[0], "maybe").problems.at(0).find("is not a known state; expected ON/OFF") !=
          std::string::npos);
    CHECK_FALSE(decodeState(s.sensors[1], "1").readings.at(0).active); // inverted: 1 is a closed contact
    CHECK(decodeState(s.sensors[2], "open").readings.at(0).active);
    CHECK_FALSE(decodeState(s.sensors[2], "close").readings.at(0).active);
    CHECK(decodeState(s.sensors[2], R"({"id":0,"state":true})").readings.at(0).active);
    CHECK(decodeState(s.sensors[2], R"({"id":0})").problems.at(0).find("has no boolean 'state'") != std::string::npos);

    const DecodeResult pressed = decodeState(s.sensors[3], R"({"status":{"button":"pressed"}})");
    REQUIRE(pressed.readings.size() == 1);
    CHECK(pressed.readings[0].active);
    CHECK(pressed.readings[0].stateKey == "button");
    CHECK(pressed.readings[0].code == "status.button=\"pressed\"");
    CHECK_FALSE(decodeState(s.sensors[3], R"({"status":{"button":"idle"}})").readings.at(0).active);
    CHECK(decodeState(s.sensors[3], R"({"status":{"button":"held"}})").problems.at(0) ==
          "'status.button' is \"held\"; expected \"PRESSED\" or \"idle\"");
    CHECK(decodeState(s.sensors[3], R"({"status":{}})").problems.at(0).find("no field 'status.button'") == 0);

    std::string problem;
    CHECK(decodeAvailability("online", problem) == std::optional<bool>(true));
    CHECK(decodeAvailability("offline", problem) == std::optional<bool>(false));
    CHECK(decodeAvailability(R"({"state":"offline"})", problem) == std::optional<bool>(false));
    CHECK(decodeAvailability("false", problem) == std::optional<bool>(false));
    CHECK_FALSE(decodeAvailability("gone", problem).has_value());
    CHECK(problem.find("availability \"gone\"") == 0);
}

TEST_CASE("alarm_mqtt/payload: Shelly Gen2 NotifyStatus, NotifyFullStatus and NotifyEvent of one component")
{
    const MqttSettings s = settingsOf(
        {{"sensor",
          {{{"device", "in"}, {"format", "shelly"}, {"gen", 2}, {"shelly", "plus"}, {"type", "door"}},
           {{"device", "sw"}, {"format", "shelly"}, {"gen", 2}, {"shelly", "plus"}, {"channel", "switch:0"},
            {"type", "vendor.relay"}},
           {{"device", "old"}, {"format", "shelly"}, {"gen", 2}, {"shelly", "plus"}, {"channel", "status/input:0"},
            {"type", "door"}}}}});
    const SensorSettings& input = s.sensors[0];
    const DecodeResult on = decodeState(
        input, R"({"src":"plus","dst":"plus/events","method":"NotifyStatus","params":{"ts":1.5,"input:0":{"id":0,"state":true}}})");
    REQUIRE(on.readings.size() == 1);
    CHECK(on.readings[0].active);
    CHECK(on.readings[0].code == "input:0 state=true");
    const DecodeResult full = decodeState(
        input, R"({"method":"NotifyFullStatus","params":{"ts":2,"input:0":{"id":0,"state":false},"switch:0":{"id":0,"output":true}}})");
    REQUIRE(full.readings.size() == 1);
    CHECK_FALSE(full.readings[0].active);
    // Other components, partial statuses and other methods concern this sensor not at all.
    for (const char* other : {R"({"method":"NotifyStatus","params":{"ts":3,"input:1":{"id":1,"state":true}}})",
                              R"({"method":"NotifyStatus","params":{"ts":3,"wifi":{"rssi":-60}}})",
                              R"({"method":"NotifyStatus","params":{"ts":3,"input:0":{"id":0}}})",
                              R"({"method":"NotifyEvent","params":{"ts":3,"events":[{"component":"sys","event":"ota_progress"}]}})"}) {
        const DecodeResult r = decodeState(input, other);
        CHECK(r.readings.empty());
        CHECK(r.problems.empty());
    }
    const DecodeResult push = decodeState(
        input, R"({"method":"NotifyEvent","params":{"ts":4,"events":[{"component":"input:0","id":0,"event":"single_push","ts":4}]}})");
    REQUIRE(push.readings.size() == 2); // raised and restored at once: the next push is news again
    CHECK(push.readings[0].active);
    CHECK_FALSE(push.readings[1].active);
    CHECK(push.readings[0].code == "input:0 single_push");
    const DecodeResult down = decodeState(
        input, R"({"method":"NotifyEvent","params":{"ts":5,"events":[{"component":"input:0","id":0,"event":"btn_down","ts":5}]}})");
    REQUIRE(down.readings.size() == 1);
    CHECK(down.readings[0].active);
    CHECK_FALSE(decodeState(input, R"({"method":"NotifyEvent","params":{"events":[{"component":"input:0","event":"btn_up"}]}})")
                    .readings.at(0)
                    .active);
    CHECK(decodeState(s.sensors[1], R"({"method":"NotifyStatus","params":{"switch:0":{"id":0,"output":true}}})").readings.at(0).active);
    CHECK(decodeState(input, "on").problems.at(0).find("is not a Shelly Gen2 notification") != std::string::npos);
    CHECK(decodeState(input, R"({"method":"NotifyStatus","params":{"input:0":{"id":0,"state":"x"}}})")
              .problems.at(0)
              .find("input:0.state is \"x\"") == 0);
    // The retained status topic stays available by its channel.
    CHECK(s.sensors[2].stateTopic == "plus/status/input:0");
    CHECK(decodeState(s.sensors[2], R"({"id":0,"state":true})").readings.at(0).active);
}

TEST_CASE("alarm_mqtt/tracker: alarms only on a change, restores, online and device_fault from the link and availability")
{
    SensorTracker tracker(settingsOf({{"sensor", {{{"device", "door-1"}, {"name", "front"}, {"point", "001"}}}}}));
    CHECK(tracker.topics() == std::vector<std::string>{"zigbee2mqtt/front", "zigbee2mqtt/front/availability"});
    const auto initial = tracker.initial();
    REQUIRE(initial.size() == 1);
    CHECK(initial[0].json == "false");

    std::vector<std::string> problems;
    // Never connected: a failed attempt is a fault.
    auto down = tracker.disconnected("Connection refused");
    REQUIRE(alarmsIn(down).size() == 1);
    CHECK(alarmsIn(down)[0]["type"] == "device_fault");
    CHECK(alarmsIn(down)[0]["active"] == true);
    CHECK(alarmsIn(tracker.disconnected("Connection refused")).empty()); // still down: no new alarm
    auto up = tracker.connected();
    REQUIRE(stateIn(up, "door-1/online") != nullptr);
    CHECK(stateIn(up, "door-1/online")->json == "true");
    REQUIRE(alarmsIn(up).size() == 1);
    CHECK(alarmsIn(up)[0]["active"] == false);

    // A closed door as first value: state only. Open: alarm. Same again: nothing. Closed: restore.
    CHECK(alarmsIn(tracker.message("zigbee2mqtt/front", R"({"contact":true})", problems)).empty());
    const auto open = tracker.message("zigbee2mqtt/front", R"({"contact":false,"battery":90})", problems);
    REQUIRE(alarmsIn(open).size() == 1);
    CHECK(alarmsIn(open)[0] ==
          Json({{"type", "door"}, {"active", true}, {"point", "001"}, {"text", "front: open"}, {"code", "contact=false"}}));
    REQUIRE(stateIn(open, "door-1/contact") != nullptr);
    CHECK(Json::parse(stateIn(open, "door-1/contact")->json)["open"] == true);
    CHECK(tracker.message("zigbee2mqtt/front", R"({"contact":false,"battery":89})", problems).empty());
    const auto closed = tracker.message("zigbee2mqtt/front", R"({"contact":true})", problems);
    REQUIRE(alarmsIn(closed).size() == 1);
    CHECK(alarmsIn(closed)[0]["active"] == false);

    // Availability offline: online false and a fault; online again: cleared.
    const auto offline = tracker.message("zigbee2mqtt/front/availability", R"({"state":"offline"})", problems);
    CHECK(stateIn(offline, "door-1/online")->json == "false");
    REQUIRE(alarmsIn(offline).size() == 1);
    CHECK(alarmsIn(offline)[0]["text"] == "door-1: sensor offline (zigbee2mqtt/front/availability)");
    const auto online = tracker.message("zigbee2mqtt/front/availability", "online", problems);
    CHECK(stateIn(online, "door-1/online")->json == "true");
    CHECK(alarmsIn(online).at(0)["active"] == false);
    CHECK(problems.empty());

    CHECK(tracker.message("somewhere/else", "1", problems).empty());
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("no sensor listens on this topic") == 0);
}
