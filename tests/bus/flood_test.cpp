// A sender that floods is bounded and cannot starve the others (protocol section 11).
#include "bus_test_util.hpp"

#include "ccoc/bus/codec.hpp"

#include <catch2/catch.hpp>
#include <zmq.hpp>

#include <atomic>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

// A raw DEALER sending telemetry (and some garbage) as fast as its high-water mark lets it.
void flood(const std::string& endpoint, std::atomic<bool>& stop, std::atomic<uint64_t>& sent) {
    zmq::context_t context;
    zmq::socket_t dealer(context, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.set(zmq::sockopt::sndhwm, 1000);
    dealer.connect(endpoint);
    uint64_t seq = 0;
    auto send = [&](const std::string& topic, const std::string& type, const std::string& payload) {
        Envelope e;
        e.id = "flood:" + std::to_string(++seq);
        e.type = type;
        e.source = "flooder";
        e.session = "f";
        e.seq = seq;
        e.sentUs = 1;
        const std::string env = encodeEnvelope(e);
        if (!dealer.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
            --seq;
            return;
        }
        dealer.send(zmq::buffer(env), zmq::send_flags::sndmore);
        dealer.send(zmq::buffer(payload), zmq::send_flags::none);
        ++sent;
    };
    send("bus/hello/", "hello/1", R"({"role":"driver","devices":["noise"]})");
    const std::string payload(256, 'x');
    while (!stop) {
        send("telemetry/noise/level/", "telemetry/1", "\"" + payload + "\"");
        if (seq % 100 == 0) {
            send("telemetry/noise/level/", "telemetry/1", "{bad json"); // counted and dropped
        }
    }
}

} // namespace

TEST_CASE("bus/flood-does-not-starve-others") {
    TempDir dir;
    LogCollector logs;
    BrokerConfig config = testBrokerConfig(dir, &logs);
    config.maxRatePerSender = 2000; // far below what the flooder sends
    Broker broker(config);
    REQUIRE(broker.start().ok());
    ClientConfig consoleConfig = testClientConfig(broker, "console-1", Role::Console);
    consoleConfig.mirrorState = true;
    Client console(consoleConfig);
    REQUIRE(console.start().ok());
    REQUIRE(console.waitReady(5000));

    std::atomic<bool> stop{false};
    std::atomic<uint64_t> flooded{0};
    std::thread flooder([&] { flood(broker.frontendEndpoint(), stop, flooded); });
    REQUIRE(waitUntil([&] { return flooded > 20000; }, 10000));

    ClientConfig driverConfig = testClientConfig(broker, "sim-1", Role::Driver);
    driverConfig.devices = {"dev"};
    Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(5000));
    for (int i = 0; i < 200; ++i) {
        REQUIRE(driver.publishState("dev/k" + std::to_string(i), std::to_string(i)).ok());
    }
    // Everything from the quiet driver gets through while the flood goes on.
    const bool allArrived = waitUntil([&] { return console.stateSnapshot("dev").size() == 200; }, 5000);
    const BrokerStats stats = broker.stats();
    stop = true;
    flooder.join();
    CHECK(allArrived);
    CHECK(stats.rateLimited > 0);
    CHECK(stats.badMessages > 0);
    // Bad input is logged with its sender, but not once per message.
    CHECK(logs.contains("from 'flooder'"));
    size_t badLines = 0;
    {
        std::lock_guard lock(logs.mutex);
        for (const auto& line : logs.lines) {
            badLines += line.find("from 'flooder'") != std::string::npos ? 1 : 0;
        }
    }
    CHECK(badLines < 5);
    CHECK(badLines < stats.badMessages);
}
