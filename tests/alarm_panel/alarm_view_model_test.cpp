// The alarm panel's view model against a real broker and a bus peer in the alarm service's role
// (sdk/docs/alarms.md): records in, sorted and filtered list, blinking, sound, the acknowledge
// note rule on both sides, the other commands and their replies, history.
#include <catch2/catch.hpp>

#include "alarm_fixture.hpp"
#include "alarm_view_model.hpp"
#include "ccoc/i18n.hpp"

#include <algorithm>

using ccoc::alarms::AlarmFilter;
using ccoc::alarms::AlarmViewModel;
using ccoc::test::AlarmBus;
using ccoc::test::alarmRecord;

namespace {

std::vector<std::string> visibleIds(const AlarmViewModel& model)
{
    std::vector<std::string> ids;
    for (const auto* alarm : model.visible()) {
        ids.push_back(alarm->id);
    }
    return ids;
}

// The model as the panel drives it: refreshed once per frame.
struct Desk {
    AlarmBus bus;
    AlarmViewModel model{bus.host(), AlarmBus::table(), "op-somchai"};

    bool until(const std::function<bool()>& done)
    {
        return bus.until([this](double now) { model.refresh(now); }, done);
    }
    bool replied(size_t pendingBefore = 0)
    {
        return until([&] { return model.pendingCommands() == pendingBefore; });
    }
};

}  // namespace

TEST_CASE("alarm_panel/list: priority 1 first, then newest first, a closed alarm leaves the list")
{
    Desk desk;
    auto& service = desk.bus.service();
    service.raise(alarmRecord("A-1", 3, "motion", "pir-yard", 1'000'000));
    service.raise(alarmRecord("A-2", 1, "panic", "panic-desk", 2'000'000));
    service.raise(alarmRecord("A-3", 3, "water", "leak-cells", 5'000'000));
    service.raise(alarmRecord("A-4", 2, "door", "door-front", 3'000'000));
    service.raise(alarmRecord("A-5", 1, "fire", "smoke-hall", 4'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 5; }));
    CHECK(visibleIds(desk.model) == std::vector<std::string>{"A-5", "A-2", "A-4", "A-3", "A-1"});
    CHECK(desk.model.unacknowledgedCount() == 5);

    // A repeat of A-1 (count up, newer last_us) moves it above A-3 within priority 3.
    auto repeat = alarmRecord("A-1", 3, "motion", "pir-yard", 6'000'000);
    repeat["count"] = 2;
    service.raise(repeat);
    REQUIRE(desk.until([&] { return desk.model.find("A-1") != nullptr && desk.model.find("A-1")->count == 2; }));
    CHECK(visibleIds(desk.model) == std::vector<std::string>{"A-5", "A-2", "A-4", "A-1", "A-3"});

    service.closeAlarm("A-2", "false_alarm");
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 4; }));
    CHECK(desk.model.find("A-2") == nullptr);
    CHECK(visibleIds(desk.model) == std::vector<std::string>{"A-5", "A-4", "A-1", "A-3"});
}

