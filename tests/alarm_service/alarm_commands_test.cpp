// Operators' commands to the alarm service: ack (with the note rule), assign, note, close and
// history, seen by a second desk through its own state mirror.
#include "alarm_test_support.hpp"

using namespace ccoc;
using namespace ccoc::alarm_test;
using nlohmann::json;

namespace {

struct Station {
    TempDir dir;
    bus::Broker broker{brokerWithJournal(dir)};
    site::Site site;
    std::unique_ptr<alarm_service::AlarmService> service;
    Station() {
        REQUIRE(broker.start().ok());
        site = loadSite(dir, siteText("journal = \"alarms.sqlite\"\n[alarms.priority]\nmotion = 4\n", ""));
        service = std::make_unique<alarm_service::AlarmService>(site, serviceConfig(broker, site));
        REQUIRE(service->start().ok());
        REQUIRE(service->waitReady(5000));
    }
};

} // namespace

TEST_CASE("alarm_service/ack-visible-on-another-desk") {
    Station station;
    Observer desk1(station.broker, "desk-1");
    Observer desk2(station.broker, "desk-2");
    AlarmDriver driver(station.broker);
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "d-1"}});
    const auto items = waitForItems(desk2, 1);
    REQUIRE(items.size() == 1);
    const std::string id = items.front().id;

    const bus::Reply reply = desk1.call("alarm.ack", {{"id", id}, {"operator", "ร.ต.อ. สมชาย"}, {"note", "ส่งสายตรวจ"}});
    REQUIRE(reply.status == bus::CommandStatus::Ok);
    const auto result = alarm::decodeRecord(reply.resultJson);
    REQUIRE(result.ok());
    CHECK(result.value->state == alarm::State::Acknowledged);
    REQUIRE(waitUntil([&] {
        auto item = desk2.item(id);
        return item && item->state == alarm::State::Acknowledged;
    }));
    const alarm::AlarmRecord seen = *desk2.item(id);
    REQUIRE(seen.ack);
    CHECK(seen.ack->by == "ร.ต.อ. สมชาย");
    CHECK(seen.ack->note == "ส่งสายตรวจ");
    CHECK(seen.ack->atUs > 0);
    REQUIRE(waitUntil([&] { return desk2.summary() && desk2.summary()->unacknowledged == 0; }));
    CHECK(desk2.summary()->open == 1);
    station.service->stop();
    CHECK(queryInt(station.site.alarms.journal, "SELECT COUNT(*) FROM actions WHERE what = 'ack'") == 1);
}

TEST_CASE("alarm_service/ack-needs-a-note-for-priority-1-and-2") {
    Station station;
    Observer desk(station.broker);
    AlarmDriver driver(station.broker);
    driver.send("door-front", {{"type", "panic"}, {"active", true}, {"event_id", "x-1"}});  // 1
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "x-2"}});   // 2
    driver.send("door-front", {{"type", "water"}, {"active", true}, {"event_id", "x-3"}});  // 3
    driver.send("door-front", {{"type", "motion"}, {"active", true}, {"event_id", "x-4"}}); // 4 by [alarms.priority]
    const auto items = waitForItems(desk, 4);
    REQUIRE(items.size() == 4);
    for (const auto& item : items) {
        INFO(item.type << " priority " << item.priority);
        const bus::Reply reply = desk.call("alarm.ack", {{"id", item.id}, {"operator", "op"}});
        if (item.type == "panic" || item.type == "door") {
            CHECK(item.priority == (item.type == "panic" ? 1 : 2));
            CHECK(reply.status == bus::CommandStatus::Rejected);
            CHECK(reply.message.find("needs a note") != std::string::npos);
        } else {
            CHECK(item.priority == (item.type == "water" ? 3 : 4));
            CHECK(reply.status == bus::CommandStatus::Ok);
        }
    }
    const bus::Reply unknown = desk.call("alarm.ack", {{"id", "A-19700101-999999"}, {"operator", "op"}, {"note", "n"}});
    CHECK(unknown.status == bus::CommandStatus::Rejected);
    CHECK(unknown.message == "no alarm A-19700101-999999");
    const bus::Reply noOperator = desk.call("alarm.ack", {{"id", items.front().id}});
    CHECK(noOperator.status == bus::CommandStatus::Rejected);
    CHECK(noOperator.message.find("'operator'") != std::string::npos);
}

