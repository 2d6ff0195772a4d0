// The alarm service against a real broker: events raise, retrigger and restore alarms; each
// event_id is stored once; rules push cameras to the wall; escalation; malformed events dropped.
#include "alarm_test_support.hpp"
#include "alarm_book.hpp"

using namespace ccoc;
using namespace ccoc::alarm_test;
using nlohmann::json;

namespace {

const std::string kJournal = "journal = \"alarms.sqlite\"\n";
const std::string kRule = R"([[alarm_rule]]
id = "front-door"
types = ["door", "intrusion"]
zones = ["front"]
screen = "main"
tile = 2
)";

} // namespace

TEST_CASE("alarm_service/event-raises-retained-record-and-summary") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText(kJournal, ""));
    alarm_service::AlarmService service(site, serviceConfig(broker, site));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));
    Observer observer(broker);
    AlarmDriver driver(broker);

    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "e-1"}, {"text", "Door open"}});
    const auto items = waitForItems(observer, 1);
    REQUIRE(items.size() == 1);
    const alarm::AlarmRecord& record = items.front();
    CHECK(record.id.starts_with("A-"));
    CHECK(record.device == "door-front");
    CHECK(record.deviceName == "ประตูหน้าสถานี");
    CHECK(record.deviceNameEn == "Station front door");
    CHECK(record.type == "door");
    CHECK(record.priority == 2); // built-in for door
    CHECK(record.state == alarm::State::New);
    CHECK(record.count == 1);
    CHECK_FALSE(record.cleared);
    CHECK(record.zone == "front");
    CHECK(record.riskPoint == "จุดเสี่ยง 1");
    CHECK(record.procedure == "ตรวจสอบกล้อง แล้วแจ้งสายตรวจ");
    CHECK(record.cameras == std::vector<std::string>{"cam1", "cam2"});
    REQUIRE(record.position);
    CHECK(record.position->first == Approx(13.73));
    CHECK(record.source == "sim-1");
    CHECK(record.eventId == "e-1");
    CHECK(record.text == "Door open");
    CHECK(record.receivedUs > 0);

    REQUIRE(waitUntil([&] { return observer.summary() && observer.summary()->open == 1; }));
    const alarm::AlarmSummary summary = *observer.summary();
    CHECK(summary.unacknowledged == 1);
    CHECK(summary.byPriority[1] == 1);
    CHECK(summary.unacknowledgedByPriority[1] == 1);
}

TEST_CASE("alarm_service/retrigger-counts-and-restore-clears") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText(kJournal, ""));
    alarm_service::AlarmService service(site, serviceConfig(broker, site));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));
    Observer observer(broker);
    AlarmDriver driver(broker);

    driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"point", "003"}, {"event_id", "p-1"}});
    REQUIRE(waitForItems(observer, 1).size() == 1);
    driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"point", "003"}, {"event_id", "p-2"}});
    REQUIRE(waitUntil([&] {
        auto items = observer.items();
        return items.size() == 1 && items.front().count == 2;
    }));
    driver.send("panel-1", {{"type", "intrusion"}, {"active", false}, {"point", "003"}, {"event_id", "p-3"}});
    REQUIRE(waitUntil([&] {
        auto items = observer.items();
        return items.size() == 1 && items.front().cleared;
    }));
    // Another point of the same panel is another alarm.
    driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"point", "004"}, {"event_id", "p-4"}});
    REQUIRE(waitForItems(observer, 2).size() == 2);
    service.stop();
    const std::string file = site.alarms.journal;
    CHECK(queryInt(file, "SELECT COUNT(*) FROM alarms") == 2);
    CHECK(queryInt(file, "SELECT COUNT(*) FROM events") == 4);
}

