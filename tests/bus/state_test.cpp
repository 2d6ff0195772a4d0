// Retained state (protocol sections 6 and 9): late joiners, sequence gaps, offline drivers and
// restarted sessions, against a real broker (or, for the client's gap check, raw sockets playing
// the broker).
#include "bus_test_util.hpp"

#include "ccoc/bus/codec.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include <atomic>
#include <map>
#include <set>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

TEST_CASE("bus/late-joiner-snapshot-and-updates") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    ClientConfig driverConfig = testClientConfig(broker, "sim-1", Role::Driver);
    driverConfig.devices = {"dev"};
    Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(5000));

    constexpr int kKeys = 500;
    std::map<std::string, int> truth;
    for (int i = 0; i < kKeys; ++i) {
        const std::string path = "dev/k" + std::to_string(i);
        REQUIRE(driver.publishState(path, "0").ok());
        truth[path] = 0;
    }
    // Keep publishing while the late joiners connect and take their snapshot.
    std::atomic<bool> stopPublishing{false};
    std::atomic<int> rounds{0};
    std::thread publisher([&] {
        int value = 1;
        while (!stopPublishing) {
            for (int i = 0; i < kKeys; i += 7) {
                (void)driver.publishState("dev/k" + std::to_string(i), std::to_string(value));
            }
            ++value;
            ++rounds;
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
    });
    waitUntil([&] { return rounds > 5; });

    struct Joiner {
        std::mutex mutex;
        std::map<std::string, std::vector<uint64_t>> seen; // path -> broker_seq of each notification
        std::unique_ptr<Client> client;                    // last: destroyed first
    };
    std::vector<std::unique_ptr<Joiner>> joiners;
    for (int j = 0; j < 2; ++j) {
        auto joiner = std::make_unique<Joiner>();
        ClientConfig config = testClientConfig(broker, "console-" + std::to_string(j), Role::Console);
        config.mirrorState = true;
        joiner->client = std::make_unique<Client>(config);
        Joiner* raw = joiner.get();
        REQUIRE(raw->client->subscribe("state/dev", [raw](const Message& message) {
            std::lock_guard lock(raw->mutex);
            raw->seen[message.path].push_back(message.brokerSeq);
        }) != 0);
        REQUIRE(raw->client->start().ok());
        joiners.push_back(std::move(joiner));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (auto& joiner : joiners) {
        REQUIRE(joiner->client->waitReady(5000));
    }
    waitUntil([&] { return rounds > 40; });
    stopPublishing = true;
    publisher.join();
    const int finalValue = rounds.load();
    for (int i = 0; i < kKeys; i += 7) {
        truth["dev/k" + std::to_string(i)] = finalValue; // last value the publisher wrote
    }
    REQUIRE(driver.publishState("dev/done", "true").ok());

    for (auto& joiner : joiners) {
        REQUIRE(waitUntil([&] { return joiner->client->state("dev/done").has_value(); }));
        const auto entries = joiner->client->stateSnapshot("dev");
        CHECK(entries.size() == truth.size() + 1);
        for (const auto& [path, value] : truth) {
            const auto entry = joiner->client->state(path);
            REQUIRE(entry.has_value());
            CHECK(entry->value == std::to_string(value));
        }
        // Nothing doubled: each key's notifications have strictly increasing broker_seq.
        std::lock_guard lock(joiner->mutex);
        for (const auto& [path, seqs] : joiner->seen) {
            for (size_t i = 1; i < seqs.size(); ++i) {
                CHECK(seqs[i] > seqs[i - 1]);
            }
        }
        CHECK(joiner->client->stats().stateSynced);
    }
    // Prefix safety of the mirror: "dev" does not take "dev-2".
    for (const auto& entry : joiners[0]->client->stateSnapshot("dev")) {
        CHECK(entry.path.starts_with("dev/"));
    }
}

namespace {

// Raw sockets playing the broker, for the client's own checks.
struct FakeBroker {
    zmq::context_t context;
    zmq::socket_t router{context, zmq::socket_type::router};
    zmq::socket_t publisher{context, zmq::socket_type::pub};
    uint64_t seq = 0;

    explicit FakeBroker(const TempDir& dir) {
        router.set(zmq::sockopt::linger, 0);
        publisher.set(zmq::sockopt::linger, 0);
        router.bind("ipc://" + (dir.path / "fake-frontend").string());
        publisher.bind("ipc://" + (dir.path / "fake-publisher").string());
    }

    std::string envelope(std::string_view type, std::string corr = {}, uint64_t brokerSeq = 0) {
        Envelope e;
        e.id = "fake:" + std::to_string(++seq);
        e.type = std::string(type);
        e.source = "_bus";
        e.session = "fake";
        e.seq = seq;
        e.sentUs = 1;
        e.corr = std::move(corr);
        e.brokerSeq = brokerSeq;
        e.epoch = "e1";
        return encodeEnvelope(e);
    }

    // Receives until a message of `type` arrives; returns (routing id, envelope) or empty.
    std::optional<std::pair<std::string, Envelope>> expect(std::string_view type, int timeoutMs = 3000) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (std::chrono::steady_clock::now() < deadline) {
            zmq::pollitem_t item{router.handle(), 0, ZMQ_POLLIN, 0};
            if (zmq::poll(&item, 1, std::chrono::milliseconds(20)) <= 0) {
                continue;
            }
            std::vector<zmq::message_t> parts;
            (void)zmq::recv_multipart(router, std::back_inserter(parts));
            std::vector<std::string_view> frames;
            for (size_t i = 1; i < parts.size(); ++i) {
                frames.emplace_back(static_cast<const char*>(parts[i].data()), parts[i].size());
            }
            DecodeResult result = decodeMessage(frames, {});
            if (result.ok() && result.message->envelope.type == type) {
                return std::make_pair(parts[0].to_string(), result.message->envelope);
            }
        }
        return std::nullopt;
    }

    void send(const std::string& routingId, std::string topic, std::string env, std::string payload) {
        router.send(zmq::buffer(routingId), zmq::send_flags::sndmore);
        router.send(zmq::buffer(topic), zmq::send_flags::sndmore);
        router.send(zmq::buffer(env), zmq::send_flags::sndmore);
        router.send(zmq::buffer(payload), zmq::send_flags::none);
    }

    void publishState(const std::string& topic, uint64_t brokerSeq, const std::string& value) {
        const std::string env = envelope("state/1", {}, brokerSeq);
        publisher.send(zmq::buffer(topic), zmq::send_flags::sndmore);
        publisher.send(zmq::buffer(env), zmq::send_flags::sndmore);
        publisher.send(zmq::buffer(value), zmq::send_flags::none);
    }
};

} // namespace

