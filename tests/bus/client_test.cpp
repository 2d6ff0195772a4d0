// The client API itself: segment-safe subscriptions, queued callbacks on the caller's thread,
// and errors a caller can cause.
#include "bus_test_util.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <set>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

TEST_CASE("bus/subscribe-prefix-is-segment-safe") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    // What callbacks write is declared before the clients, so it outlives their threads.
    std::mutex mutex;
    std::vector<std::string> seen;
    std::atomic<int> markers{0};
    ClientConfig driverConfig = testClientConfig(broker, "sim-1", Role::Driver);
    driverConfig.devices = {"cam-1", "cam-10", "done"}; // a driver publishes for its own devices only
    Client driver(driverConfig);
    Client console(testClientConfig(broker, "console-1", Role::Console));
    REQUIRE(console.subscribe("event/cam-1", [&](const Message& message) {
        std::lock_guard lock(mutex);
        seen.push_back(message.path);
    }) != 0);
    REQUIRE(console.subscribe("event/done", [&](const Message&) { ++markers; }) != 0);
    CHECK(console.subscribe("video/cam-1", [](const Message&) {}) == 0); // not a kind
    REQUIRE(driver.start().ok());
    REQUIRE(console.start().ok());
    REQUIRE(driver.waitReady(5000));
    REQUIRE(console.waitReady(5000));
    // Repeat until the subscriptions have reached the broker, then check what arrived.
    REQUIRE(waitUntil([&] {
        (void)driver.publishEvent("cam-10/motion", "{}");
        (void)driver.publishEvent("cam-1/motion", "{}");
        (void)driver.publishEvent("done/x", "{}");
        return markers > 0;
    }));
    std::lock_guard lock(mutex);
    REQUIRE_FALSE(seen.empty());
    for (const auto& path : seen) {
        CHECK(path == "cam-1/motion");
    }
}

TEST_CASE("bus/queued-callbacks-run-on-dispatch") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    std::atomic<int> calls{0};
    std::thread::id callbackThread;
    Client driver(testClientConfig(broker, "sim-1", Role::Driver));
    ClientConfig consoleConfig = testClientConfig(broker, "console-1", Role::Console);
    consoleConfig.callbacks = ClientConfig::Callbacks::Queued;
    Client console(consoleConfig);
    REQUIRE(console.subscribe("telemetry/cam-1", [&](const Message&) {
        callbackThread = std::this_thread::get_id();
        ++calls;
    }) != 0);
    REQUIRE(driver.start().ok());
    REQUIRE(console.start().ok());
    REQUIRE(console.waitReady(5000));
    REQUIRE(driver.waitReady(5000));
    // Nothing runs until this thread dispatches; then it runs here.
    REQUIRE(waitUntil([&] {
        (void)driver.publishTelemetry("cam-1/fps", "25");
        return console.dispatch() > 0;
    }));
    CHECK(calls > 0);
    CHECK(callbackThread == std::this_thread::get_id());
}

TEST_CASE("bus/publish-arguments-checked") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    Client client(testClientConfig(broker, "sim-1", Role::Driver));
    CHECK(client.publishState("cam-1/x", "1").error.find("not started") != std::string::npos);
    REQUIRE(client.start().ok());
    CHECK(client.publishState("cam-1/x", "1").ok());
    CHECK(client.publishState("cam 1/x", "1").error.find("path 'cam 1/x'") != std::string::npos);
    CHECK(client.publishState("cam-1/x", "{\"a\":").error.find("payload") != std::string::npos);
    CHECK(client.publishState("_bus/x", "1").error.find("belong to the broker") != std::string::npos);
    PublishOptions reliable;
    reliable.reliable = true;
    CHECK_FALSE(client.publishTelemetry("cam-1/x", "1", reliable).ok());
    Command bad;
    bad.device = "cam-1";
    bad.action = "move";
    bad.ttlMs = 0;
    CHECK(client.sendCommand(bad, {}).error.find("ttl_ms") != std::string::npos);
    ClientConfig wrong = testClientConfig(broker, "_bus", Role::Tool);
    Client impostor(wrong);
    CHECK(impostor.start().error.find("source id '_bus'") != std::string::npos);
}

// waitSubscribed() is a barrier: after it returns, one single publish on each freshly subscribed
// topic arrives. Without it the subscriptions may still be in flight and those messages lost
// (ZeroMQ sends subscriptions asynchronously), which is what made one-shot publishers flaky.
TEST_CASE("bus/wait-subscribed-makes-fresh-subscriptions-effective") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    std::mutex mutex;
    std::condition_variable arrived;
    std::set<std::string> seen;
    constexpr int kRounds = 5;
    constexpr int kTopics = 40;
    ClientConfig driverConfig = testClientConfig(broker, "sim-1", Role::Driver);
    for (int round = 0; round < kRounds; ++round) {
        for (int i = 0; i < kTopics; ++i) {
            driverConfig.devices.push_back("dev-" + std::to_string(round) + "-" + std::to_string(i));
        }
    }
    Client driver(driverConfig);
    Client console(testClientConfig(broker, "console-1", Role::Console));
    REQUIRE(driver.start().ok());
    REQUIRE(console.start().ok());
    REQUIRE(driver.waitReady(5000));
    REQUIRE(console.waitReady(5000));
    for (int round = 0; round < kRounds; ++round) {
        for (int i = 0; i < kTopics; ++i) {
            REQUIRE(console.subscribe("event/dev-" + std::to_string(round) + "-" + std::to_string(i),
                                      [&](const Message& message) {
                                          std::lock_guard lock(mutex);
                                          seen.insert(message.path);
                                          arrived.notify_all();
                                      }) != 0);
        }
        REQUIRE(console.waitSubscribed(5000));
        for (int i = 0; i < kTopics; ++i) {
            REQUIRE(driver.publishEvent("dev-" + std::to_string(round) + "-" + std::to_string(i) + "/x", "{}").ok());
        }
        std::unique_lock lock(mutex);
        const size_t want = static_cast<size_t>((round + 1) * kTopics);
        INFO("round " << round << ": " << seen.size() << " of " << want << " arrived");
        CHECK(arrived.wait_for(lock, std::chrono::seconds(10), [&] { return seen.size() == want; }));
    }
}

TEST_CASE("bus/wait-subscribed-without-broker-times-out") {
    TempDir dir;
    ClientConfig config;
    config.sourceId = "console-1";
    config.frontendEndpoint = "ipc://" + (dir.path / "nobody-frontend").string();
    config.publisherEndpoint = "ipc://" + (dir.path / "nobody-publisher").string();
    Client client(config);
    REQUIRE(client.start().ok());
    REQUIRE(client.subscribe("event/cam-1", [](const Message&) {}) != 0);
    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(client.waitSubscribed(300));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}
