// A restart of the service on the same journal: the open alarms come back as they were and
// nothing is duplicated; events sent while it was down are taken from the broker's journal.
#include "alarm_test_support.hpp"

using namespace ccoc;
using namespace ccoc::alarm_test;
using nlohmann::json;

TEST_CASE("alarm_service/restart-brings-open-alarms-back") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText("journal = \"alarms.sqlite\"\n", ""));
    Observer desk(broker);
    AlarmDriver driver(broker);
    std::vector<alarm::AlarmRecord> before;
    {
        alarm_service::AlarmService service(site, serviceConfig(broker, site));
        REQUIRE(service.start().ok());
        REQUIRE(service.waitReady(5000));
        REQUIRE(service.stats().open == 0);
        driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "r-1"}});
        driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"point", "001"}, {"event_id", "r-2"}});
        driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"point", "002"}, {"event_id", "r-3"}});
        REQUIRE(waitForItems(desk, 3).size() == 3);
        const std::string acked = desk.items().front().id;
        REQUIRE(desk.call("alarm.ack", {{"id", acked}, {"operator", "op"}, {"note", "n"}}).status ==
                bus::CommandStatus::Ok);
        REQUIRE(waitUntil([&] {
            auto item = desk.item(acked);
            return item && item->state == alarm::State::Acknowledged;
        }));
        before = desk.items();
        service.stop();
    }
    // While the service is down: a retrigger and a new alarm (journalled by the broker).
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "r-4"}});
    driver.send("door-front", {{"type", "tamper"}, {"active", true}, {"event_id", "r-5"}});
    REQUIRE(driver.drained());

    alarm_service::AlarmService service(site, serviceConfig(broker, site));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));
    CHECK(service.stats().open == 3);
    const auto after = waitForItems(desk, 4);
    REQUIRE(after.size() == 4);
    for (const alarm::AlarmRecord& old : before) {
        const auto now = desk.item(old.id);
        REQUIRE(now);
        CHECK(now->state == old.state);
        CHECK(now->priority == old.priority);
        CHECK(now->firstUs == old.firstUs);
        CHECK(now->ack.has_value() == old.ack.has_value());
        if (old.device == "door-front") {
            REQUIRE(waitUntil([&] { return desk.item(old.id) && desk.item(old.id)->count == 2; }));
        } else {
            CHECK(now->count == 1);
        }
    }
    service.stop();
    CHECK(queryInt(site.alarms.journal, "SELECT COUNT(*) FROM alarms") == 4);
    CHECK(queryInt(site.alarms.journal, "SELECT COUNT(*) FROM events") == 5);
    CHECK(queryInt(site.alarms.journal, "SELECT event_seq FROM cursor") >= 5);
}

TEST_CASE("alarm_service/first-start-takes-alarms-sent-before-it") {
    // The host's case: an embedded broker without a journal file starts with the host, drivers
    // may report before the alarm service (in memory here) has connected.
    TempDir dir;
    bus::Broker broker(bus::test::testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText("", ""));
    REQUIRE(site.alarms.journal.empty());
    AlarmDriver driver(broker);
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "early-1"}});
    driver.send("panel-1", {{"type", "fire"}, {"active", true}, {"event_id", "early-2"}});
    REQUIRE(driver.drained());

    alarm_service::AlarmServiceConfig config = serviceConfig(broker, site);
    REQUIRE(alarm_service::alarmServiceConfigFromSite(site, config).ok());
    CHECK(config.replayBusJournalOnFirstStart); // no [bus] journal: the broker's journal is this run's
    config.bus.frontendEndpoint = broker.frontendEndpoint();
    config.bus.publisherEndpoint = broker.publisherEndpoint();
    alarm_service::AlarmService service(site, config);
    REQUIRE(service.start().ok());
    Observer desk(broker);
    const auto items = waitForItems(desk, 2);
    REQUIRE(items.size() == 2);
}