TEST_CASE("bus/sequence-gap-resync") {
    TempDir dir;
    FakeBroker fake(dir);
    ClientConfig config;
    config.sourceId = "console-1";
    config.frontendEndpoint = "ipc://" + (dir.path / "fake-frontend").string();
    config.publisherEndpoint = "ipc://" + (dir.path / "fake-publisher").string();
    config.mirrorState = true;
    config.heartbeatMs = 5000; // keep heartbeats out of the way
    Client client(config);
    REQUIRE(client.start().ok());

    const auto hello = fake.expect("hello/1");
    REQUIRE(hello);
    const std::string peer = hello->first;
    fake.send(peer, "bus/welcome/", fake.envelope("welcome/1", hello->second.id),
              R"({"epoch":"e1","heartbeat_ms":5000,"offline_after_ms":15000,"broker_seq":10,"journal":"j","event_seq":0})");
    auto request = fake.expect("snapshot-request/1");
    REQUIRE(request);
    fake.send(peer, "bus/snapshot/", fake.envelope("snapshot/1", request->second.id),
              R"({"items":[{"topic":"state/d/a/","value":1,"src":"x","session":"s","acquired_us":1,"broker_seq":10,"stale":false}],"last":true,"broker_seq":10})");
    REQUIRE(client.waitReady(3000));
    CHECK(client.state("d/a")->value == "1");

    // Update 11 is in order; it is repeated until the subscription has reached the publisher.
    REQUIRE(waitUntil([&] {
        fake.publishState("state/d/b/", 11, "2");
        return client.state("d/b").has_value();
    }));
    CHECK(client.stats().resyncs == 0);

    // 12 never comes: 13 is a gap, so the client asks for a new snapshot instead of guessing.
    fake.publishState("state/d/c/", 13, "3");
    request = fake.expect("snapshot-request/1");
    REQUIRE(request);
    CHECK(client.stats().resyncs == 1);
    CHECK_FALSE(client.state("d/c").has_value());
    fake.send(peer, "bus/snapshot/", fake.envelope("snapshot/1", request->second.id),
              R"({"items":[{"topic":"state/d/a/","value":1,"src":"x","session":"s","acquired_us":1,"broker_seq":10,"stale":false},)"
              R"({"topic":"state/d/b/","value":2,"src":"x","session":"s","acquired_us":1,"broker_seq":11,"stale":false},)"
              R"({"topic":"state/d/c/","value":3,"src":"x","session":"s","acquired_us":1,"broker_seq":13,"stale":false}],"last":true,"broker_seq":13})");
    REQUIRE(waitUntil([&] { return client.state("d/c").has_value() && client.stats().stateSynced; }));
    CHECK(client.state("d/c")->value == "3");
}

