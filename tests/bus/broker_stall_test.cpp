// A broker thread that could not run for a while (a loaded machine, a stopped process) does not
// declare its peers silent for that time: their heartbeats of it are still waiting in the sockets
// (protocol section 9). Under a load average near 18 the host's own peers were called offline.
#include "bus_test_util.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <mutex>
#include <thread>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

TEST_CASE("bus/stopped-broker-does-not-call-its-live-peers-offline-when-it-runs-again") {
    TempDir dir;
    BrokerConfig brokerConfig = testBrokerConfig(dir); // heartbeat 100 ms, offline after 400 ms
    ForkedBroker broker(brokerConfig);                 // before any thread of this test
    REQUIRE(broker.forked());

    ClientConfig driverConfig;
    driverConfig.sourceId = "drv-1";
    driverConfig.role = Role::Driver;
    driverConfig.devices = {"dev-1"};
    driverConfig.frontendEndpoint = brokerConfig.frontendEndpoint;
    driverConfig.publisherEndpoint = brokerConfig.publisherEndpoint;
    driverConfig.heartbeatMs = 100;
    Client driver(driverConfig);
    ClientConfig watcherConfig = driverConfig;
    watcherConfig.sourceId = "watcher";
    watcherConfig.role = Role::Console;
    watcherConfig.devices = {};
    Client watcher(watcherConfig);

    std::mutex mutex;
    std::vector<std::string> presence; // every payload of state/_bus/drivers/drv-1/, in order
    REQUIRE(watcher.subscribe("state/_bus/drivers/drv-1", [&](const Message& message) {
        std::lock_guard lock(mutex);
        presence.push_back(message.payload);
    }) != 0);
    const auto sawOffline = [&] {
        std::lock_guard lock(mutex);
        return std::any_of(presence.begin(), presence.end(),
                           [](const std::string& p) { return p.find("\"online\":false") != std::string::npos; });
    };
    const auto sawOnline = [&] {
        std::lock_guard lock(mutex);
        return std::any_of(presence.begin(), presence.end(),
                           [](const std::string& p) { return p.find("\"online\":true") != std::string::npos; });
    };
    REQUIRE(watcher.start().ok());
    REQUIRE(watcher.waitReady(10000));
    REQUIRE(watcher.waitSubscribed(5000));
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(10000));
    REQUIRE(waitUntil(sawOnline, 5000));
    REQUIRE_FALSE(sawOffline());

    // The whole broker process stops for 4 offline intervals while the driver goes on beating.
    REQUIRE(::kill(broker.pid(), SIGSTOP) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1600));
    REQUIRE(::kill(broker.pid(), SIGCONT) == 0);

    // Once running again it reads the queued heartbeats before judging anyone silent: the driver
    // was never offline. Watch for a while, well past the broker's offline interval.
    const bool wentOffline = waitUntil(sawOffline, 2000);
    CHECK_FALSE(wentOffline);

    // A peer that really falls silent is still declared offline: the grace is only for the
    // broker's own stall.
    driver.stop();
    CHECK(waitUntil(sawOffline, 5000));
}
