// Three things the alarm service stands on: removing a retained key, knowing when the broker
// has journalled a reliable event, and resuming reliable events from a stored cursor.
#include "bus_test_util.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <set>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

TEST_CASE("bus/remove-state-leaves-mirrors-and-snapshots") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    ClientConfig driverConfig = testClientConfig(broker, "alarms", Role::Driver);
    driverConfig.devices = {"alarms"};
    Client driver(driverConfig);
    ClientConfig mirrorConfig = testClientConfig(broker, "desk-1", Role::Console);
    mirrorConfig.mirrorState = true;
    std::atomic<int> removals{0};
    Client desk(mirrorConfig);
    REQUIRE(desk.subscribe("state/alarms", [&](const Message& message) {
        if (message.removed) {
            ++removals;
        }
    }) != 0);
    REQUIRE(driver.start().ok());
    REQUIRE(desk.start().ok());
    REQUIRE(driver.waitReady(5000));
    REQUIRE(desk.waitReady(5000));
    REQUIRE(driver.publishState("alarms/item/A-1", R"({"id":"A-1"})").ok());
    REQUIRE(driver.publishState("alarms/item/A-2", R"({"id":"A-2"})").ok());
    REQUIRE(waitUntil([&] { return desk.state("alarms/item/A-2").has_value(); }));

    REQUIRE(driver.removeState("alarms/item/A-1").ok());
    REQUIRE(waitUntil([&] { return !desk.state("alarms/item/A-1").has_value(); }));
    CHECK(desk.state("alarms/item/A-2").has_value());
    CHECK(removals == 1);
    CHECK_FALSE(driver.removeState("alarms/bad path").ok());

    // A late joiner's snapshot no longer has it, and a driver's republish does not bring it back.
    Client late(mirrorConfig);
    REQUIRE(late.start().ok());
    REQUIRE(late.waitReady(5000));
    CHECK_FALSE(late.state("alarms/item/A-1").has_value());
    CHECK(late.state("alarms/item/A-2").has_value());
    CHECK(late.stateSnapshot("alarms").size() == 1);
}

TEST_CASE("bus/wait-acknowledged-after-the-broker-journals") {
    TempDir dir;
    BrokerConfig brokerConfig = testBrokerConfig(dir);
    brokerConfig.journalPath = (dir.path / "journal.sqlite").string();
    auto broker = std::make_unique<Broker>(brokerConfig);
    REQUIRE(broker->start().ok());
    ClientConfig driverConfig = testClientConfig(*broker, "sia-1", Role::Driver);
    driverConfig.devices = {"panel-1"};
    Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(5000));
    PublishOptions reliable;
    reliable.reliable = true;
    std::string id;
    reliable.messageIdOut = &id;
    REQUIRE(driver.publishEvent("panel-1/alarm", R"({"type":"panic","active":true})", reliable).ok());
    REQUIRE_FALSE(id.empty());
    CHECK(driver.waitAcknowledged(id, 5000));

    // With the broker gone, an event is not acknowledged in time, and still is once it is back.
    broker.reset();
    std::string second;
    reliable.messageIdOut = &second;
    REQUIRE(driver.publishEvent("panel-1/alarm", R"({"type":"fire","active":true})", reliable).ok());
    CHECK_FALSE(driver.waitAcknowledged(second, 300));
    broker = std::make_unique<Broker>(brokerConfig);
    REQUIRE(broker->start().ok());
    CHECK(driver.waitAcknowledged(second, 10000));
}

TEST_CASE("bus/reliable-events-resume-from-a-stored-cursor") {
    TempDir dir;
    BrokerConfig brokerConfig = testBrokerConfig(dir);
    brokerConfig.journalPath = (dir.path / "journal.sqlite").string();
    Broker broker(brokerConfig);
    REQUIRE(broker.start().ok());
    ClientConfig driverConfig = testClientConfig(broker, "sia-1", Role::Driver);
    driverConfig.devices = {"panel-1"};
    Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(5000));

    // The first receiver stores what it handled, then goes away after event 4 of 10.
    std::mutex mutex;
    std::string journal;
    uint64_t cursor = 0;
    std::set<int> first;
    std::set<int> second;
    {
        ClientConfig config = testClientConfig(broker, "alarm-store", Role::Console);
        config.receiveReliableEvents = true;
        Client receiver(config);
        REQUIRE(receiver.subscribe("event/panel-1", [&](const Message& message) {
            std::lock_guard lock(mutex);
            const int n = nlohmann::json::parse(message.payload)["n"].get<int>();
            if (n < 4) {
                first.insert(n);
                journal = message.journal;
                cursor = message.eventSeq;
            }
        }) != 0);
        REQUIRE(receiver.start().ok());
        REQUIRE(receiver.waitReady(5000));
        REQUIRE(receiver.waitSubscribed(5000));
        PublishOptions reliable;
        reliable.reliable = true;
        std::string last;
        reliable.messageIdOut = &last;
        for (int n = 0; n < 10; ++n) {
            REQUIRE(driver.publishEvent("panel-1/alarm", "{\"n\":" + std::to_string(n) + "}", reliable).ok());
        }
        REQUIRE(driver.waitAcknowledged(last, 5000));
        REQUIRE(waitUntil([&] {
            std::lock_guard lock(mutex);
            return first.size() == 4;
        }));
    }
    REQUIRE_FALSE(journal.empty());
    CHECK(cursor == 4);
    // A new receiver with the stored cursor gets exactly the six it had not stored.
    ClientConfig config = testClientConfig(broker, "alarm-store", Role::Console);
    config.receiveReliableEvents = true;
    config.eventCursorJournal = journal;
    config.eventCursorSeq = cursor;
    Client receiver(config);
    REQUIRE(receiver.subscribe("event/panel-1", [&](const Message& message) {
        std::lock_guard lock(mutex);
        second.insert(nlohmann::json::parse(message.payload)["n"].get<int>());
    }) != 0);
    REQUIRE(receiver.start().ok());
    REQUIRE(waitUntil([&] {
        std::lock_guard lock(mutex);
        return second.size() >= 6;
    }));
    std::lock_guard lock(mutex);
    CHECK(second == std::set<int>{4, 5, 6, 7, 8, 9});
}
