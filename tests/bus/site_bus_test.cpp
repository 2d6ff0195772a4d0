// The site file's [bus] section, read by the site loader and turned into broker and client
// settings; a broker started from it enforces its allow-list.
#include "bus_test_util.hpp"

#include "ccoc/bus/site_config.hpp"
#include "ccoc/site.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

constexpr std::string_view kHead = R"([site]
name = "สถานีตำรวจทดสอบ"
name_en = "Test Police Station"
station_code = "TST-0001"

[[screen]]
id = "main"
width = 800
height = 600
)";

std::vector<std::string> errorsOf(const ccoc::site::LoadResult& result) {
    std::vector<std::string> lines;
    for (const auto& error : result.errors) {
        lines.push_back(error.format());
    }
    return lines;
}

} // namespace

TEST_CASE("bus/site-bus-section") {
    TempDir dir;
    std::string serverPublic, serverSecret, hostPublic, hostSecret, driverPublic, driverSecret;
    REQUIRE(generateCurveKeyPair(serverPublic, serverSecret).ok());
    REQUIRE(generateCurveKeyPair(hostPublic, hostSecret).ok());
    REQUIRE(generateCurveKeyPair(driverPublic, driverSecret).ok());
    std::ofstream(dir.path / "broker.key") << "public = \"" << serverPublic << "\"\nsecret = \"" << serverSecret << "\"\n";
    std::ofstream(dir.path / "host.key") << hostSecret << "\n";
    const std::string text = std::string(kHead) + R"(
[bus]
frontend = "ipc://)" + (dir.path / "f").string() + R"("
publisher = "ipc://)" + (dir.path / "p").string() + R"("
security = "curve"
server_public_key = ")" + serverPublic + R"("
server_secret_key_file = "broker.key"
client_public_key = ")" + hostPublic + R"("
client_secret_key_file = "host.key"
journal = "journal.sqlite"
heartbeat_ms = 100
offline_after_ms = 400
max_message_bytes = 2097152

[[bus.allow]]
name = "host"
public_key = ")" + hostPublic + R"("
publish = ["cmd/"]

[[bus.allow]]
name = "sim-1"
public_key = ")" + driverPublic + R"("
publish = ["state/cam-1/", "event/cam-1/"]
devices = ["cam-1"]
)";
    const auto loaded = ccoc::site::parseSite(text, (dir.path / "site.toml").string());
    INFO(errorsOf(loaded).size());
    REQUIRE(loaded.ok());
    const ccoc::site::BusSettings& bus = loaded.site->bus;
    CHECK(bus.curve);
    CHECK(bus.embeddedBroker);
    CHECK(bus.journal == (dir.path / "journal.sqlite").string());
    REQUIRE(bus.allow.size() == 2);
    CHECK(bus.allow[1].devices == std::vector<std::string>{"cam-1"});

    CHECK(bus.maxMessageBytes == 2097152);
    BrokerConfig brokerConfig;
    REQUIRE(brokerConfigFromSite(bus, brokerConfig).ok());
    CHECK(brokerConfig.security.serverSecretKey == serverSecret);
    CHECK(brokerConfig.maxMessageBytes == 2097152);
    brokerConfig.log = [](LogLevel, std::string_view) {};
    Broker broker(brokerConfig);
    REQUIRE(broker.start().ok());

    ClientConfig hostConfig;
    REQUIRE(clientConfigFromSite(bus, hostConfig).ok());
    hostConfig.sourceId = "host";
    Client host(hostConfig);
    REQUIRE(host.start().ok());
    CHECK(host.waitReady(5000));

    ClientConfig driverConfig;
    REQUIRE(clientConfigFromSite(bus, driverConfig).ok());
    driverConfig.sourceId = "sim-1";
    driverConfig.role = Role::Driver;
    driverConfig.devices = {"cam-1"};
    driverConfig.curve->publicKey = driverPublic;
    driverConfig.curve->secretKey = driverSecret;
    Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    CHECK(driver.waitReady(5000));
}

TEST_CASE("bus/site-bus-section-errors") {
    const std::string text = std::string(kHead) + R"(
[bus]
frontend = "localhost:5570"
security = "curve"
server_public_key = "short"
heartbeat_ms = 1000
offline_after_ms = 500
colour = "blue"

[[bus.allow]]
name = "sim-1"
public_key = "not a key"
publish = ["state/cam-1"]
)";
    const auto errors = errorsOf(ccoc::site::parseSite(text, "site.toml"));
    auto has = [&](std::string_view part) {
        for (const auto& line : errors) {
            if (line.find(part) != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    INFO(errors.size());
    CHECK(has("site.toml:12:12: 'frontend' of [bus] is not a ZeroMQ endpoint"));
    CHECK(has("'server_public_key' of [bus] is not a CURVE public key"));
    CHECK(has("'offline_after_ms' of [bus] is not longer than 'heartbeat_ms'"));
    CHECK(has("colour"));
    CHECK(has("'public_key' of [[bus.allow]] is not a CURVE public key"));
    CHECK(has("publish prefix 'state/cam-1' of [[bus.allow]] 'sim-1' is not a topic prefix"));
    CHECK(has("server_secret_key_file"));
}

TEST_CASE("bus/key-file-errors-name-the-file-not-the-key") {
    TempDir dir;
    std::ofstream(dir.path / "bad.key") << "secret = \"abc\"\n";
    std::string key;
    const Status missing = readCurveSecretKeyFile((dir.path / "none.key").string(), key);
    CHECK(missing.error.find("none.key") != std::string::npos);
    const Status bad = readCurveSecretKeyFile((dir.path / "bad.key").string(), key);
    CHECK(bad.error.find("bad.key") != std::string::npos);
    CHECK(bad.error.find("abc") == std::string::npos);
}
