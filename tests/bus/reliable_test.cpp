// Reliable events (protocol section 8): at least once through a broker restart, and never twice
// to the application.
#include "bus_test_util.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <map>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

TEST_CASE("bus/reliable-events-across-broker-restart") {
    TempDir dir;
    BrokerConfig brokerConfig = testBrokerConfig(dir);
    brokerConfig.journalPath = (dir.path / "journal.sqlite").string();
    auto broker = std::make_unique<Broker>(brokerConfig);
    REQUIRE(broker->start().ok());

    ClientConfig consoleConfig = testClientConfig(*broker, "console-1", Role::Console);
    consoleConfig.receiveReliableEvents = true;
    std::mutex mutex;
    std::map<int, int> delivered; // event number -> times the application saw it; outlives the clients
    Client console(consoleConfig);
    REQUIRE(console.subscribe("event/panel-1", [&](const Message& message) {
        const int n = nlohmann::json::parse(message.payload)["n"].get<int>();
        std::lock_guard lock(mutex);
        ++delivered[n];
    }) != 0);
    REQUIRE(console.start().ok());
    ClientConfig driverConfig = testClientConfig(*broker, "alarm-panel", Role::Driver);
    driverConfig.devices = {"panel-1"};
    Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    REQUIRE(console.waitReady(5000));
    REQUIRE(driver.waitReady(5000));

    constexpr int kEvents = 300;
    std::atomic<int> sent{0};
    std::thread producer([&] {
        PublishOptions reliable;
        reliable.reliable = true;
        for (int n = 0; n < kEvents; ++n) {
            (void)driver.publishEvent("panel-1/zone/" + std::to_string(n % 8), "{\"n\":" + std::to_string(n) + "}",
                                      reliable);
            ++sent;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    REQUIRE(waitUntil([&] { return sent > 100; }));
    broker.reset(); // the broker goes away mid-stream
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    broker = std::make_unique<Broker>(brokerConfig); // same endpoints, same journal
    REQUIRE(broker->start().ok());
    producer.join();

    REQUIRE(waitUntil([&] {
        std::lock_guard lock(mutex);
        return delivered.size() == static_cast<size_t>(kEvents);
    }, 20000));
    REQUIRE(waitUntil([&] { return driver.stats().pendingReliable == 0; }, 5000));
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // room for any late duplicate
    std::lock_guard lock(mutex);
    for (int n = 0; n < kEvents; ++n) {
        INFO("event " << n);
        CHECK(delivered[n] == 1);
    }
    CHECK(broker->stats().eventSeq == static_cast<uint64_t>(kEvents)); // journalled once each
}
