// The sender of a dropped message is told why (protocol section 5.2), at most once per code per
// interval; handshake failures, which never reach the broker as messages, are logged by it from
// its socket monitors (section 10).
#include "bus_test_util.hpp"
#include "raw_peer.hpp"

#include <catch2/catch.hpp>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

TEST_CASE("bus/dropped-messages-are-answered-with-a-notice") {
    TempDir dir;
    BrokerConfig config = testBrokerConfig(dir);
    config.maxRatePerSender = 1;
    Broker broker(config);
    REQUIRE(broker.start().ok());
    RawPeer peer(broker.frontendEndpoint(), "sim-1");

    SECTION("hello required") {
        const std::string id = peer.send("state/cam-1/x/", "state/1", "1");
        auto notice = peer.waitForNotice("hello-required", 5000);
        REQUIRE(notice);
        CHECK(notice->payload.value("id", "") == id);
        CHECK(notice->envelope.value("corr", "") == id);
    }
    REQUIRE(peer.hello("driver", {"cam-1"}));
    SECTION("bad message") {
        peer.sendFrames({"state/cam-1/x/", "{not an envelope", "1"});
        auto notice = peer.waitForNotice("bad-message", 5000);
        REQUIRE(notice);
        CHECK_FALSE(notice->payload.value("message", "").empty());
    }
    SECTION("wrong protocol revision") {
        peer.send("state/cam-1/x/", "state/1", "1", [](Envelope& e) { e.version = 2; });
        auto notice = peer.waitForNotice("version", 5000);
        REQUIRE(notice);
        CHECK(notice->payload.value("message", "").find("revision 2") != std::string::npos);
    }
    SECTION("bad sync token") {
        const std::string id = peer.send("bus/sync/", "sync/1", R"({"token":"no spaces"})");
        auto notice = peer.waitForNotice("bad-message", 5000);
        REQUIRE(notice);
        CHECK(notice->payload.value("id", "") == id);
        CHECK(notice->payload.value("topic", "") == "bus/sync/");
    }
    SECTION("not allowed") {
        const std::string id = peer.send("state/_bus/drivers/sim-1/", "state/1", "{}");
        auto notice = peer.waitForNotice("not-allowed", 5000);
        REQUIRE(notice);
        CHECK(notice->payload.value("id", "") == id);
    }
    SECTION("a reply to a command the broker has answered already") {
        const std::string id = peer.send("reply/cam-1/dim/", "reply/1", R"({"status":"ok","message":"","result":null})",
                                         [](Envelope& e) { e.corr = "desk-1:7"; });
        auto notice = peer.waitForNotice("late-reply", 5000);
        REQUIRE(notice);
        CHECK(notice->payload.value("id", "") == id);
        CHECK(notice->payload.value("message", "").find("desk-1:7") != std::string::npos);
    }
    SECTION("over max_rate") {
        for (int i = 0; i < 5; ++i) {
            peer.send("telemetry/cam-1/level/", "telemetry/1", "1");
        }
        CHECK(peer.waitForNotice("rate-limited", 5000));
    }
    SECTION("rate limited: one notice per code per second, with a count of the rest") {
        for (int i = 0; i < 200; ++i) {
            peer.sendFrames({"state/cam-1/x/", "{junk", "1"});
        }
        REQUIRE(peer.waitForNotice("bad-message", 5000));
        // The rest of the burst within the interval gives no notice...
        CHECK_FALSE(peer.waitForNotice("bad-message", 300));
        // ...the next after it does, and says how many it held back.
        std::optional<RawMessage> next;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!next && std::chrono::steady_clock::now() < deadline) {
            peer.sendFrames({"state/cam-1/x/", "{junk", "1"});
            next = peer.waitForNotice("bad-message", 200);
        }
        REQUIRE(next);
        CHECK(next->payload.value("suppressed", 0) >= 199);
        CHECK(broker.stats().badMessages >= 201);
    }
}

TEST_CASE("bus/handshake-failures-are-logged-by-the-broker") {
    TempDir dir;
    LogCollector logs;
    std::string serverPublic, serverSecret, wrongPublic, wrongSecret, clientPublic, clientSecret;
    REQUIRE(generateCurveKeyPair(serverPublic, serverSecret).ok());
    REQUIRE(generateCurveKeyPair(wrongPublic, wrongSecret).ok());
    REQUIRE(generateCurveKeyPair(clientPublic, clientSecret).ok());
    BrokerConfig config = testBrokerConfig(dir, &logs);
    config.security.curve = true;
    config.security.serverPublicKey = serverPublic;
    config.security.serverSecretKey = serverSecret;
    config.security.allow = {AllowEntry{"console-1", clientPublic, {"cmd/"}, {}}};
    Broker broker(config);
    REQUIRE(broker.start().ok());
    const auto countLines = [&](std::string_view text) {
        std::lock_guard lock(logs.mutex);
        return std::count_if(logs.lines.begin(), logs.lines.end(),
                             [&](const std::string& line) { return line.find(text) != std::string::npos; });
    };
    SECTION("a plain peer on a CURVE bus") {
        RawPeer plain(broker.frontendEndpoint(), "console-1");
        plain.heartbeat();
        const bool logged = waitUntil([&] { return countLines("does not use CURVE") > 0; }, 10000);
        INFO(logs.all());
        REQUIRE(logged);
    }
    SECTION("a peer with the wrong server key") {
        RawPeer wrong(broker.frontendEndpoint(), "console-1", RawPeer::Curve{clientPublic, clientSecret, wrongPublic});
        wrong.heartbeat();
        const bool logged = waitUntil([&] { return countLines("wrong server public key") > 0; }, 10000);
        INFO(logs.all());
        REQUIRE(logged);
        // It reconnects every 100 ms or so, for as long as it runs; the log names it once per
        // interval (10 s here), so over a window of reconnections there is still one line.
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        CHECK(countLines("wrong server public key") == 1);
        CHECK(broker.stats().received == 0);
    }
    std::lock_guard lock(logs.mutex);
    for (const auto& line : logs.lines) {
        CHECK(line.find(serverSecret) == std::string::npos);
        CHECK(line.find(clientSecret) == std::string::npos);
    }
}