TEST_CASE("alarm_service/start-removes-items-of-alarms-not-open") {
    // A run that closed an alarm but died before removing its item leaves it on the bus.
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText("journal = \"alarms.sqlite\"\n", ""));
    Observer desk(broker);
    {
        bus::ClientConfig config = bus::test::testClientConfig(broker, "alarms", bus::Role::Driver);
        config.devices = {"alarms"};
        bus::Client dead(config);
        REQUIRE(dead.start().ok());
        REQUIRE(dead.waitReady(5000));
        REQUIRE(dead.publishState("alarms/item/A-20260101-000007", R"({"id":"A-20260101-000007"})").ok());
        REQUIRE(waitUntil([&] { return desk.client().state("alarms/item/A-20260101-000007").has_value(); }));
    }
    alarm_service::AlarmService service(site, serviceConfig(broker, site));
    REQUIRE(service.start().ok());
    // On a first start the service's journal cursor begins where it joined the bus: an event
    // sent before it is ready is history, not an alarm (see history-before-first-start-...).
    REQUIRE(service.waitReady(5000));
    AlarmDriver driver(broker);
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "s-1"}});
    REQUIRE(waitUntil([&] {
        const auto items = desk.client().stateSnapshot("alarms/item");
        return items.size() == 1 && items.front().path != "alarms/item/A-20260101-000007";
    }));
}

TEST_CASE("alarm_service/history-before-first-start-stays-history") {
    // A long-lived broker journal: what drivers sent before this service ever ran is not raised,
    // neither at its first start nor after a restart (its cursor begins where it joined).
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText("journal = \"alarms.sqlite\"\n", ""));
    AlarmDriver driver(broker);
    driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"event_id", "old-1"}});
    REQUIRE(driver.drained());
    Observer desk(broker);
    for (int run = 0; run < 2; ++run) {
        INFO("run " << run);
        alarm_service::AlarmService service(site, serviceConfig(broker, site));
        REQUIRE(service.start().ok());
        REQUIRE(service.waitReady(5000));
        driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "new-" + std::to_string(run)}});
        REQUIRE(waitUntil([&] {
            const auto items = desk.items();
            return items.size() == 1 && items.front().count == run + 1;
        }));
        service.stop();
    }
    CHECK(queryInt(site.alarms.journal, "SELECT COUNT(*) FROM events WHERE event_id = 'old-1'") == 0);
}

// A host that restarts draws its walls from the site's layouts: the service pushes the cameras of
// the alarms nobody has acknowledged yet again, and not those of acknowledged ones.
TEST_CASE("alarm_service/restart-pushes-unacknowledged-alarms-to-the-wall-again") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const std::string rule = "[[alarm_rule]]\nid = \"to-wall\"\ntypes = [\"door\"]\nscreen = \"main\"\n";
    const site::Site site = loadSite(dir, siteText("journal = \"alarms.sqlite\"\n", rule));
    Observer desk(broker);
    AlarmDriver driver(broker);
    std::string acknowledged;
    std::string waiting;
    {
        alarm_service::AlarmService service(site, serviceConfig(broker, site));
        REQUIRE(service.start().ok());
        REQUIRE(service.waitReady(5000));
        // Two alarms of the door (two points), both linked to cam1 and cam2; the older is acknowledged.
        driver.send("door-front", {{"type", "door"}, {"active", true}, {"point", "a"}, {"event_id", "p-1"}});
        REQUIRE(waitForItems(desk, 1).size() == 1);
        driver.send("door-front", {{"type", "door"}, {"active", true}, {"point", "b"}, {"event_id", "p-2"}});
        for (const auto& item : waitForItems(desk, 2)) {
            (item.point == "a" ? acknowledged : waiting) = item.id;
        }
        REQUIRE_FALSE(acknowledged.empty());
        REQUIRE_FALSE(waiting.empty());
        REQUIRE(desk.call("alarm.ack", {{"id", acknowledged}, {"operator", "op"}, {"note", "n"}}).status ==
                bus::CommandStatus::Ok);
        service.stop();
    }
    FakeWall wall(broker);
    alarm_service::AlarmService service(site, serviceConfig(broker, site));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));
    REQUIRE(wall.waitForCommands(2, 10000));
    service.stop();
    // Pushed oldest first: had the acknowledged alarm been pushed, its commands would come first.
    const auto received = wall.received();
    CHECK(received[0].second["camera"] == "cam1");
    CHECK(received[1].second["camera"] == "cam2");
    CHECK(received[0].second["mark"]["alarm"] == waiting);
    CHECK(received[1].second["mark"]["alarm"] == waiting);
}