TEST_CASE("alarm_service/duplicate-event-id-stored-once") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText(kJournal, ""));
    alarm_service::AlarmService service(site, serviceConfig(broker, site));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));
    Observer observer(broker);
    AlarmDriver driver(broker);

    // The same event_id in three messages (a panel that repeats its report).
    for (int i = 0; i < 3; ++i) {
        driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "sia:1234:0042"}});
    }
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "sia:1234:0043"}});
    REQUIRE(waitUntil([&] {
        auto items = observer.items();
        return items.size() == 1 && items.front().count == 2;
    }));
    REQUIRE(waitUntil([&] { return service.stats().duplicates == 2; }));
    CHECK(service.stats().events == 2);
    service.stop();
    CHECK(queryInt(site.alarms.journal, "SELECT COUNT(*) FROM events WHERE event_id = 'sia:1234:0042'") == 1);
    CHECK(queryInt(site.alarms.journal, "SELECT json_extract(record, '$.count') FROM alarms") == 2);
}

TEST_CASE("alarm_service/rule-pushes-cameras-to-the-wall") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText(kJournal, kRule));
    alarm_service::AlarmService service(site, serviceConfig(broker, site));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));
    Observer observer(broker);

    FakeWall wall(broker);
    AlarmDriver driver(broker);

    // A test signal and an alarm in another zone match no rule.
    driver.send("door-front", {{"type", "motion"}, {"active", true}, {"test", true}, {"event_id", "t-1"}});
    driver.send("panel-1", {{"type", "door"}, {"active", true}, {"event_id", "b-1"}});
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "f-1"}});
    const auto items = waitForItems(observer, 3);
    REQUIRE(items.size() == 3);
    std::string doorId;
    for (const auto& item : items) {
        if (item.device == "door-front" && item.type == "door") {
            doorId = item.id;
        }
        if (item.test) {
            CHECK(item.priority == 5);
        }
    }
    REQUIRE(wall.waitForCommands(2, 5000));
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // room for a wrong third command
    const auto received = wall.received();
    REQUIRE(received.size() == 2);
    CHECK(received[0].first == "wall.set_tile");
    CHECK(received[0].second == json{{"tile", 2}, {"camera", "cam1"}, {"mark", {{"alarm", doorId}, {"priority", 2}}}});
    CHECK(received[1].second == json{{"tile", 3}, {"camera", "cam2"}, {"mark", {{"alarm", doorId}, {"priority", 2}}}});
}

// A host starting up: the alarm comes before the camera wall is on the bus. The service asks
// the wall again until it is there, so the cameras still go up.
TEST_CASE("alarm_service/rule-reaches-a-wall-that-joins-later") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText(kJournal, kRule));
    ServiceLog log;
    alarm_service::AlarmService service(site, serviceConfig(broker, site, &log));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));
    Observer observer(broker);
    AlarmDriver driver(broker);
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "late-wall-1"}});
    REQUIRE(waitForItems(observer, 1).size() == 1);
    REQUIRE(waitUntil([&] { return log.contains("(asking again in"); }, 10000));

    FakeWall wall(broker);
    REQUIRE(wall.waitForCommands(2, 20000));
    const auto received = wall.received();
    CHECK(received[0].second["camera"] == "cam1");
    CHECK(received[1].second["camera"] == "cam2");
    // A wall that is not there yet is usual while a host starts: no warning unless it never comes.
    CHECK_FALSE(log.warned("wall.set_tile"));
}

