// Junk from the network cannot fill the broker's log (protocol section 11): every line a remote
// peer can cause goes through one rate limiter, per peer and reason, and a flood of strangers
// (each junk connection a new peer) is bounded as a whole.
#include "bus_test_util.hpp"
#include "raw_peer.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

size_t totalBytes(LogCollector& logs) {
    std::lock_guard lock(logs.mutex);
    size_t bytes = 0;
    for (const auto& line : logs.lines) {
        bytes += line.size() + 1;
    }
    return bytes;
}

// Opens a TCP connection to 127.0.0.1:port, writes garbage, closes it.
bool junkConnection(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return false;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    const char junk[] = "GET / HTTP/1.0\r\n\r\n\xff\xff\xff\xff\xff\xff\xff\xff\x7f garbage garbage";
    ok = ok && ::write(fd, junk, sizeof junk) > 0;
    ::close(fd);
    return ok;
}

} // namespace

TEST_CASE("bus/junk-from-the-network-is-logged-at-a-bounded-rate") {
    TempDir dir;
    LogCollector logs;
    BrokerConfig config = testBrokerConfig(dir, &logs);
    config.frontendEndpoint = "tcp://127.0.0.1:*";
    config.publisherEndpoint = "tcp://127.0.0.1:*";
    Broker broker(config);
    REQUIRE(broker.start().ok());
    const size_t startLines = [&] { std::lock_guard lock(logs.mutex); return logs.lines.size(); }();
    // 200 raw TCP connections that are not ZeroMQ at all.
    const std::string endpoint = broker.frontendEndpoint();
    const int port = std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
    for (int i = 0; i < 200; ++i) {
        REQUIRE(junkConnection(port));
    }
    REQUIRE(waitUntil([&] { return logs.contains("failed the handshake"); }, 10000));
    // 2,000 malformed messages from one peer.
    RawPeer one(broker.frontendEndpoint(), "junk-1");
    for (int i = 0; i < 2000; ++i) {
        one.sendFrames({"state/x/y/", "{junk " + std::to_string(i), "1"});
    }
    // 200 peers, each a new connection with a malformed message (strangers, unnamed).
    for (int i = 0; i < 200; ++i) {
        RawPeer stranger(broker.frontendEndpoint(), "junk-" + std::to_string(i + 2));
        stranger.sendFrames({"nonsense", "{junk", "1"});
        REQUIRE(stranger.waitForNotice("bad-message", 5000)); // it was read: the broker dealt with it
    }
    REQUIRE(waitUntil([&] { return broker.stats().badMessages >= 2200; }, 20000));
    const size_t lines = [&] { std::lock_guard lock(logs.mutex); return logs.lines.size(); }() - startLines;
    INFO(logs.all());
    // 2,400 pieces of junk: a line for the first peer, one per stranger up to the budget of one
    // interval (20), and one for the handshake failures.
    CHECK(lines <= 25);
    CHECK(totalBytes(logs) < 8 * 1024);
    CHECK(logs.contains("dropped a message from unnamed peer"));
    CHECK(logs.contains("lines about other peers not logged") == false); // no line after the flood yet
}

TEST_CASE("bus/rate-limited-log-line-reports-what-it-held-back") {
    TempDir dir;
    LogCollector logs;
    BrokerConfig config = testBrokerConfig(dir, &logs);
    config.badInputLogIntervalMs = 300;
    Broker broker(config);
    REQUIRE(broker.start().ok());
    RawPeer peer(broker.frontendEndpoint(), "sim-1");
    REQUIRE(peer.hello("driver", {"cam-1"}));
    for (int i = 0; i < 50; ++i) {
        peer.sendFrames({"state/cam-1/x/", "{junk", "1"});
    }
    REQUIRE(waitUntil([&] { return broker.stats().badMessages >= 50; }));
    CHECK(logs.contains("dropped a message from 'sim-1'"));
    // After the interval (waited out: it is a span of time), the next line says how many were
    // not logged.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    peer.sendFrames({"state/cam-1/x/", "{junk", "1"});
    REQUIRE(waitUntil([&] { return logs.contains("49 more like it not logged"); }));
}
