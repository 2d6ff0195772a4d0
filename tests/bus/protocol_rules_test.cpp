// The protocol document's rules where it used to be vague or contradicted itself, held to by
// the code (sdk/docs/bus-protocol.md, revision 2): ttl_ms bounds, the reason given for a '..'
// segment, deadline_us in the envelope, and ACTION as one segment.
#include <catch2/catch.hpp>

#include "bus_test_util.hpp"

#include "ccoc/bus/codec.hpp"

#include <zmq.hpp>

#include <atomic>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

DecodeResult decodeFrames(const std::string& topic, const std::string& envelope, const std::string& payload) {
    return decodeMessage({topic, envelope, payload}, Limits{});
}

Envelope commandEnvelope() {
    Envelope envelope;
    envelope.id = "c:1";
    envelope.type = "command/1";
    envelope.source = "console-1";
    envelope.session = "s";
    envelope.seq = 1;
    envelope.sentUs = 1;
    return envelope;
}

} // namespace

TEST_CASE("bus/envelope-ttl-and-deadline") {
    Envelope envelope = commandEnvelope();
    envelope.ttlMs = 1500;
    envelope.deadlineUs = 1'800'000'000'000'000;
    const DecodeResult ok = decodeFrames("cmd/cam-1/stop/", encodeEnvelope(envelope), "{}");
    REQUIRE(ok.ok());
    CHECK(ok.message->envelope.deadlineUs == 1'800'000'000'000'000);
    // Present, ttl_ms is 1..600000, as the text and the schema say; 0 is not a time to live.
    const std::string zero = R"({"v":1,"id":"c:1","type":"command/1","src":"c","session":"s","seq":1,"sent_us":1,"ttl_ms":0})";
    const DecodeResult refused = decodeFrames("cmd/cam-1/stop/", zero, "{}");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error.message.find("'ttl_ms' must be 1..600000") != std::string::npos);
    const std::string tooLong =
        R"({"v":1,"id":"c:1","type":"command/1","src":"c","session":"s","seq":1,"sent_us":1,"ttl_ms":600001})";
    CHECK_FALSE(decodeFrames("cmd/cam-1/stop/", tooLong, "{}").ok());
}

TEST_CASE("bus/dot-segment-reason") {
    // The reason names the rule that was broken: '..' is made of allowed characters.
    const std::string reason = checkTopic("state/cam-1/../", Limits{});
    CHECK(reason.find("neither '.' nor '..'") != std::string::npos);
    CHECK(reason.find("segment 3") != std::string::npos);
}

TEST_CASE("bus/command-action-one-segment") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    ClientConfig driverConfig = testClientConfig(broker, "ptz-driver", Role::Driver);
    driverConfig.devices = {"cam-1"};
    std::atomic<int> executed{0};
    Client driver(driverConfig);
    driver.serveCommands([&](const IncomingCommand&, Responder responder) {
        ++executed;
        responder.answer({});
    });
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(10000));

    // A peer on raw sockets sends cmd/cam-1/ptz/move/ (two segments after the device).
    zmq::context_t context;
    zmq::socket_t dealer(context, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.connect(broker.frontendEndpoint());
    auto send = [&](const std::string& topic, Envelope envelope, const std::string& payload) {
        dealer.send(zmq::buffer(topic), zmq::send_flags::sndmore);
        dealer.send(zmq::buffer(encodeEnvelope(envelope)), zmq::send_flags::sndmore);
        dealer.send(zmq::buffer(payload), zmq::send_flags::none);
    };
    Envelope hello = commandEnvelope();
    hello.type = "hello/1";
    hello.id = "raw:1";
    send("bus/hello/", hello, R"({"role":"console","devices":[]})");
    Envelope command = commandEnvelope();
    command.id = "raw:2";
    command.seq = 2;
    command.ttlMs = 2000;
    send("cmd/cam-1/ptz/move/", command, R"({"args":null})");
    std::string reply;
    const bool answered = waitUntil([&] {
        std::vector<zmq::message_t> parts;
        zmq::message_t part;
        if (!dealer.recv(part, zmq::recv_flags::dontwait)) {
            return false;
        }
        parts.emplace_back(std::move(part));
        while (parts.back().more()) {
            (void)dealer.recv(part);
            parts.emplace_back(std::move(part));
        }
        if (parts.size() >= 3 && parts[0].to_string().starts_with("reply/")) {
            reply = parts[2].to_string();
            return true;
        }
        return false;
    }, 10000);
    REQUIRE(answered);
    CHECK(reply.find("\"status\":\"rejected\"") != std::string::npos);
    CHECK(reply.find("ACTION one segment") != std::string::npos);
    CHECK(executed == 0);
}