TEST_CASE("alarm_service/cursor-crosses-the-numbers-a-dead-broker-left-unused") {
    TempDir dir;
    bus::BrokerConfig brokerConfig = brokerWithJournal(dir);
    // The first broker runs in a child process and is killed with SIGKILL, usually before it has
    // committed anything (each commit takes 5 s): its senders resend to the next broker, which
    // numbers above a gap left for whatever the dead one handed out (protocol section 8).
    bus::BrokerConfig slow = brokerConfig;
    slow.journalCommitDelayMs = 5000;
    bus::test::ForkedBroker doomed(slow);
    REQUIRE(doomed.forked());

    const site::Site site = loadSite(dir, siteText("journal = \"alarms.sqlite\"\n", ""));
    alarm_service::AlarmServiceConfig config;
    config.bus.frontendEndpoint = brokerConfig.frontendEndpoint;
    config.bus.publisherEndpoint = brokerConfig.publisherEndpoint;
    config.bus.heartbeatMs = 100;
    config.journalPath = site.alarms.journal;
    config.log = [](alarm_service::LogLevel, std::string_view) {};
    alarm_service::AlarmService service(site, config);
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(10000));
    bus::ClientConfig driverConfig;
    driverConfig.sourceId = "sim-1";
    driverConfig.role = bus::Role::Driver;
    driverConfig.devices = {"door-front", "panel-1"};
    driverConfig.frontendEndpoint = brokerConfig.frontendEndpoint;
    driverConfig.publisherEndpoint = brokerConfig.publisherEndpoint;
    driverConfig.heartbeatMs = 100;
    bus::Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(10000));
    bus::PublishOptions reliable;
    reliable.reliable = true;
    std::string id;
    reliable.messageIdOut = &id;
    // Until the service's subscription is in place, an event it misses comes only with a replay,
    // which waits behind the slow commits: so first send harmless events (no alarm) until the
    // service has stored a cursor, i.e. heard one live.
    const auto cursorOf = [&] { return queryInt(site.alarms.journal, "SELECT event_seq FROM cursor"); };
    REQUIRE(waitUntil([&] {
        (void)driver.publishEvent("door-front/ping", "{}", reliable);
        return waitUntil([&] { return cursorOf() >= 1; }, 200);
    }, 20000));
    REQUIRE(driver.publishEvent("door-front/alarm", json{{"type", "door"}, {"active", true}, {"event_id", "g-1"}}.dump(),
                                reliable).ok());
    // The service has taken the alarm (and so will see the driver's resend as a duplicate).
    REQUIRE(waitUntil([&] { return service.stats().events == 1; }, 10000));

    doomed.kill();
    bus::Broker broker(brokerConfig);
    REQUIRE(broker.start().ok());
    REQUIRE(driver.publishEvent("panel-1/alarm", json{{"type", "intrusion"}, {"active", true}, {"event_id", "g-2"}}.dump(),
                                reliable).ok());
    REQUIRE(driver.waitAcknowledged(id, 10000));
    REQUIRE(waitUntil([&] { return service.stats().events == 2; }, 10000));
    CHECK(waitUntil([&] { return service.stats().open == 2; }, 10000));
    // Every number of the new broker is above the gap, and some of them are resends the service
    // had already seen under the dead broker's numbers. Its stored cursor still reaches the last
    // number: it waits neither below the gap nor at a resend it does not take twice.
    const bool reached = waitUntil([&] { return cursorOf() == static_cast<int64_t>(broker.stats().eventSeq); }, 10000);
    INFO("cursor " << cursorOf() << ", broker's last event " << broker.stats().eventSeq);
    CHECK(reached);
    CHECK(broker.stats().eventSeq > 4096);
    service.stop();
}
