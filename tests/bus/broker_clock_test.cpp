// Command deadlines judged on a machine whose clock is not the broker's (protocol section 7.2):
// BrokerClock alone with skewed clocks, then a real driver client fed a command whose
// deadline_us has passed by the broker's clock although not by its own.
#include <catch2/catch.hpp>

#include "bus_test_util.hpp"

#include "ccoc/bus/broker_clock.hpp"
#include "ccoc/bus/codec.hpp"

#include <zmq.hpp>

#include <atomic>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kBrokerStart = 1'800'000'000LL * kSecond; // broker wall clock at steady 0

} // namespace

TEST_CASE("bus/broker-clock-skewed-deadline") {
    // The driver's clock runs 7 s ahead of the broker's; messages take 2..40 ms to arrive.
    const int64_t skew = 7 * kSecond;
    BrokerClock clock;
    CHECK_FALSE(clock.offsetUs().has_value());
    const int64_t delays[] = {40000, 2000, 15000, 30000, 9000};
    int64_t steady = 0;
    for (const int64_t delay : delays) {
        steady += kSecond;
        const int64_t brokerSent = kBrokerStart + steady - delay; // sent `delay` before we read it
        clock.observe(brokerSent, kBrokerStart + steady + skew, steady);
    }
    // The smallest delay seen is all the estimate gets wrong, and always towards "earlier".
    REQUIRE(clock.offsetUs().has_value());
    CHECK(*clock.offsetUs() == skew + 2000);

    const int64_t localNow = kBrokerStart + steady + skew;
    const int64_t brokerNow = kBrokerStart + steady;
    // By our own clock this deadline is 6 s in the past, by the broker's 1 s ahead: it may run.
    // The estimate of broker time is early by the smallest delay (2 ms), which the margin covers.
    CHECK(clock.remainingUs(brokerNow + kSecond, localNow) == kSecond + 2000 - BrokerClock::kSkewMarginUs);
    // A driver whose clock is 7 s behind: by its own clock this deadline is 7 s ahead, by the
    // broker's it passed 1 ms ago. Expired.
    const int64_t slowClock = kBrokerStart + steady - skew;
    BrokerClock behind;
    behind.observe(brokerNow - 2000, slowClock, steady);
    CHECK(behind.remainingUs(brokerNow - 1000, slowClock) <= 0);
    // Inside the margin: expired too (the estimate may be late by the smallest delay and drift).
    CHECK(clock.remainingUs(brokerNow + BrokerClock::kSkewMarginUs / 2, localNow) <= 0);

    // A sample taken long ago leaves the window; a later, larger one then rules.
    steady += BrokerClock::kWindowUs + kSecond;
    clock.observe(kBrokerStart + steady - 5000, kBrokerStart + steady + skew, steady);
    CHECK(*clock.offsetUs() == skew + 5000);
    // A new broker: its clock is unknown until it speaks.
    clock.reset();
    CHECK_FALSE(clock.offsetUs().has_value());
}

