// CURVE with the broker's ZAP handler and allow-list (protocol section 10).
#include "bus_test_util.hpp"

#include <catch2/catch.hpp>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

struct KeyPair {
    std::string publicKey;
    std::string secretKey;
    KeyPair() { REQUIRE(generateCurveKeyPair(publicKey, secretKey).ok()); }
};

struct SecureBus {
    TempDir dir;
    LogCollector logs;
    KeyPair server, driverKey, consoleKey, strangerKey;
    BrokerConfig config;
    std::unique_ptr<Broker> broker;

    SecureBus() {
        config = testBrokerConfig(dir, &logs);
        config.security.curve = true;
        config.security.serverPublicKey = server.publicKey;
        config.security.serverSecretKey = server.secretKey;
        config.security.allow = {
            AllowEntry{"sim-1", driverKey.publicKey, {"state/cam-1/", "event/cam-1/"}, {"cam-1"}},
            AllowEntry{"console-1", consoleKey.publicKey, {"cmd/"}, {}}};
        broker = std::make_unique<Broker>(config);
    }

    ClientConfig client(std::string source, Role role, const KeyPair* keys) {
        ClientConfig out = testClientConfig(*broker, std::move(source), role);
        if (keys != nullptr) {
            out.curve = CurveClientKeys{keys->publicKey, keys->secretKey, server.publicKey};
        }
        return out;
    }

    void checkNoSecretsLogged() {
        const std::string all = logs.all();
        for (const auto* secret : {&server.secretKey, &driverKey.secretKey, &consoleKey.secretKey, &strangerKey.secretKey}) {
            CHECK(all.find(*secret) == std::string::npos);
        }
    }
};

} // namespace

TEST_CASE("bus/curve-allowed-key-accepted") {
    SecureBus bus;
    REQUIRE(bus.broker->start().ok());
    ClientConfig driverConfig = bus.client("sim-1", Role::Driver, &bus.driverKey);
    driverConfig.devices = {"cam-1"};
    Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    ClientConfig consoleConfig = bus.client("console-1", Role::Console, &bus.consoleKey);
    consoleConfig.mirrorState = true;
    Client console(consoleConfig);
    REQUIRE(console.start().ok());
    REQUIRE(driver.waitReady(5000));
    REQUIRE(console.waitReady(5000));
    REQUIRE(driver.publishState("cam-1/online", "true").ok());
    REQUIRE(waitUntil([&] { return console.state("cam-1/online").has_value(); }));
    bus.checkNoSecretsLogged();
}

TEST_CASE("bus/curve-unknown-key-refused") {
    SecureBus bus;
    REQUIRE(bus.broker->start().ok());
    Client stranger(bus.client("sim-1", Role::Driver, &bus.strangerKey));
    REQUIRE(stranger.start().ok());
    CHECK_FALSE(stranger.waitReady(800));
    CHECK(bus.broker->stats().refused >= 1);
    CHECK(bus.logs.contains("unknown public key " + bus.strangerKey.publicKey));
    bus.checkNoSecretsLogged();
}

TEST_CASE("bus/curve-refused-peer-is-logged-once-not-at-every-retry") {
    SecureBus bus;
    REQUIRE(bus.broker->start().ok());
    // A driver with a wrong key is restarted again and again by its host: three tries here.
    for (int attempt = 0; attempt < 3; ++attempt) {
        const auto refusedBefore = bus.broker->stats().refused;
        Client stranger(bus.client("sim-1", Role::Driver, &bus.strangerKey));
        REQUIRE(stranger.start().ok());
        REQUIRE(waitUntil([&] { return bus.broker->stats().refused > refusedBefore; }));
    }
    std::size_t lines = 0;
    {
        std::lock_guard lock(bus.logs.mutex);
        for (const auto& line : bus.logs.lines) {
            lines += line.find("unknown public key " + bus.strangerKey.publicKey) != std::string::npos ? 1 : 0;
        }
    }
    CHECK(lines == 1);
    CHECK(bus.broker->stats().refused >= 3);
    bus.checkNoSecretsLogged();
}

TEST_CASE("bus/curve-plain-client-refused") {
    SecureBus bus;
    REQUIRE(bus.broker->start().ok());
    Client plain(bus.client("console-1", Role::Console, nullptr));
    REQUIRE(plain.start().ok());
    CHECK_FALSE(plain.waitReady(800));
    CHECK(bus.broker->stats().received == 0);
}

TEST_CASE("bus/curve-publishing-outside-prefixes-dropped") {
    SecureBus bus;
    REQUIRE(bus.broker->start().ok());
    ClientConfig driverConfig = bus.client("sim-1", Role::Driver, &bus.driverKey);
    driverConfig.devices = {"cam-1"};
    Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    ClientConfig consoleConfig = bus.client("console-1", Role::Console, &bus.consoleKey);
    consoleConfig.mirrorState = true;
    Client console(consoleConfig);
    REQUIRE(console.start().ok());
    REQUIRE(driver.waitReady(5000));
    REQUIRE(console.waitReady(5000));

    REQUIRE(driver.publishState("cam-2/online", "true").ok());  // not its prefix
    REQUIRE(console.publishState("cam-1/online", "false").ok()); // consoles may only command
    REQUIRE(driver.publishState("cam-1/online", "true").ok());
    REQUIRE(waitUntil([&] { return console.state("cam-1/online").has_value(); }));
    CHECK(console.state("cam-1/online")->value == "true");
    CHECK_FALSE(console.state("cam-2/online").has_value());
    CHECK(bus.broker->stats().refused >= 2);
    CHECK(waitUntil([&] { return bus.logs.contains("not allowed"); }));

    // A key cannot claim another source id than its allow-list entry's.
    ClientConfig impostorConfig = bus.client("sim-2", Role::Driver, &bus.driverKey);
    impostorConfig.devices = {"cam-1"};
    Client impostor(impostorConfig);
    REQUIRE(impostor.start().ok());
    CHECK_FALSE(impostor.waitReady(600));
    CHECK(waitUntil([&] { return bus.logs.contains("claims source 'sim-2'"); }));
    bus.checkNoSecretsLogged();
}

TEST_CASE("bus/curve-refused-without-zap-handler") {
    SecureBus bus;
    bus.config.security.builtinZapHandler = false; // nobody answers ZAP in this context
    Broker broker(bus.config);
    const Status status = broker.start();
    REQUIRE_FALSE(status.ok());
    CHECK(status.error.find("no ZAP handler") != std::string::npos);
    CHECK_FALSE(broker.running());
    bus.checkNoSecretsLogged();
}
