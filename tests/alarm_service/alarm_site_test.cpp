// The site file's alarm keys: [alarms], [alarms.priority], [[alarm_rule]] and the alarm keys of
// [[device]], loaded and checked like every other section (FILE:LINE:COL: what; expected).
#include "ccoc/site.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace ccoc::site;
using Lines = std::vector<std::string>;

namespace {

// Lines 1-20: a valid station with a camera wall on screen "main" and a system panel on "desk".
constexpr std::string_view kHead = R"([site]
name = "สถานีตำรวจทดสอบ"
name_en = "Test Police Station"
station_code = "TST-0001"
[[screen]]
id = "main"
[[screen]]
id = "desk"
[[panel]]
id = "wall1"
type = "camera.wall"
[[panel]]
id = "info"
type = "system.info"
[[layout]]
screen = "main"
  [[layout.region]]
  panel = "wall1"
  cell = [0, 0]
[[layout]]
)";

// Lines 21-24 close the second layout; tests append from line 25 on.
std::string withHead(std::string_view rest) {
    return std::string(kHead) + "screen = \"desk\"\n  [[layout.region]]\n  panel = \"info\"\n  cell = [0, 0]\n" +
           std::string(rest);
}

Lines errorsOf(const std::string& text) {
    Lines lines;
    for (const Diagnostic& error : parseSite(text, "site.toml").errors) {
        lines.push_back(error.format());
    }
    return lines;
}

} // namespace

TEST_CASE("alarm_service/site-alarm-keys-load") {
    const std::string text = withHead(R"([alarms]
service = "external"
journal = "var/alarms.sqlite"
supervisor_screen = "desk"
alarm_screen = "main"
escalate_after_s = 120
ack_note_required_max_priority = 1
[alarms.priority]
motion = 4
"vendor.acme-cut-fence" = 1
[[alarm_rule]]
id = "doors"
types = ["door", "vendor.acme-cut-fence"]
zones = ["หน้าสถานี"]
max_priority = 2
tile = 3
mark_border = false
escalate_after_s = 30
escalate_to_priority = 2
[[alarm_rule]]
id = "all"
panel = "wall1"
push_cameras = true
[[device]]
id = "door-front"
name = "ประตูหน้า"
kind = "sensor"
priority = 1
risk_point = "จุดเสี่ยง 3"
procedure = "แจ้ง ร้อยเวร"
alarm_type = "door"
)");
    const LoadResult loaded = parseSite(text, "/stations/tst/site.toml");
    for (const auto& error : loaded.errors) {
        UNSCOPED_INFO(error.format());
    }
    REQUIRE(loaded.ok());
    const Site& site = *loaded.site;
    CHECK(site.alarms.present);
    CHECK(site.alarmServiceMode() == AlarmServiceMode::External);
    CHECK(site.alarms.journal == "/stations/tst/var/alarms.sqlite");
    CHECK(site.alarms.supervisorScreen == "desk");
    CHECK(site.alarms.alarmScreen == "main");
    CHECK(site.alarms.escalateAfterS == 120);
    CHECK(site.alarms.ackNoteRequiredMaxPriority == 1);
    CHECK(site.alarms.priorityByType == std::map<std::string, int>{{"motion", 4}, {"vendor.acme-cut-fence", 1}});
    REQUIRE(site.alarmRules.size() == 2);
    const AlarmRule& doors = site.alarmRules[0];
    CHECK(doors.id == "doors");
    CHECK(doors.types == std::vector<std::string>{"door", "vendor.acme-cut-fence"});
    CHECK(doors.zones == std::vector<std::string>{"หน้าสถานี"});
    CHECK(doors.maxPriority == 2);
    CHECK(doors.screen.empty());
    CHECK(doors.tile == 3);
    CHECK(doors.pushCameras);
    CHECK_FALSE(doors.markBorder);
    CHECK(doors.escalateAfterS == 30);
    CHECK(doors.escalateToPriority == 2);
    CHECK(site.alarmRules[1].panel == "wall1");
    CHECK(site.alarmRules[1].tile == 1);
    CHECK_FALSE(site.alarmRules[1].escalateAfterS.has_value());
    const Device& door = site.devices.front();
    CHECK(door.priority == 1);
    CHECK(door.riskPoint == "จุดเสี่ยง 3");
    CHECK(door.procedure == "แจ้ง ร้อยเวร");
    CHECK(door.alarmType == "door");
    CHECK(site.findCameraWall("main") == site.findPanel("wall1"));
    CHECK(site.findCameraWall("desk") == nullptr);
}

TEST_CASE("alarm_service/site-default-service-mode") {
    const LoadResult plain = parseSite(withHead(""), "site.toml");
    REQUIRE(plain.ok());
    CHECK(plain.site->alarmServiceMode() == AlarmServiceMode::Off);
    CHECK(plain.site->alarms.journal.empty());
    const LoadResult withSensor =
        parseSite(withHead("[[device]]\nid = \"pir\"\nname = \"PIR\"\nkind = \"sensor\"\n"), "site.toml");
    REQUIRE(withSensor.ok());
    CHECK(withSensor.site->alarmServiceMode() == AlarmServiceMode::Embedded);
    const LoadResult off = parseSite(withHead("[alarms]\nservice = \"off\"\n[[device]]\nid = \"pir\"\nname = \"PIR\"\n"
                                              "kind = \"sensor\"\n"),
                                     "site.toml");
    REQUIRE(off.ok());
    CHECK(off.site->alarmServiceMode() == AlarmServiceMode::Off);
}

