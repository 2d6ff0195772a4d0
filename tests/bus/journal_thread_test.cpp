// The broker's journal runs on its own thread (protocol section 8): subscribers get a reliable
// event as soon as the broker has it, the sender's ack waits for the journal, and after a broker
// that died is restarted no event number is given twice.
#include "bus_test_util.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <set>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

// What a receiver of reliable events saw: payload "n" -> event number, per journal.
struct Seen {
    std::mutex mutex;
    std::map<int, uint64_t> numbers;
    std::vector<uint64_t> all;
    std::string journal;
    MessageHandler handler() {
        return [this](const Message& message) {
            std::lock_guard lock(mutex);
            numbers[nlohmann::json::parse(message.payload)["n"].get<int>()] = message.eventSeq;
            all.push_back(message.eventSeq);
            journal = message.journal;
        };
    }
    size_t count() {
        std::lock_guard lock(mutex);
        return numbers.size();
    }
};

bool publishN(Client& driver, int n, std::string& id) {
    PublishOptions reliable;
    reliable.reliable = true;
    reliable.messageIdOut = &id;
    return driver.publishEvent("panel-1/alarm", "{\"n\":" + std::to_string(n) + "}", reliable).ok();
}

} // namespace

TEST_CASE("bus/reliable-events-reach-subscribers-before-the-journal-commit") {
    TempDir dir;
    BrokerConfig brokerConfig = testBrokerConfig(dir);
    brokerConfig.journalPath = (dir.path / "journal.sqlite").string();
    brokerConfig.journalCommitDelayMs = 3000; // a disk that takes 3 s per commit
    Broker broker(brokerConfig);
    REQUIRE(broker.start().ok());
    ClientConfig driverConfig = testClientConfig(broker, "sia-1", Role::Driver);
    driverConfig.devices = {"panel-1"};
    Client driver(driverConfig);
    ClientConfig deskConfig = testClientConfig(broker, "desk-1", Role::Console);
    deskConfig.receiveReliableEvents = true;
    Client desk(deskConfig);
    Seen seen;
    REQUIRE(desk.subscribe("event/panel-1", seen.handler()) != 0);
    REQUIRE(driver.start().ok());
    REQUIRE(desk.start().ok());
    REQUIRE(driver.waitReady(5000));
    REQUIRE(desk.waitReady(5000));
    REQUIRE(desk.waitSubscribed(5000));

    std::string first;
    std::string second;
    REQUIRE(publishN(driver, 1, first));
    REQUIRE(waitUntil([&] { return seen.count() == 1; }, 2500));
    // The broker's thread is not held by the commit: a second event and a command's round trip
    // go through while the first is still on its way to the disk.
    REQUIRE(publishN(driver, 2, second));
    REQUIRE(waitUntil([&] { return seen.count() == 2; }, 2500));
    CHECK_FALSE(driver.waitAcknowledged(first, 0));
    CHECK(driver.stats().pendingReliable == 2);
    // Acks come only once the journal holds them, and the numbers are those the desk saw.
    CHECK(driver.waitAcknowledged(first, 10000));
    CHECK(driver.waitAcknowledged(second, 10000));
    std::lock_guard lock(seen.mutex);
    CHECK(seen.numbers.at(1) == 1);
    CHECK(seen.numbers.at(2) == 2);
}

TEST_CASE("bus/event-numbers-go-on-densely-after-a-clean-restart") {
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
    std::string id;
    for (int n = 0; n < 3; ++n) {
        REQUIRE(publishN(driver, n, id));
    }
    REQUIRE(driver.waitAcknowledged(id, 5000));
    CHECK(broker->stats().eventSeq == 3);
    broker.reset();
    broker = std::make_unique<Broker>(brokerConfig);
    REQUIRE(broker->start().ok());
    CHECK(broker->stats().eventSeq == 3);
}

TEST_CASE("bus/event-numbers-are-not-given-twice-after-a-broker-dies") {
    TempDir dir;
    LogCollector logs;
    BrokerConfig brokerConfig = testBrokerConfig(dir, &logs);
    brokerConfig.journalPath = (dir.path / "journal.sqlite").string();
    // The first broker runs in a child process that is killed with SIGKILL while its journal
    // holds none of the events it has already published (every commit takes 30 s).
    BrokerConfig slow = brokerConfig;
    slow.journalCommitDelayMs = 30000;
    ForkedBroker doomed(slow);
    REQUIRE(doomed.forked());

    ClientConfig driverConfig;
    driverConfig.sourceId = "sia-1";
    driverConfig.role = Role::Driver;
    driverConfig.devices = {"panel-1"};
    driverConfig.frontendEndpoint = brokerConfig.frontendEndpoint;
    driverConfig.publisherEndpoint = brokerConfig.publisherEndpoint;
    driverConfig.heartbeatMs = 100;
    Client driver(driverConfig);
    ClientConfig deskConfig = driverConfig;
    deskConfig.sourceId = "desk-1";
    deskConfig.role = Role::Console;
    deskConfig.devices = {};
    deskConfig.receiveReliableEvents = true;
    Client desk(deskConfig);
    Seen seen;
    REQUIRE(desk.subscribe("event/panel-1", seen.handler()) != 0);
    REQUIRE(driver.start().ok());
    REQUIRE(desk.start().ok());
    REQUIRE(driver.waitReady(10000));
    REQUIRE(desk.waitReady(10000));
    REQUIRE(desk.waitSubscribed(5000));
    std::string id;
    for (int n = 0; n < 5; ++n) {
        REQUIRE(publishN(driver, n, id));
    }
    REQUIRE(waitUntil([&] { return seen.count() == 5; }));
    CHECK(driver.stats().pendingReliable == 5); // published, not journalled
    uint64_t highestBefore = 0;
    {
        std::lock_guard lock(seen.mutex);
        for (const auto& [n, seq] : seen.numbers) {
            highestBefore = std::max(highestBefore, seq);
        }
    }
    CHECK(highestBefore == 5);

    doomed.kill();
    Broker broker(brokerConfig);
    REQUIRE(broker.start().ok());
    CHECK(logs.contains("was not closed by its last broker"));
    // The driver resends its five, they are stored, and a new event follows them; every number
    // handed out now is above the dead broker's.
    REQUIRE(publishN(driver, 5, id));
    REQUIRE(driver.waitAcknowledged(id, 10000));
    REQUIRE(waitUntil([&] { return driver.stats().pendingReliable == 0; }, 10000));
    REQUIRE(waitUntil([&] { return seen.count() == 6; }, 10000));
    {
        std::lock_guard lock(seen.mutex);
        CHECK(seen.numbers.at(5) > highestBefore);
        std::set<uint64_t> distinct(seen.all.begin(), seen.all.end());
        CHECK(distinct.size() == seen.all.size()); // no number seen for two events
    }
    // The desk's cursor does not hang at the numbers nobody was given: it reaches the last one.
    const uint64_t last = broker.stats().eventSeq;
    CHECK(last > highestBefore + 5);
    CHECK(waitUntil([&] { return desk.stats().eventCursor == last; }, 10000));
}