// A stand-in broker on raw sockets, so the test can stamp deadline_us in a broker clock that is
// 30 s behind the driver's: the driver must take the broker's timestamps, not its own clock.
TEST_CASE("bus/command-deadline-in-broker-clock") {
    TempDir dir;
    const std::string frontend = "ipc://" + (dir.path / "frontend").string();
    const std::string publisher = "ipc://" + (dir.path / "publisher").string();
    zmq::context_t context;
    zmq::socket_t router(context, zmq::socket_type::router);
    zmq::socket_t pub(context, zmq::socket_type::pub);
    router.set(zmq::sockopt::linger, 0);
    pub.set(zmq::sockopt::linger, 0);
    router.bind(frontend);
    pub.bind(publisher);

    ClientConfig config;
    config.sourceId = "lamp-driver";
    config.role = Role::Driver;
    config.devices = {"lamp-1"};
    config.frontendEndpoint = frontend;
    config.publisherEndpoint = publisher;
    std::atomic<int> executed{0};
    Client driver(config);
    driver.serveCommands([&](const IncomingCommand&, Responder responder) {
        ++executed;
        responder.answer({});
    });
    REQUIRE(driver.start().ok());

    const int64_t behindUs = 30 * kSecond;
    auto brokerNow = [&] {
        using namespace std::chrono;
        return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() - behindUs;
    };
    uint64_t seq = 0;
    std::string routingId;
    auto send = [&](const std::string& topic, Envelope envelope, const std::string& payload) {
        envelope.source = envelope.source.empty() ? "_bus" : envelope.source;
        envelope.session = envelope.session.empty() ? "stand-in" : envelope.session;
        envelope.seq = ++seq;
        envelope.id = envelope.id.empty() ? "b:" + std::to_string(seq) : envelope.id;
        envelope.sentUs = envelope.sentUs != 0 ? envelope.sentUs : brokerNow();
        router.send(zmq::buffer(routingId), zmq::send_flags::sndmore);
        router.send(zmq::buffer(topic), zmq::send_flags::sndmore);
        router.send(zmq::buffer(encodeEnvelope(envelope)), zmq::send_flags::sndmore);
        router.send(zmq::buffer(payload), zmq::send_flags::none);
    };
    // Reads one message from the driver; returns topic, envelope and payload frames.
    auto receive = [&](int timeoutMs) -> std::vector<std::string> {
        zmq::pollitem_t item{router.handle(), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, std::chrono::milliseconds(timeoutMs)) <= 0) {
            return {};
        }
        std::vector<std::string> frames;
        zmq::message_t part;
        do {
            (void)router.recv(part);
            frames.push_back(part.to_string());
        } while (part.more());
        routingId = frames.front();
        frames.erase(frames.begin());
        return frames;
    };
    auto waitFor = [&](std::string_view topicPrefix, const std::string& corr = {}) -> std::vector<std::string> {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            std::vector<std::string> frames = receive(100);
            if (frames.size() >= 3 && frames[0].starts_with(topicPrefix) &&
                (corr.empty() || frames[1].find("\"corr\":\"" + corr + "\"") != std::string::npos)) {
                return frames;
            }
        }
        return {};
    };

    const std::vector<std::string> hello = waitFor("bus/hello/");
    REQUIRE(hello.size() >= 3);
    const std::string helloId = hello[1].substr(hello[1].find("\"id\":\"") + 6);
    Envelope welcome;
    welcome.type = "welcome/1";
    welcome.corr = helloId.substr(0, helloId.find('"'));
    welcome.epoch = "e1";
    send("bus/welcome/", welcome,
         R"({"epoch":"e1","heartbeat_ms":1000,"offline_after_ms":3000,"broker_seq":0,"journal":"j","event_seq":0})");
    REQUIRE(waitUntil([&] { return driver.stats().connected; }, 10000));

    auto command = [&](const std::string& id, int64_t deadlineFromBrokerNowUs) {
        Envelope envelope;
        envelope.type = "command/1";
        envelope.source = "console-1";
        envelope.session = "console";
        envelope.id = id;
        envelope.ttlMs = 2000;
        const int64_t now = brokerNow();
        envelope.receivedUs = now;
        envelope.deadlineUs = now + deadlineFromBrokerNowUs;
        send("cmd/lamp-1/lamp.dim/", envelope, R"({"args":{"level":5}})");
    };
    // Expired 100 ms ago by the broker's clock, 29.9 s ahead by the driver's: not executed.
    command("c-expired", -100000);
    const std::vector<std::string> late = waitFor("reply/lamp-1/lamp.dim/", "c-expired");
    REQUIRE(late.size() >= 3);
    CHECK(late[2].find("\"status\":\"timeout\"") != std::string::npos);
    CHECK(executed == 0);
    // Two seconds left by the broker's clock: executed.
    command("c-live", 2 * kSecond);
    const std::vector<std::string> live = waitFor("reply/lamp-1/lamp.dim/", "c-live");
    REQUIRE(live.size() >= 3);
    CHECK(live[2].find("\"status\":\"ok\"") != std::string::npos);
    CHECK(executed == 1);
    driver.stop();
}