TEST_CASE("alarm_panel/filter by priority, state and type, search in device, text and zone")
{
    Desk desk;
    auto& service = desk.bus.service();
    auto door = alarmRecord("A-10", 2, "door", "door-front", 1'000'000);
    door["zone"] = "Lobby";
    door["device_name"] = "ประตูหน้าสถานี";
    auto fire = alarmRecord("A-11", 1, "fire", "smoke-hall", 2'000'000);
    fire["text"] = "Smoke detected, hall 2";
    auto motion = alarmRecord("A-12", 3, "motion", "pir-yard", 3'000'000);
    motion["state"] = "acknowledged";
    motion["ack"] = {{"by", "op"}, {"at_us", 3'500'000}, {"note", ""}};
    service.raise(door);
    service.raise(fire);
    service.raise(motion);
    REQUIRE(desk.until([&] { return desk.model.visible().size() == 3; }));
    CHECK(desk.model.types() == std::vector<std::string>{"door", "fire", "motion"});

    AlarmFilter filter;
    filter.priorities[0] = false;  // hide P1
    desk.model.setFilter(filter);
    CHECK(visibleIds(desk.model) == std::vector<std::string>{"A-10", "A-12"});

    filter = {};
    filter.state = "new";
    desk.model.setFilter(filter);
    CHECK(visibleIds(desk.model) == std::vector<std::string>{"A-11", "A-10"});
    filter.state = "acknowledged";
    desk.model.setFilter(filter);
    CHECK(visibleIds(desk.model) == std::vector<std::string>{"A-12"});

    filter = {};
    filter.type = "door";
    desk.model.setFilter(filter);
    CHECK(visibleIds(desk.model) == std::vector<std::string>{"A-10"});

    for (const auto& [needle, expected] : std::vector<std::pair<std::string, std::string>>{
             {"lobby", "A-10"},        // zone, any case
             {"หน้าสถานี", "A-10"},      // Thai device name
             {"SMOKE DETECTED", "A-11"}, // text
             {"pir-yard", "A-12"},     // device id
             {"a-11", "A-11"}}) {      // alarm id
        filter = {};
        filter.search = needle;
        desk.model.setFilter(filter);
        INFO(needle);
        CHECK(visibleIds(desk.model) == std::vector<std::string>{expected});
    }
    filter = {};
    filter.search = "nothing like this";
    desk.model.setFilter(filter);
    CHECK(desk.model.visible().empty());
    // The filter holds for alarms that arrive later too.
    filter = {};
    filter.type = "door";
    desk.model.setFilter(filter);
    service.raise(alarmRecord("A-13", 2, "door", "door-back", 4'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 4; }));
    CHECK(visibleIds(desk.model) == std::vector<std::string>{"A-13", "A-10"});
}

TEST_CASE("alarm_panel/blink: unacknowledged alarms flash once a second, and the bell rings once per new one")
{
    // The phase: on for the first half of each second, off for the second, from the frame clock.
    CHECK(ccoc::alarms::blinkOn(100.0));
    CHECK(ccoc::alarms::blinkOn(100.49));
    CHECK_FALSE(ccoc::alarms::blinkOn(100.5));
    CHECK_FALSE(ccoc::alarms::blinkOn(100.99));
    CHECK(ccoc::alarms::blinkOn(101.2));

    Desk desk;
    auto& service = desk.bus.service();
    service.raise(alarmRecord("A-20", 2, "door", "door-front", 1'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 1; }));
    const double t = 1000.0;
    CHECK(desk.model.takeSoundRequest(t) == 2);      // A-20's priority picks the tone
    CHECK(desk.model.takeSoundRequest(t + 5) == 0);  // rung once for A-20

    // Two more within a second: one ring now, the next not before 2 s after the last.
    service.raise(alarmRecord("A-21", 1, "panic", "panic-desk", 2'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 2; }));
    CHECK(desk.model.takeSoundRequest(t + 10) == 1);
    service.raise(alarmRecord("A-22", 3, "motion", "pir-yard", 3'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 3; }));
    CHECK(desk.model.takeSoundRequest(t + 11) == 0);
    CHECK(desk.model.takeSoundRequest(t + 12.5) == 3);
    // Acknowledged alarms neither blink (the panel checks acknowledged()) nor ring.
    auto acknowledged = alarmRecord("A-23", 4, "tamper", "box-1", 4'000'000);
    acknowledged["state"] = "acknowledged";
    service.raise(acknowledged);
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 4; }));
    CHECK(desk.model.find("A-23")->acknowledged());
    CHECK_FALSE(desk.model.find("A-21")->acknowledged());
    CHECK(desk.model.takeSoundRequest(t + 30) == 0);
}

TEST_CASE("alarm_panel/sound: reminders repeat the most urgent unacknowledged alarm's tone until all are acknowledged")
{
    Desk desk;
    auto& service = desk.bus.service();
    service.raise(alarmRecord("A-40", 3, "motion", "pir-yard", 1'000'000));
    service.raise(alarmRecord("A-41", 1, "panic", "panic-desk", 2'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 2; }));
    const double t = 500.0;
    const double every = 10.0;
    CHECK(desk.model.takeSoundRequest(t, every) == 1);         // new alarms, the most urgent
    CHECK(desk.model.takeSoundRequest(t + 5, every) == 0);     // not yet time for a reminder
    CHECK(desk.model.takeSoundRequest(t + 10, every) == 1);    // reminder: A-41 still waits
    CHECK(desk.model.takeSoundRequest(t + 10.5, every) == 0);  // once per period
    CHECK(desk.model.takeSoundRequest(t + 20, 0.0) == 0);      // without reminders: silence

    // The operator silences reminders for 60 s: none come, but a new alarm still sounds.
    desk.model.muteReminders(t + 20, 60.0);
    CHECK(desk.model.remindersMutedFor(t + 20) == Approx(60.0));
    CHECK(desk.model.takeSoundRequest(t + 30, every) == 0);
    service.raise(alarmRecord("A-42", 2, "door", "door-front", 3'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 3; }));
    CHECK(desk.model.takeSoundRequest(t + 31, every) == 2);
    CHECK(desk.model.takeSoundRequest(t + 60, every) == 0);    // still silenced
    CHECK(desk.model.remindersMutedFor(t + 80) == 0.0);
    CHECK(desk.model.takeSoundRequest(t + 80, every) == 1);    // silence over: A-41 still waits

    auto acknowledged = alarmRecord("A-41", 1, "panic", "panic-desk", 2'000'000);
    acknowledged["state"] = "acknowledged";
    service.raise(acknowledged);
    REQUIRE(desk.until([&] { return desk.model.find("A-41")->acknowledged(); }));
    CHECK(desk.model.takeSoundRequest(t + 90, every) == 2);    // now A-42 is the most urgent waiting

    for (const auto& [id, priority, type, device, at] :
         {std::tuple{"A-40", 3, "motion", "pir-yard", 1'000'000}, std::tuple{"A-42", 2, "door", "door-front", 3'000'000}}) {
        auto record = alarmRecord(id, priority, type, device, at);
        record["state"] = "acknowledged";
        service.raise(record);
    }
    REQUIRE(desk.until([&] { return desk.model.unacknowledgedCount() == 0; }));
    CHECK(desk.model.takeSoundRequest(t + 120, every) == 0);
}

TEST_CASE("alarm_panel/acknowledge: priority 1-2 need a note, the panel refuses and the service rejects")
{
    Desk desk;
    auto& service = desk.bus.service();
    service.raise(alarmRecord("A-30", 1, "panic", "panic-desk", 1'000'000));
    service.raise(alarmRecord("A-31", 3, "motion", "pir-yard", 2'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 2; }));
    const auto& p1 = *desk.model.find("A-30");
    using ccoc::alarms::AckBlock;
    CHECK(ccoc::alarms::ackBlock(p1, "") == AckBlock::NoteRequired);
    CHECK(ccoc::alarms::ackBlock(p1, "   ") == AckBlock::NoteRequired);
    CHECK(ccoc::alarms::ackBlock(p1, "checked on camera") == AckBlock::None);
    CHECK(ccoc::alarms::ackBlock(*desk.model.find("A-31"), "") == AckBlock::None);

    // The panel does not send it, and says why.
    CHECK_FALSE(desk.model.acknowledge("A-30", ""));
    REQUIRE(desk.model.lastOutcome());
    CHECK_FALSE(desk.model.lastOutcome()->sent);
    CHECK(desk.model.lastOutcome()->message.find("note is required") != std::string::npos);
    CHECK(service.received().empty());

    // Sent anyway by another desk without the rule: the service rejects, the reply says why.
    CHECK(desk.model.sendOther("alarms", "alarm.ack", R"({"id": "A-30", "operator": "x", "note": ""})"));
    REQUIRE(desk.replied());
    REQUIRE(desk.model.lastOutcome());
    CHECK(desk.model.lastOutcome()->status == CCOC_BUS_STATUS_REJECTED);
    CHECK(desk.model.lastOutcome()->message == "a note is required to acknowledge a priority 1-2 alarm");

    // With a note: ok, and the record comes back acknowledged with the operator's name.
    CHECK(desk.model.acknowledge("A-30", "checked on camera 3"));
    REQUIRE(desk.replied());
    CHECK(desk.model.lastOutcome()->status == CCOC_BUS_STATUS_OK);
    CHECK(desk.model.lastOutcome()->alarmId == "A-30");
    REQUIRE(desk.until([&] { return desk.model.find("A-30")->acknowledged(); }));
    CHECK(desk.model.find("A-30")->ackBy == "op-somchai");
    CHECK(desk.model.find("A-30")->ackNote == "checked on camera 3");
    CHECK(ccoc::alarms::ackBlock(*desk.model.find("A-30"), "again") == AckBlock::AlreadyAcknowledged);
    // P3 without a note is fine.
    CHECK(desk.model.acknowledge("A-31", ""));
    REQUIRE(desk.replied());
    CHECK(desk.model.lastOutcome()->status == CCOC_BUS_STATUS_OK);
    REQUIRE(desk.until([&] { return desk.model.unacknowledgedCount() == 0; }));
}

TEST_CASE("alarm_panel/assign, note and close with an outcome: sent to the service, replies shown")
{
    Desk desk;
    auto& service = desk.bus.service();
    service.raise(alarmRecord("A-40", 2, "door", "door-front", 1'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 1; }));

    CHECK(desk.model.assign("A-40", "patrol-2"));
    REQUIRE(desk.replied());
    CHECK(desk.model.lastOutcome()->status == CCOC_BUS_STATUS_OK);
    REQUIRE(desk.until([&] { return desk.model.find("A-40")->assignedTo == "patrol-2"; }));

    CHECK(desk.model.addNote("A-40", "patrol on the way"));
    REQUIRE(desk.replied());
    REQUIRE(desk.until([&] { return desk.model.find("A-40")->notes.size() == 1; }));
    CHECK(desk.model.find("A-40")->notes[0].text == "patrol on the way");
    CHECK(desk.model.find("A-40")->notes[0].by == "op-somchai");

    // An outcome outside the contract is refused before sending.
    CHECK_FALSE(desk.model.close("A-40", "maybe", ""));
    CHECK(desk.model.lastOutcome()->message.find("real, false_alarm, test, other") != std::string::npos);
    // The service's own rejection comes back with its message (an id it does not know).
    CHECK(desk.model.sendOther("alarms", "alarm.close", R"({"id": "A-99", "operator": "x", "outcome": "real"})"));
    REQUIRE(desk.replied());
    CHECK(desk.model.lastOutcome()->status == CCOC_BUS_STATUS_REJECTED);
    CHECK(desk.model.lastOutcome()->message == "unknown or closed alarm A-99");

    CHECK(desk.model.close("A-40", "false_alarm", "cat"));
    REQUIRE(desk.replied());
    CHECK(desk.model.lastOutcome()->status == CCOC_BUS_STATUS_OK);
    REQUIRE(desk.until([&] { return desk.model.alarms().empty(); }));
    const auto received = service.received();
    REQUIRE(received.size() == 4);
    CHECK(received[3].find(R"("outcome":"false_alarm")") != std::string::npos);
    CHECK(received[3].find(R"("operator":"op-somchai")") != std::string::npos);

    // A command to a device nobody serves: "unavailable", shown, nothing blocks.
    CHECK(desk.model.sendOther("wall.nowhere", "wall.set_tile", R"({"tile": 1, "camera": "cam1"})"));
    REQUIRE(desk.replied());
    CHECK(desk.model.lastOutcome()->status == CCOC_BUS_STATUS_UNAVAILABLE);
}

TEST_CASE("alarm_panel/history: alarm.history lists closed and open alarms, newest first")
{
    Desk desk;
    auto& service = desk.bus.service();
    service.raise(alarmRecord("A-50", 2, "door", "door-front", 1'000'000));
    service.raise(alarmRecord("A-51", 1, "fire", "smoke-hall", 2'000'000));
    service.closeAlarm("A-50", "real");
    service.closeAlarm("A-51", "test");
    service.raise(alarmRecord("A-52", 3, "motion", "pir-yard", 3'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 1; }));
    CHECK(desk.model.requestHistory("", 50));
    CHECK(desk.model.historyLoading());
    REQUIRE(desk.replied());
    desk.model.refresh(ccoc::test::steadyNowSec());
    CHECK_FALSE(desk.model.historyLoading());
    CHECK(desk.model.historyError().empty());
    REQUIRE(desk.model.history().size() == 3);
    CHECK(desk.model.history()[0].id == "A-51");
    CHECK(desk.model.history()[0].closeOutcome == "test");
    CHECK(desk.model.history()[1].id == "A-50");
    CHECK(desk.model.history()[2].state == "new");
    const auto received = service.received();
    REQUIRE_FALSE(received.empty());
    CHECK(received.back() == R"(alarm.history {"before_us":0,"limit":50,"search":""})");
}

TEST_CASE("alarm_panel/a record that breaks the contract is reported and skipped, the rest still show")
{
    Desk desk;
    auto& service = desk.bus.service();
    auto bad = alarmRecord("A-60", 9, "door", "door-front", 1'000'000);
    service.raise(bad);
    service.raise(alarmRecord("A-61", 2, "door", "door-back", 2'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 1 && !desk.model.lastDecodeError().empty(); }));
    CHECK(desk.model.find("A-61") != nullptr);
    CHECK(desk.model.lastDecodeError().find("alarms/item/A-60") != std::string::npos);
    CHECK(desk.model.lastDecodeError().find("'priority' must be 1..5, got 9") != std::string::npos);

    std::string error;
    CHECK_FALSE(ccoc::alarms::parseAlarmRecord(R"({"id": "A-1", "count": "two"})", &error));
    CHECK(error == R"(alarm record A-1: 'count' must be an integer, got "two")");
    CHECK_FALSE(ccoc::alarms::parseAlarmRecord("[1, 2]", &error));
    CHECK(error.find("expected a JSON object") != std::string::npos);
}

TEST_CASE("alarm_panel/without a bus service nothing is shown and commands say why")
{
    ccoc_host host{};
    host.struct_size = sizeof host;
    AlarmViewModel model(&host, nullptr, "op");
    model.refresh(1.0);
    CHECK_FALSE(model.available());
    CHECK(model.visible().empty());
    CHECK_FALSE(model.requestHistory(""));
    REQUIRE(model.lastOutcome());
    CHECK(model.lastOutcome()->message.find("no bus") != std::string::npos);
}

TEST_CASE("alarm_panel/escalation: an alarm escalated to this desk is listed for its banner until acknowledged")
{
    Desk desk;
    auto& service = desk.bus.service();
    service.raise(alarmRecord("A-1", 2, "door", "door-front", 1'000'000));
    service.raise(alarmRecord("A-2", 3, "water", "leak-cells", 2'000'000));
    REQUIRE(desk.until([&] { return desk.model.alarms().size() == 2; }));
    // The event is not retained: say it again until the panel's subscription has it.
    REQUIRE(desk.until([&] {
        service.escalate("A-1", 1, "sup");
        return !desk.model.escalatedTo("sup").empty();
    }));
    const auto escalated = desk.model.escalatedTo("sup");
    REQUIRE(escalated.size() == 1);
    CHECK(escalated.front()->id == "A-1");
    CHECK(desk.model.escalatedTo("desk").empty()); // another screen's desk shows no banner
    // And the supervisor hears it, once, in the alarm's priority; the other desk does not.
    CHECK(desk.model.takeEscalationSound("desk") == 0);
    CHECK(desk.model.takeEscalationSound("sup") == escalated.front()->priority);
    CHECK(desk.model.takeEscalationSound("sup") == 0);

    // Acknowledged: the supervisor's banner goes.
    auto acknowledged = alarmRecord("A-1", 1, "door", "door-front", 1'000'000);
    acknowledged["state"] = "acknowledged";
    acknowledged["ack"] = {{"by", "op-somchai"}, {"at_us", 3'000'000}, {"note", "checked"}};
    service.raise(acknowledged);
    REQUIRE(desk.until([&] { return desk.model.escalatedTo("sup").empty(); }));
    CHECK(desk.model.takeEscalationSound("sup") == 0);
}

TEST_CASE("alarm_panel/not stored: an alarm the journal has not taken is marked until its stored record comes")
{
    Desk desk;
    auto& service = desk.bus.service();
    auto waiting = alarmRecord("A-70", 2, "door", "door-front", 1'000'000);
    waiting["stored"] = false;
    service.raise(waiting);
    REQUIRE(desk.until([&] { return desk.model.find("A-70") != nullptr; }));
    const auto* alarm = desk.model.find("A-70");
    CHECK_FALSE(alarm->stored);
    // In each language, from the alarm list's catalogue (the build tree's, as the host binds it).
    ccoc::i18n::bindTextDomain("ccoc-alarms", std::string(CCOC_BINARY_DIR) + "/share/locale");
    REQUIRE(ccoc::i18n::applyProcessLanguage("en"));
    CHECK(std::string(ccoc::alarms::storageMark(*alarm)) == "not yet stored");
    REQUIRE(ccoc::i18n::applyProcessLanguage("th"));
    CHECK(std::string(ccoc::alarms::storageMark(*alarm)) == "ยังไม่ได้บันทึก");
    // The device's name follows the language too (the site's Thai name, else the English one).
    CHECK(alarm->displayName("th") == "door-front (th)");
    CHECK(alarm->displayName("en") == "door-front (en)");

    // The service publishes the record again once written: no "stored" (the contract's default).
    service.raise(alarmRecord("A-70", 2, "door", "door-front", 1'000'000));
    REQUIRE(desk.until([&] { return desk.model.find("A-70") != nullptr && desk.model.find("A-70")->stored; }));
    CHECK(std::string(ccoc::alarms::storageMark(*desk.model.find("A-70"))).empty());

    std::string error;
    CHECK_FALSE(ccoc::alarms::parseAlarmRecord(R"({"id": "A-1", "stored": "no"})", &error));
    CHECK(error.find("'stored'") != std::string::npos);
}