TEST_CASE("alarm_service/site-alarms-errors") {
    CHECK(errorsOf(withHead("[alarms]\nservise = \"embedded\"\n")) ==
          Lines{"site.toml:26:1: unknown key 'servise' in [alarms]; expected one of: service, journal, supervisor_screen, "
                "alarm_screen, escalate_after_s, ack_note_required_max_priority, priority"});
    CHECK(errorsOf(withHead("[alarms]\nservice = \"cloud\"\n")) ==
          Lines{"site.toml:26:11: 'service' is 'cloud', which is not allowed; expected one of: embedded, external, off"});
    CHECK(errorsOf(withHead("[alarms]\nsupervisor_screen = \"boss\"\n")) ==
          Lines{"site.toml:26:21: 'supervisor_screen' names unknown [[screen]] 'boss'; expected the id of a "
                "[[screen]]: main, desk"});
    CHECK(errorsOf(withHead("[alarms]\nescalate_after_s = -1\n")) ==
          Lines{"site.toml:26:20: 'escalate_after_s' is -1, out of range; expected an integer from 0 to 86400"});
    CHECK(errorsOf(withHead("[alarms.priority]\nburglary = 1\ndoor = 9\n")) ==
          Lines{"site.toml:26:1: unknown alarm type 'burglary' in [alarms.priority]; expected one of intrusion, door, "
                "motion, glass_break, panic, duress, fire, smoke, water, tamper, camera_offline, device_fault, or "
                "vendor.NAME (vendor.acme-cut-fence)",
                "site.toml:27:8: priority of 'door' in [alarms.priority] is not an integer from 1 to 5; expected a "
                "priority from 1 (highest) to 5 (lowest), e.g. door = 2"});
}

TEST_CASE("alarm_service/site-alarm-rule-errors") {
    CHECK(errorsOf(withHead("[[alarm_rule]]\nid = \"r\"\nscreen = \"main\"\ntypes = [\"door\", \"Vendor.X\"]\n"
                            "tiles = 2\n")) ==
          Lines{"site.toml:28:18: unknown alarm type 'Vendor.X' in 'types' of [[alarm_rule]]; expected one of "
                "intrusion, door, motion, glass_break, panic, duress, fire, smoke, water, tamper, camera_offline, "
                "device_fault, or vendor.NAME (vendor.acme-cut-fence)",
                "site.toml:29:1: unknown key 'tiles' in [[alarm_rule]]; expected one of: id, types, zones, max_priority, "
                "screen, panel, tile, push_cameras, mark_border, escalate_after_s, escalate_to_priority"});
    // A screen without a camera wall, a panel that is not one, no screen at all, a duplicate id.
    CHECK(errorsOf(withHead("[[alarm_rule]]\nid = \"r\"\nscreen = \"desk\"\n[[alarm_rule]]\nid = \"s\"\npanel = \"info\"\n"
                            "[[alarm_rule]]\nid = \"t\"\n[[alarm_rule]]\nid = \"r\"\npush_cameras = false\n")) ==
          Lines{"site.toml:27:10: screen 'desk' of [[alarm_rule]] 'r' shows no camera.wall panel; expected a screen "
                "whose [[layout]] has a region with a [[panel]] of type camera.wall, or panel = \"ID\" naming one",
                "site.toml:30:9: 'panel' of [[alarm_rule]] 's' is 'info', a system.info panel; expected the id of a "
                "[[panel]] of type camera.wall",
                "site.toml:31:1: [[alarm_rule]] 't' pushes cameras but names no screen; expected screen = \"ID\" or "
                "panel = \"ID\" in the rule, or alarm_screen in [alarms] (or push_cameras = false)",
                "site.toml:34:6: duplicate [[alarm_rule]] id 'r'; expected a unique id; 'r' is already used at line 26"});
    CHECK(errorsOf(withHead("[[alarm_rule]]\nid = \"r\"\npanel = \"nope\"\nmax_priority = 0\n")) ==
          Lines{"site.toml:27:9: 'panel' names unknown [[panel]] 'nope'; expected the id of a [[panel]]: wall1, info",
                "site.toml:28:16: 'max_priority' is 0, out of range; expected an integer from 1 to 5"});
}

TEST_CASE("alarm_service/site-device-alarm-keys-errors") {
    CHECK(errorsOf(withHead("[[device]]\nid = \"d\"\nname = \"D\"\nkind = \"sensor\"\npriority = 6\n"
                            "alarm_type = \"burglary\"\nrisk = \"x\"\n")) ==
          Lines{"site.toml:29:12: 'priority' is 6, out of range; expected an integer from 1 to 5",
                "site.toml:30:14: 'alarm_type' of [[device]] is 'burglary', not an alarm type; expected one of "
                "intrusion, door, motion, glass_break, panic, duress, fire, smoke, water, tamper, camera_offline, "
                "device_fault, or vendor.NAME (vendor.acme-cut-fence)",
                "site.toml:31:1: unknown key 'risk' in [[device]]; expected one of: id, name, name_en, kind, driver, "
                "zone, cameras, position, settings, priority, risk_point, procedure, alarm_type"});
}
