// Who owns a device (protocol section 7.1) and who may publish for it (section 10.1), on a plain
// bus: the first live driver keeps a device, a second is told and waits, takes it only when the
// owner goes offline, and a newer session of the same driver supersedes the older one.
#include "bus_test_util.hpp"
#include "raw_peer.hpp"

#include <catch2/catch.hpp>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {


// The status of a command sent by a raw console, or "" when no reply came.
std::string commandStatus(RawPeer& console, const std::string& topic) {
    const std::string id = console.send(topic, "command/1", R"({"args":null})", [](Envelope& e) { e.ttlMs = 3000; });
    auto reply = console.waitFor([&](const RawMessage& m) { return m.type() == "reply/1" && m.envelope.value("corr", "") == id; },
                                 8000);
    return reply ? reply->payload.value("status", std::string()) : std::string();
}

// Heartbeats every 100 ms (staying online) until a message satisfies `want` or timeoutMs pass.
std::optional<RawMessage> beatUntil(RawPeer& peer, const std::function<bool(const RawMessage&)>& want, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        peer.heartbeat();
        if (auto found = peer.waitFor(want, 100)) {
            return found;
        }
    }
    return std::nullopt;
}

// The retained topics in a snapshot asked for by `peer`: topic -> snapshot item.
std::map<std::string, nlohmann::json> snapshot(RawPeer& peer) {
    const std::string id = peer.send("bus/snapshot-request/", "snapshot-request/1", R"({"prefix":"state/"})");
    std::map<std::string, nlohmann::json> topics;
    for (;;) {
        auto chunk = peer.waitFor([&](const RawMessage& m) { return m.type() == "snapshot/1" && m.envelope.value("corr", "") == id; },
                                  5000);
        REQUIRE(chunk);
        for (const auto& item : chunk->payload["items"]) {
            topics[item["topic"].get<std::string>()] = item;
        }
        if (chunk->payload.value("last", false)) {
            return topics;
        }
    }
}

} // namespace

TEST_CASE("bus/second-driver-announcing-an-owned-device-is-told-and-the-owner-keeps-it") {
    TempDir dir;
    LogCollector logs;
    Broker broker(testBrokerConfig(dir, &logs));
    REQUIRE(broker.start().ok());
    ClientConfig ownerConfig = testClientConfig(broker, "sim-1", Role::Driver);
    ownerConfig.devices = {"cam-1"};
    Client owner(ownerConfig);
    owner.serveCommands([](const IncomingCommand&, Responder responder) { responder.answer({CommandStatus::Ok, "", "null"}); });
    REQUIRE(owner.start().ok());
    REQUIRE(owner.waitReady(5000));
    REQUIRE(waitUntil([&] { return driverInfo(broker, "sim-1").has_value(); }));
    {
        RawPeer second(broker.frontendEndpoint(), "sim-2");
        REQUIRE(second.hello("driver", {"cam-1", "cam-2"}));
        auto taken = second.waitForNotice("device-taken", 5000);
        REQUIRE(taken);
        CHECK(taken->payload.value("device", "") == "cam-1");
        CHECK(taken->payload.value("owner", "") == "sim-1");
        CHECK(logs.contains("driver 'sim-2' announced device 'cam-1', which driver 'sim-1' owns and is online"));
        const auto info = driverInfo(broker, "sim-2");
        REQUIRE(info);
        CHECK(info->devices == std::vector<std::string>{"cam-2"});
        CHECK(info->waiting == std::vector<std::string>{"cam-1"});
        CHECK(driverInfo(broker, "sim-1")->devices == std::vector<std::string>{"cam-1"});
        // Its state for the device it does not own is dropped, and it is told.
        const std::string id = second.send("state/cam-1/ptz/", "state/1", "1");
        auto refused = second.waitForNotice("not-allowed", 5000);
        REQUIRE(refused);
        CHECK(refused->payload.value("id", "") == id);
        CHECK(refused->payload.value("topic", "") == "state/cam-1/ptz/");
        RawPeer console(broker.frontendEndpoint(), "console-1");
        REQUIRE(console.hello("console", {}));
        CHECK(commandStatus(console, "cmd/cam-1/look/") == "ok");
        CHECK(snapshot(console).count("state/cam-1/ptz/") == 0);
    } // the second driver leaves (goes silent)
    REQUIRE(waitUntil([&] { const auto info = driverInfo(broker, "sim-2"); return info && !info->online; }, 10000));
    RawPeer console(broker.frontendEndpoint(), "console-2");
    REQUIRE(console.hello("console", {}));
    CHECK(commandStatus(console, "cmd/cam-1/look/") == "ok"); // still the first driver's
    CHECK(driverInfo(broker, "sim-1")->devices == std::vector<std::string>{"cam-1"});
}

