// A peer inside the host (the camera wall's, in Queued mode) keeps its heartbeat whatever its
// owner's thread does: the client's own I/O thread heartbeats, so a render loop that stops
// calling dispatch() while messages and commands pile up for it does not make it offline.
#include <catch2/catch.hpp>

#include "bus_test_util.hpp"

#include <atomic>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

TEST_CASE("bus/queued-peer-heartbeats-while-owner-blocked") {
    TempDir dir;
    LogCollector logs;
    Broker broker(testBrokerConfig(dir, &logs)); // heartbeat 100 ms, offline after 400 ms
    REQUIRE(broker.start().ok());
    ClientConfig wallConfig = testClientConfig(broker, "wall.wall-1", Role::Driver);
    wallConfig.devices = {"wall.wall-1"};
    wallConfig.callbacks = ClientConfig::Callbacks::Queued;
    wallConfig.queueLimit = 100; // the owner's queue fills and overflows
    Client wall(wallConfig);
    std::atomic<int> handled{0};
    wall.serveCommands([&](const IncomingCommand&, Responder responder) {
        ++handled;
        responder.answer({});
    });
    REQUIRE(wall.start().ok());
    REQUIRE(wall.subscribe("state/cam-1", [&](const Message&) { ++handled; }) != 0);
    REQUIRE(wall.waitReady(10000));
    REQUIRE(wall.waitSubscribed(10000));
    REQUIRE(waitUntil([&] { return broker.stats().onlineDrivers == 1; }));

    ClientConfig camConfig = testClientConfig(broker, "cam-driver", Role::Driver);
    camConfig.devices = {"cam-1"};
    Client cam(camConfig);
    REQUIRE(cam.start().ok());
    Client console(testClientConfig(broker, "console-1", Role::Console));
    REQUIRE(console.start().ok());
    REQUIRE(cam.waitReady(10000));
    REQUIRE(console.waitReady(10000));

    // The owner (render) thread is stuck: nobody calls wall.dispatch() for 2.5 s (6 x offline),
    // while state for it arrives and commands wait in its queue.
    std::atomic<int> replies{0};
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(2500);
    bool everOffline = false;
    int round = 0;
    while (std::chrono::steady_clock::now() < end) {
        REQUIRE(cam.publishState("cam-1/frame", std::to_string(++round)).ok());
        if (round % 50 == 0) {
            Command command;
            command.device = "wall.wall-1";
            command.action = "wall.show";
            command.ttlMs = 60000;
            REQUIRE(console.sendCommand(command, [&](const Reply&) { ++replies; }).ok());
        }
        for (const auto& driver : broker.drivers()) {
            everOffline = everOffline || (driver.source == "wall.wall-1" && !driver.online);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    CHECK(handled == 0); // the owner really did nothing
    CHECK_FALSE(everOffline);
    CHECK_FALSE(logs.contains("'wall.wall-1' silent"));
    CHECK(wall.stats().connected);
    // Once the owner runs again, the commands that waited are answered.
    REQUIRE(waitUntil([&] {
        wall.dispatch();
        return replies == round / 50;
    }, 10000));
}

TEST_CASE("bus/heartbeats-keep-pace-under-a-flood") {
    TempDir dir;
    LogCollector logs;
    Broker broker(testBrokerConfig(dir, &logs)); // heartbeat 100 ms, offline after 400 ms
    REQUIRE(broker.start().ok());
    // A peer whose handlers run on its I/O thread and are slow (a loaded machine): 2 ms each.
    ClientConfig slowConfig = testClientConfig(broker, "slow-peer", Role::Driver);
    slowConfig.devices = {"slow-1"};
    Client slow(slowConfig);
    std::atomic<int> handled{0};
    REQUIRE(slow.start().ok());
    REQUIRE(slow.subscribe("state/cam-1", [&](const Message&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2)); // the slow work itself
        ++handled;
    }) != 0);
    REQUIRE(slow.waitReady(10000));
    REQUIRE(slow.waitSubscribed(10000));
    ClientConfig camConfig = testClientConfig(broker, "cam-driver", Role::Driver);
    camConfig.devices = {"cam-1"};
    Client cam(camConfig);
    REQUIRE(cam.start().ok());
    REQUIRE(cam.waitReady(10000));
    REQUIRE(waitUntil([&] { return broker.stats().onlineDrivers == 2; }));

    // 1500 updates at once: 3 s of handler work, several times offline_after_ms.
    constexpr int kUpdates = 1500;
    for (int i = 1; i <= kUpdates; ++i) {
        REQUIRE(cam.publishState("cam-1/frame", std::to_string(i)).ok());
    }
    bool everOffline = false;
    const bool done = waitUntil([&] {
        for (const auto& driver : broker.drivers()) {
            everOffline = everOffline || (driver.source == "slow-peer" && !driver.online);
        }
        return handled == kUpdates;
    }, 30000);
    REQUIRE(done);
    CHECK_FALSE(everOffline);
    CHECK_FALSE(logs.contains("'slow-peer' silent"));
}
