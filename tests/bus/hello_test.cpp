// One outstanding hello (protocol section 9): after a broker restart a driver whose messages
// were queued gets a `hello-required` for each of them, and answers all of them with a single
// hello, a single welcome and a single full republish, even when the new broker is slow to
// answer. The new broker is a stand-in on raw sockets that answers as the broker does
// (`hello-required` to anything from a peer that has not said hello, `welcome` to every
// hello), so the test can count every hello it gets.
#include <catch2/catch.hpp>

#include "bus_test_util.hpp"

#include "ccoc/bus/codec.hpp"

#include <zmq.hpp>

#include <map>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

int64_t wallUs() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// What the stand-in broker saw from one peer.
struct Seen {
    int hellos = 0;
    int welcomes = 0;
    int noticesSent = 0;
    std::map<std::string, int> statesAfterHello; // topic -> how often it came after the first hello
};

// Serves the frontend and publisher for `runMs`: notices to every message before a hello,
// each welcome sent `welcomeDelayMs` after its hello (a broker under load), broker
// heartbeats of epoch "e2" on the PUB every 100 ms.
Seen serveAsRestartedBroker(const std::string& frontend, const std::string& publisher, int welcomeDelayMs, int runMs) {
    zmq::context_t context;
    zmq::socket_t router(context, zmq::socket_type::router);
    zmq::socket_t pub(context, zmq::socket_type::pub);
    router.set(zmq::sockopt::linger, 0);
    pub.set(zmq::sockopt::linger, 0);
    router.bind(frontend);
    pub.bind(publisher);
    Seen seen;
    uint64_t seq = 0;
    bool helloed = false;
    struct Due {
        std::chrono::steady_clock::time_point at;
        std::string routingId;
        std::string corr;
    };
    std::vector<Due> due;
    auto send = [&](zmq::socket_t& socket, const std::string* routingId, const std::string& topic, std::string type,
                    const std::string& payload, const std::string& corr) {
        Envelope envelope;
        envelope.id = "be2:" + std::to_string(++seq);
        envelope.type = std::move(type);
        envelope.source = "_bus";
        envelope.session = "e2";
        envelope.seq = seq;
        envelope.sentUs = wallUs();
        envelope.epoch = "e2";
        envelope.corr = corr;
        if (routingId != nullptr) {
            socket.send(zmq::buffer(*routingId), zmq::send_flags::sndmore);
        }
        socket.send(zmq::buffer(topic), zmq::send_flags::sndmore);
        socket.send(zmq::buffer(encodeEnvelope(envelope)), zmq::send_flags::sndmore);
        socket.send(zmq::buffer(payload), zmq::send_flags::none);
    };
    const std::string brokerState = R"({"epoch":"e2","broker_seq":0,"journal":"j2","event_seq":0})";
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(runMs);
    auto nextHeartbeat = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() < end) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= nextHeartbeat) {
            nextHeartbeat = now + std::chrono::milliseconds(100);
            send(pub, nullptr, "bus/heartbeat/", "heartbeat/1", brokerState, {});
        }
        for (auto it = due.begin(); it != due.end();) {
            if (now >= it->at) {
                send(router, &it->routingId, "bus/welcome/", "welcome/1",
                     R"({"epoch":"e2","heartbeat_ms":100,"offline_after_ms":400,"broker_seq":0,"journal":"j2","event_seq":0})",
                     it->corr);
                ++seen.welcomes;
                it = due.erase(it);
            } else {
                ++it;
            }
        }
        zmq::pollitem_t item{router.handle(), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, std::chrono::milliseconds(5)) <= 0) {
            continue;
        }
        std::vector<zmq::message_t> parts;
        zmq::message_t part;
        do {
            (void)router.recv(part);
            parts.emplace_back(std::move(part));
        } while (parts.back().more());
        std::vector<std::string_view> frames;
        for (size_t i = 1; i < parts.size(); ++i) {
            frames.emplace_back(static_cast<const char*>(parts[i].data()), parts[i].size());
        }
        DecodeResult decoded = decodeMessage(frames, Limits{});
        if (!decoded.ok()) {
            continue;
        }
        const std::string routingId = parts[0].to_string();
        const std::string& type = decoded.message->envelope.type;
        if (type == "hello/1") {
            ++seen.hellos;
            helloed = true;
            due.push_back({now + std::chrono::milliseconds(welcomeDelayMs), routingId, decoded.message->envelope.id});
        } else if (!helloed) {
            send(router, &routingId, "bus/notice/", "notice/1",
                 R"({"code":"hello-required","message":"send hello/1 first"})", {});
            ++seen.noticesSent;
        } else if (type == "state/1") {
            ++seen.statesAfterHello[decoded.message->topic];
        } else if (type == "heartbeat/1") {
            send(router, &routingId, "bus/heartbeat/", "heartbeat/1", brokerState, {});
        }
    }
    return seen;
}

} // namespace

TEST_CASE("bus/one-hello-after-broker-restart") {
    TempDir dir;
    BrokerConfig brokerConfig = testBrokerConfig(dir);
    const std::string frontend = brokerConfig.frontendEndpoint;
    const std::string publisher = brokerConfig.publisherEndpoint;
    auto broker = std::make_unique<Broker>(brokerConfig);
    REQUIRE(broker->start().ok());
    ClientConfig config = testClientConfig(*broker, "lamp-driver", Role::Driver);
    config.devices = {"lamp-1"};
    Client driver(config);
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(10000));
    REQUIRE(driver.publishState("lamp-1/level", "100").ok());
    REQUIRE(driver.publishState("lamp-1/on", "true").ok());
    const uint64_t welcomesBefore = driver.stats().welcomes;

    // The broker goes; the driver goes on publishing (queued until a broker is back).
    broker->stop();
    broker.reset();
    for (int level = 90; level >= 60; level -= 10) {
        REQUIRE(driver.publishState("lamp-1/level", std::to_string(level)).ok());
    }
    // Queued heartbeats too: the stand-in gets several messages before any hello.
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the outage itself

    // The new broker takes 1.5 s to answer a hello (loaded), within the 2 s a peer waits.
    const Seen seen = serveAsRestartedBroker(frontend, publisher, 1500, 4500);
    INFO("notices " << seen.noticesSent << ", hellos " << seen.hellos << ", welcomes " << seen.welcomes);
    CHECK(seen.noticesSent >= 2); // the premise: several `hello-required` for one restart
    CHECK(seen.hellos == 1);
    CHECK(seen.welcomes == 1);
    CHECK(driver.stats().welcomes == welcomesBefore + 1);
    // One full republish: each key once after the hello (the queued updates came before it).
    CHECK(seen.statesAfterHello.size() == 2);
    for (const auto& [topic, count] : seen.statesAfterHello) {
        INFO(topic);
        CHECK(count == 1);
    }
    driver.stop();
}
