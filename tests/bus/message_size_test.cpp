// A peer cannot make the broker allocate without bound (protocol section 11): a frame over
// ZMQ_MAXMSGSIZE cuts the sender's connection before libzmq buffers it, on a plain bus and for an
// allowed CURVE key alike, and the broker goes on serving everyone else. The broker runs in a child
// process so its own peak memory (VmHWM) can be read.
#include "bus_test_util.hpp"
#include "raw_peer.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

// Peak resident memory of process `pid` in KiB (/proc/PID/status VmHWM), or -1.
long peakKiB(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

constexpr size_t kHuge = 64u << 20;

struct Keys {
    std::string publicKey, secretKey;
    Keys() { REQUIRE(generateCurveKeyPair(publicKey, secretKey).ok()); }
};

// Sends one message with a `payloadBytes` payload from a fresh DEALER and waits until the broker
// either cut the connection (seen by the DEALER's monitor) or answered with a notice.
struct Outcome {
    bool disconnected = false;
    std::optional<RawMessage> notice;
};
Outcome sendBig(const std::string& endpoint, size_t payloadBytes, std::optional<RawPeer::Curve> curve) {
    RawPeer sender(endpoint, "big-sender", curve);
    REQUIRE(sender.hello("driver", {"big"}));
    zmq::monitor_t monitor;
    monitor.init(sender.socket(), "inproc://big-sender-monitor", ZMQ_EVENT_DISCONNECTED);
    std::string payload(payloadBytes, ' ');
    payload.front() = '"';
    payload.back() = '"';
    sender.send("state/big/blob/", "state/1", payload);
    payload = std::string();
    Outcome outcome;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && !outcome.disconnected && !outcome.notice) {
        outcome.disconnected = monitor.check_event(50);
        if (auto message = sender.receive(1); message && message->type() == "notice/1") {
            outcome.notice = message;
        }
    }
    return outcome;
}

void checkBounded(BrokerConfig config, std::optional<RawPeer::Curve> curve, std::optional<RawPeer::Curve> other) {
    ForkedBroker broker(config); // before this test starts any thread
    REQUIRE(broker.forked());
    const std::string endpoint = config.frontendEndpoint;
    {
        RawPeer first(endpoint, "big-sender", curve);
        REQUIRE(first.hello("driver", {"big"})); // the broker is up
    }
    const long before = peakKiB(broker.pid());
    REQUIRE(before > 0);
    const Outcome outcome = sendBig(endpoint, kHuge, curve);
    CHECK(outcome.disconnected);
    CHECK_FALSE(outcome.notice); // not decoded: it never got that far
    const long after = peakKiB(broker.pid());
    INFO("broker peak memory " << before << " KiB before, " << after << " KiB after a " << (kHuge >> 20) << " MiB message");
    CHECK(after - before < 16 * 1024);
    // Everyone else is still served.
    RawPeer next(endpoint, "console-1", other);
    CHECK(next.hello("console", {}));
}

} // namespace

TEST_CASE("bus/huge-message-is-cut-at-the-socket-not-buffered") {
    TempDir dir;
    checkBounded(testBrokerConfig(dir), std::nullopt, std::nullopt);
}

TEST_CASE("bus/huge-message-from-an-allowed-curve-key-is-cut-at-the-socket") {
    TempDir dir;
    Keys server, sender, console;
    BrokerConfig config = testBrokerConfig(dir);
    config.security.curve = true;
    config.security.serverPublicKey = server.publicKey;
    config.security.serverSecretKey = server.secretKey;
    config.security.allow = {AllowEntry{"big-sender", sender.publicKey, {"state/big/"}, {"big"}},
                             AllowEntry{"console-1", console.publicKey, {"cmd/"}, {}}};
    checkBounded(config, RawPeer::Curve{sender.publicKey, sender.secretKey, server.publicKey},
                 RawPeer::Curve{console.publicKey, console.secretKey, server.publicKey});
}

// Just over the decoder's limit but under the socket's: decoded, refused, and its sender told why.
TEST_CASE("bus/message-a-little-too-large-gets-a-notice") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    const Outcome outcome = sendBig(broker.frontendEndpoint(), (1u << 20) + 1024, std::nullopt);
    CHECK_FALSE(outcome.disconnected);
    REQUIRE(outcome.notice);
    CHECK(outcome.notice->payload.value("code", "") == "bad-message");
    CHECK(broker.stats().badMessages == 1);
}