TEST_CASE("bus/waiting-driver-gets-the-device-when-its-owner-goes-offline") {
    TempDir dir;
    LogCollector logs;
    Broker broker(testBrokerConfig(dir, &logs));
    REQUIRE(broker.start().ok());
    RawPeer first(broker.frontendEndpoint(), "sim-1");
    REQUIRE(first.hello("driver", {"cam-1"}));
    RawPeer second(broker.frontendEndpoint(), "sim-2");
    REQUIRE(second.hello("driver", {"cam-1"}));
    REQUIRE(second.waitForNotice("device-taken", 5000));
    // The first goes silent; the second keeps beating and is handed the device, with a resync.
    auto resync = beatUntil(
        second,
        [&](const RawMessage& m) {
            return m.type() == "resync/1" && m.payload.value("reason", "").find("you now own 'cam-1'") != std::string::npos;
        },
        10000);
    REQUIRE(resync);
    CHECK(driverInfo(broker, "sim-2")->devices == std::vector<std::string>{"cam-1"});
    CHECK(logs.contains("device 'cam-1' moves from driver 'sim-1'"));
    second.send("state/cam-1/ptz/", "state/1", "2");
    // The first comes back: it is told the device went elsewhere while it was away.
    first.heartbeat();
    auto taken = first.waitForNotice("device-taken", 5000);
    REQUIRE(taken);
    CHECK(taken->payload.value("owner", "") == "sim-2");
    CHECK(driverInfo(broker, "sim-1")->waiting == std::vector<std::string>{"cam-1"});
    REQUIRE(waitUntil([&] { return broker.stats().brokerSeq > 0 && snapshot(first).count("state/cam-1/ptz/") == 1; }));
    CHECK(snapshot(first).at("state/cam-1/ptz/")["src"] == "sim-2");
    // The first goes silent (the second beating on), then the second: both offline. The first
    // comes back while the owner is still offline: the device is its own again, with a resync.
    beatUntil(second, [&](const RawMessage&) { return !driverInfo(broker, "sim-1")->online; }, 10000);
    REQUIRE_FALSE(driverInfo(broker, "sim-1")->online);
    REQUIRE(waitUntil([&] { return !driverInfo(broker, "sim-2")->online; }, 10000));
    first.seen.clear();
    auto back = beatUntil(first, [](const RawMessage& m) { return m.type() == "resync/1"; }, 5000);
    REQUIRE(back);
    CHECK(driverInfo(broker, "sim-1")->devices == std::vector<std::string>{"cam-1"});
    CHECK(driverInfo(broker, "sim-2")->waiting == std::vector<std::string>{"cam-1"});
    CHECK(logs.contains("devices of offline driver 'sim-2' go back to 'sim-1'"));
}

TEST_CASE("bus/plain-bus-accepts-state-only-from-the-device-owner") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    RawPeer owner(broker.frontendEndpoint(), "sim-1");
    REQUIRE(owner.hello("driver", {"cam-1"}));
    RawPeer other(broker.frontendEndpoint(), "sim-2");
    REQUIRE(other.hello("driver", {"cam-2"}));
    RawPeer console(broker.frontendEndpoint(), "console-1");
    REQUIRE(console.hello("console", {}));
    owner.send("state/cam-1/ptz/", "state/1", "1");
    // A driver for a device it never announced, and for one another driver owns: refused.
    other.send("state/cam-9/ptz/", "state/1", "1");
    auto refused = other.waitForNotice("not-allowed", 5000);
    REQUIRE(refused);
    CHECK(refused->payload.value("message", "").find("does not own device 'cam-9'") != std::string::npos);
    other.send("event/cam-1/alarm/", "event/1", "{}", [](Envelope& e) { e.reliable = true; });
    // A console for a driver's device: refused; for a device no driver has (its own topics): kept.
    console.send("state/cam-1/ptz/", "state/1", "3");
    auto consoleRefused = console.waitForNotice("not-allowed", 5000);
    REQUIRE(consoleRefused);
    CHECK(consoleRefused->payload.value("message", "").find("owned by driver 'sim-1'") != std::string::npos);
    console.send("state/desk-1/layout/", "state/1", "4");
    REQUIRE(waitUntil([&] { return snapshot(console).count("state/cam-1/ptz/") == 1; }));
    const auto topics = snapshot(console);
    REQUIRE(topics.count("state/cam-1/ptz/") == 1);
    CHECK(topics.at("state/cam-1/ptz/")["src"] == "sim-1");
    CHECK(topics.at("state/cam-1/ptz/")["value"] == 1);
    CHECK(topics.count("state/cam-9/ptz/") == 0);
    REQUIRE(topics.count("state/desk-1/layout/") == 1);
    CHECK(topics.at("state/desk-1/layout/")["src"] == "console-1");
    CHECK(broker.stats().eventSeq == 0); // the event was not published
    CHECK(broker.stats().refused >= 3);
}

TEST_CASE("bus/newer-session-of-a-driver-supersedes-the-older") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    RawPeer older(broker.frontendEndpoint(), "sim-1");
    REQUIRE(older.hello("driver", {"cam-1"}));
    RawPeer newer(broker.frontendEndpoint(), "sim-1"); // a restart while the old process lingers
    REQUIRE(newer.hello("driver", {"cam-1"}));
    CHECK_FALSE(newer.waitForNotice("device-taken", 300));
    older.send("state/cam-1/ptz/", "state/1", "\"old\"");
    auto superseded = older.waitForNotice("superseded", 5000);
    REQUIRE(superseded);
    newer.send("state/cam-1/ptz/", "state/1", "\"new\"");
    RawPeer console(broker.frontendEndpoint(), "console-1");
    REQUIRE(console.hello("console", {}));
    REQUIRE(waitUntil([&] { return broker.stats().retainedKeys >= 3; }));
    const auto topics = snapshot(console);
    REQUIRE(topics.count("state/cam-1/ptz/") == 1);
    CHECK(topics.at("state/cam-1/ptz/")["value"] == "new");
    const auto info = driverInfo(broker, "sim-1");
    REQUIRE(info);
    CHECK(info->devices == std::vector<std::string>{"cam-1"});
}