TEST_CASE("alarm_service/unacknowledged-alarm-escalates") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const std::string rule = kRule + "escalate_after_s = 1\n";
    const site::Site site = loadSite(dir, siteText(kJournal, rule));
    alarm_service::AlarmService service(site, serviceConfig(broker, site));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));
    Observer observer(broker);
    std::mutex mutex;
    std::vector<json> escalations;
    observer.client().subscribe("event/alarms/escalated", [&](const bus::Message& message) {
        std::lock_guard lock(mutex);
        escalations.push_back(json::parse(message.payload));
    });
    REQUIRE(observer.client().waitSubscribed(5000));
    AlarmDriver driver(broker);

    const auto start = std::chrono::steady_clock::now();
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "f-1"}});
    const auto items = waitForItems(observer, 1);
    REQUIRE(items.size() == 1);
    CHECK(items.front().priority == 2);
    REQUIRE(waitUntil([&] {
        std::lock_guard lock(mutex);
        return !escalations.empty();
    }, 6000));
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(900));
    {
        std::lock_guard lock(mutex);
        CHECK(escalations.front() == json{{"id", items.front().id}, {"priority", 1}, {"screen", "sup"}});
    }
    REQUIRE(waitUntil([&] {
        auto item = observer.item(items.front().id);
        return item && item->escalated >= 1 && item->priority == 1;
    }));
    // Acknowledged: no more escalations.
    REQUIRE(observer.call("alarm.ack", {{"id", items.front().id}, {"operator", "op"}, {"note", "seen"}}).status ==
            bus::CommandStatus::Ok);
    size_t seen = 0;
    {
        std::lock_guard lock(mutex);
        seen = escalations.size();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    std::lock_guard lock(mutex);
    CHECK(escalations.size() == seen);
    CHECK(queryInt(site.alarms.journal, "SELECT COUNT(*) FROM actions WHERE what = 'escalate'") >= 1);
}

TEST_CASE("alarm_service/malformed-event-dropped-service-goes-on") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText(kJournal, ""));
    ServiceLog log;
    alarm_service::AlarmService service(site, serviceConfig(broker, site, &log));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));
    Observer observer(broker);
    AlarmDriver driver(broker);

    driver.send("door-front", {{"type", 5}, {"active", true}});
    driver.send("door-front", {{"type", "bogus"}, {"active", true}});
    driver.send("door-front", {{"type", "door"}});
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "good"}});
    REQUIRE(waitForItems(observer, 1).size() == 1);
    REQUIRE(waitUntil([&] { return service.stats().malformed == 3; }));
    CHECK(log.contains("from 'sim-1' on event/door-front/alarm/"));
    CHECK(log.contains("'type' of the alarm event is 'bogus'"));
    CHECK(log.contains("the alarm event has no 'active'"));
}

// The book keeps its summary up to date at every change instead of walking all alarms for each
// batch (a burst holds tens of thousands): it must always equal a fresh count.
TEST_CASE("alarm_service/book-summary-follows-every-change") {
    ccoc::bus::test::TempDir dir;
    const ccoc::site::Site site = ccoc::alarm_test::loadSite(dir, ccoc::alarm_test::siteText("", ""));
    ccoc::alarm_service::AlarmBook book(site);
    const auto same = [&] {
        const ccoc::alarm::AlarmSummary fresh = ccoc::alarm::summarize(book.all());
        const ccoc::alarm::AlarmSummary& kept = book.summary();
        return fresh.open == kept.open && fresh.unacknowledged == kept.unacknowledged &&
               fresh.byPriority == kept.byPriority && fresh.unacknowledgedByPriority == kept.unacknowledgedByPriority;
    };
    std::vector<std::string> ids;
    for (const char* point : {"001", "002", "003"}) {
        ccoc::alarm_service::ReceivedEvent received;
        received.device = "door-front";
        received.source = "sim-1";
        received.messageId = point;
        received.event.type = "door";
        received.event.active = true;
        received.event.point = point;
        ids.push_back(book.applyEvent(received, 1000).alarmId);
        CHECK(same());
    }
    CHECK(book.summary().open == 3);
    CHECK(book.summary().unacknowledged == 3);
    ccoc::alarm::AlarmCommand ack;
    ack.action = ccoc::alarm::Action::Ack;
    ack.id = ids[0];
    ack.operatorName = "op";
    ack.note = "checked";
    REQUIRE(book.applyCommand(ack, 2000, false).ok);
    CHECK(same());
    book.escalate(ids[1], 1);
    CHECK(same());
    ccoc::alarm::AlarmCommand close = ack;
    close.action = ccoc::alarm::Action::Close;
    close.id = ids[2];
    close.outcome = "false_alarm";
    REQUIRE(book.applyCommand(close, 3000, false).ok);
    CHECK(same());
    book.forget(ids[2]);
    CHECK(same());
    CHECK(book.summary().open == 2);
    CHECK(book.summary().unacknowledged == 1);
}