TEST_CASE("alarm_service/assign-note-close-and-history") {
    Station station;
    Observer desk(station.broker);
    AlarmDriver driver(station.broker);
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "c-1"}, {"text", "ประตูเปิด"}});
    const auto items = waitForItems(desk, 1);
    REQUIRE(items.size() == 1);
    const std::string id = items.front().id;

    CHECK(desk.call("alarm.assign", {{"id", id}, {"operator", "op"}, {"to", "สายตรวจ 2"}}).status ==
          bus::CommandStatus::Ok);
    CHECK(desk.call("alarm.note", {{"id", id}, {"operator", "op"}, {"text", "ถึงที่เกิดเหตุแล้ว"}}).status ==
          bus::CommandStatus::Ok);
    REQUIRE(waitUntil([&] {
        auto item = desk.item(id);
        return item && item->assignedTo == "สายตรวจ 2" && item->notes.size() == 1;
    }));

    const bus::Reply noOutcome = desk.call("alarm.close", {{"id", id}, {"operator", "op"}});
    CHECK(noOutcome.status == bus::CommandStatus::Rejected);
    CHECK(noOutcome.message.find("'outcome'") != std::string::npos);
    const bus::Reply badOutcome = desk.call("alarm.close", {{"id", id}, {"operator", "op"}, {"outcome", "done"}});
    CHECK(badOutcome.status == bus::CommandStatus::Rejected);
    CHECK(badOutcome.message.find("real, false_alarm, test, other") != std::string::npos);

    const bus::Reply closed = desk.call("alarm.close", {{"id", id}, {"operator", "op"}, {"outcome", "false_alarm"},
                                                        {"note", "ลมพัด"}});
    REQUIRE(closed.status == bus::CommandStatus::Ok);
    CHECK(json::parse(closed.resultJson)["state"] == "closed");
    // The retained item is removed, not left behind.
    REQUIRE(waitUntil([&] { return !desk.client().state("alarms/item/" + id).has_value(); }));
    REQUIRE(waitUntil([&] { return desk.summary() && desk.summary()->open == 0; }));

    const bus::Reply again = desk.call("alarm.ack", {{"id", id}, {"operator", "op"}, {"note", "n"}});
    CHECK(again.status == bus::CommandStatus::Rejected);
    CHECK(again.message == "alarm " + id + " is closed");

    // A new event for the same device and type opens a new alarm.
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "c-2"}});
    const auto next = waitForItems(desk, 1);
    REQUIRE(next.size() == 1);
    CHECK(next.front().id != id);

    const bus::Reply history = desk.call("alarm.history", json::object());
    REQUIRE(history.status == bus::CommandStatus::Ok);
    const json alarms = json::parse(history.resultJson)["alarms"];
    REQUIRE(alarms.size() == 2);
    CHECK(alarms[0]["id"] == next.front().id); // newest first
    CHECK(alarms[1]["id"] == id);
    CHECK(alarms[1]["state"] == "closed");
    CHECK(alarms[1]["close"]["outcome"] == "false_alarm");
    CHECK(alarms[1]["close"]["note"] == "ลมพัด");
    CHECK(alarms[1]["notes"][0]["text"] == "ถึงที่เกิดเหตุแล้ว");
    const bus::Reply searched = desk.call("alarm.history", {{"search", "ลมพัด"}, {"limit", 10}});
    REQUIRE(json::parse(searched.resultJson)["alarms"].size() == 1);
    const bus::Reply limited = desk.call("alarm.history", {{"limit", 1}});
    CHECK(json::parse(limited.resultJson)["alarms"].size() == 1);
    station.service->stop();
    CHECK(queryInt(station.site.alarms.journal, "SELECT COUNT(*) FROM actions") == 3);
}

TEST_CASE("alarm_service/priority-device-then-type-then-built-in") {
    Station station; // panel-1 has priority = 1; [alarms.priority] motion = 4
    Observer desk(station.broker);
    AlarmDriver driver(station.broker);
    driver.send("panel-1", {{"type", "water"}, {"active", true}, {"event_id", "p-1"}});
    driver.send("door-front", {{"type", "motion"}, {"active", true}, {"event_id", "p-2"}});
    driver.send("door-front", {{"type", "water"}, {"active", true}, {"event_id", "p-3"}});
    driver.send("door-front", {{"type", "vendor.acme-cut-fence"}, {"active", true}, {"event_id", "p-4"}});
    driver.send("door-front", {{"type", "fire"}, {"active", true}, {"test", true}, {"event_id", "p-5"}});
    const auto items = waitForItems(desk, 5);
    REQUIRE(items.size() == 5);
    std::map<std::string, int> priorities;
    for (const auto& item : items) {
        priorities[item.device + "/" + item.type] = item.priority;
    }
    CHECK(priorities == std::map<std::string, int>{{"panel-1/water", 1},
                                                   {"door-front/motion", 4},
                                                   {"door-front/water", 3},
                                                   {"door-front/vendor.acme-cut-fence", 3},
                                                   {"door-front/fire", 5}});
}
