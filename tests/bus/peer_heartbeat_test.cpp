// A peer's own heartbeat_ms is honoured within bounds (protocol section 9): a driver that asked for
// a slower interval than the broker's and keeps it does not flap offline.
#include "bus_test_util.hpp"
#include "raw_peer.hpp"

#include <catch2/catch.hpp>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

TEST_CASE("bus/driver-with-a-slower-heartbeat-than-the-broker-stays-online") {
    TempDir dir;
    BrokerConfig config = testBrokerConfig(dir);
    config.heartbeatMs = 300; // offline after 900 ms for a peer that asks nothing
    config.offlineAfterMs = 900;
    Broker broker(config);
    REQUIRE(broker.start().ok());
    RawPeer driver(broker.frontendEndpoint(), "slow-1");
    auto welcome = driver.hello("driver", {"cam-1"}, 1500);
    REQUIRE(welcome);
    CHECK(welcome->payload.value("heartbeat_ms", 0) == 1500);
    CHECK(welcome->payload.value("offline_after_ms", 0) == 4500);
    // Beat every 1200 ms (within its own 1500) for 6 s: never offline, never "back online".
    bool everOffline = false;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(6);
    auto nextBeat = std::chrono::steady_clock::now() + std::chrono::milliseconds(1200);
    while (std::chrono::steady_clock::now() < end) {
        if (std::chrono::steady_clock::now() >= nextBeat) {
            driver.heartbeat();
            nextBeat += std::chrono::milliseconds(1200);
        }
        const auto info = driverInfo(broker, "slow-1");
        everOffline = everOffline || !info || !info->online;
        if (auto message = driver.receive(20); message && message->type() == "resync/1") {
            FAIL("the broker took the driver for offline and back: " << message->payload.dump());
        }
    }
    CHECK_FALSE(everOffline);
    CHECK(driverInfo(broker, "slow-1")->offlineAfterMs == 4500);
    // Silent past its own 3 x 1500 ms: offline.
    REQUIRE(waitUntil([&] { return !driverInfo(broker, "slow-1")->online; }, 10000));
}

TEST_CASE("bus/peer-heartbeat-outside-the-bounds-is-clamped") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    RawPeer fast(broker.frontendEndpoint(), "fast-1");
    auto welcome = fast.hello("driver", {"cam-1"}, 5);
    REQUIRE(welcome);
    CHECK(welcome->payload.value("heartbeat_ms", 0) == 100);
    CHECK(welcome->payload.value("offline_after_ms", 0) == 400); // the broker's own is longer than 3 x 100
    RawPeer slow(broker.frontendEndpoint(), "slow-1");
    welcome = slow.hello("driver", {"cam-2"}, 10'000'000);
    REQUIRE(welcome);
    CHECK(welcome->payload.value("heartbeat_ms", 0) == 60000);
    CHECK(welcome->payload.value("offline_after_ms", 0) == 180000);
    RawPeer plain(broker.frontendEndpoint(), "plain-1");
    welcome = plain.hello("driver", {"cam-3"});
    REQUIRE(welcome);
    CHECK(welcome->payload.value("heartbeat_ms", 0) == 100); // asked nothing: the broker's
}