TEST_CASE("bus/broker-asks-driver-to-resync-on-gap") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    zmq::context_t context;
    zmq::socket_t dealer(context, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.connect(broker.frontendEndpoint());
    auto send = [&](std::string topic, std::string type, uint64_t seq, std::string payload) {
        Envelope e;
        e.id = "raw:" + std::to_string(seq);
        e.type = std::move(type);
        e.source = "raw-driver";
        e.session = "s1";
        e.seq = seq;
        e.sentUs = 1;
        const std::string env = encodeEnvelope(e);
        dealer.send(zmq::buffer(topic), zmq::send_flags::sndmore);
        dealer.send(zmq::buffer(env), zmq::send_flags::sndmore);
        dealer.send(zmq::buffer(payload), zmq::send_flags::none);
    };
    auto expect = [&](std::string_view type) {
        dealer.set(zmq::sockopt::rcvtimeo, 3000);
        for (int i = 0; i < 20; ++i) {
            std::vector<zmq::message_t> parts;
            if (!zmq::recv_multipart(dealer, std::back_inserter(parts))) {
                return false;
            }
            if (parts.size() >= 2 && parts[1].to_string().find(std::string("\"type\":\"") + std::string(type)) !=
                                         std::string::npos) {
                return true;
            }
        }
        return false;
    };
    send("bus/hello/", "hello/1", 1, R"({"role":"driver","devices":["dev"]})");
    REQUIRE(expect("welcome/1"));
    send("state/dev/a/", "state/1", 2, "1");
    send("state/dev/b/", "state/1", 5, "2"); // 3 and 4 went missing
    CHECK(expect("resync/1"));
}

TEST_CASE("bus/heartbeat-loss-offline-then-new-session-republish") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    ClientConfig consoleConfig = testClientConfig(broker, "console-1", Role::Console);
    consoleConfig.mirrorState = true;
    Client console(consoleConfig);
    REQUIRE(console.start().ok());
    REQUIRE(console.waitReady(5000));

    ClientConfig driverConfig = testClientConfig(broker, "sim-1", Role::Driver);
    driverConfig.devices = {"dev-1"};
    auto driver = std::make_unique<Client>(driverConfig);
    REQUIRE(driver->start().ok());
    REQUIRE(driver->publishState("dev-1/temperature", "21.5").ok());
    REQUIRE(waitUntil([&] { return console.state("dev-1/temperature").has_value(); }));
    CHECK_FALSE(console.state("dev-1/temperature")->stale);
    const std::string firstSession = console.state("dev-1/temperature")->session;

    // The driver dies without a word: its heartbeats stop.
    driver.reset();
    REQUIRE(waitUntil([&] {
        const auto entry = console.state("dev-1/temperature");
        return entry && entry->stale;
    }, 3000));
    CHECK(console.state("dev-1/temperature")->value == "21.5"); // value kept, flagged stale
    // The broker also says so in its own retained state (published right after the stale values).
    CHECK(waitUntil([&] {
        const auto presence = console.state("_bus/drivers/sim-1");
        return presence && nlohmann::json::parse(presence->value)["online"] == false;
    }));
    REQUIRE(waitUntil([&] { return broker.stats().onlineDrivers == 0; }));

    // It restarts: a new session announces itself and republishes its state.
    Client restarted(driverConfig);
    REQUIRE(restarted.start().ok());
    REQUIRE(restarted.publishState("dev-1/temperature", "22.0").ok());
    REQUIRE(waitUntil([&] {
        const auto entry = console.state("dev-1/temperature");
        return entry && !entry->stale && entry->value == "22.0";
    }));
    CHECK(console.state("dev-1/temperature")->session == restarted.sessionId());
    CHECK(console.state("dev-1/temperature")->session != firstSession);
    REQUIRE(waitUntil([&] {
        const auto entry = console.state("_bus/drivers/sim-1");
        return entry && nlohmann::json::parse(entry->value)["online"] == true;
    }));
}

TEST_CASE("bus/broker-restart-republishes-driver-state") {
    TempDir dir;
    auto broker = std::make_unique<Broker>(testBrokerConfig(dir));
    REQUIRE(broker->start().ok());
    ClientConfig driverConfig = testClientConfig(*broker, "sim-1", Role::Driver);
    driverConfig.devices = {"dev-1"};
    Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    ClientConfig consoleConfig = testClientConfig(*broker, "console-1", Role::Console);
    consoleConfig.mirrorState = true;
    Client console(consoleConfig);
    REQUIRE(console.start().ok());
    REQUIRE(driver.publishState("dev-1/mode", "\"auto\"").ok());
    REQUIRE(waitUntil([&] { return console.state("dev-1/mode").has_value(); }));

    // Assigning destroys (stops) the old broker before the new one binds the same endpoints.
    broker = std::make_unique<Broker>(testBrokerConfig(dir));
    REQUIRE(broker->start().ok());
    // The new broker knows nothing; the driver's SDK republishes on the new welcome and the
    // console resyncs from the new snapshot.
    REQUIRE(waitUntil([&] { return driver.stats().welcomes >= 2 && console.stats().welcomes >= 2; }, 8000));
    REQUIRE(waitUntil([&] {
        const auto entry = console.state("dev-1/mode");
        return entry && entry->value == "\"auto\"" && console.stats().stateSynced &&
               broker->stats().retainedKeys >= 1;
    }, 8000));
}
