// peerClientConfigFromSite: a peer the host runs takes the key pair of the [[bus.allow]] entry of
// its name; every way that can go wrong is a message naming the entry, the place in the site file
// and the file, never a key.
#include "curve_site.hpp"

#include "child_process.hpp"

#include "ccoc/bus/client.hpp"

using namespace ccoc;
using namespace ccoc::curve_test;
using bus::test::LogCollector;

namespace {

// The error of a peer config for `name`; empty when it worked.
std::string peerError(const site::Site& site, const std::string& name, bus::ClientConfig& config) {
    const bus::Status status = bus::peerClientConfigFromSite(site.bus, name, config);
    return status.ok() ? std::string() : status.error;
}

} // namespace

TEST_CASE("bus/curve-peer-own-key-connects") {
    CurveSite curve;
    const site::Site site = curve.write(
        kStation + curve.busSection(curve.allow("wall.wall-1", "wall", "wall",
                                                "publish = [\"state/wall.wall-1/\"]\ndevices = [\"wall.wall-1\"]")));
    LogCollector logs;
    auto broker = curve.broker(site, logs);

    bus::ClientConfig config;
    REQUIRE(peerError(site, "wall.wall-1", config).empty());
    CHECK(config.sourceId == "wall.wall-1");
    REQUIRE(config.curve);
    CHECK(config.curve->publicKey == curve.key("wall").publicKey);
    CHECK(config.curve->secretKey == curve.key("wall").secretKey);
    CHECK(config.curve->serverPublicKey == curve.key("broker").publicKey);
    config.role = bus::Role::Driver;
    config.devices = {"wall.wall-1"};
    bus::Client wall(config);
    REQUIRE(wall.start().ok());
    REQUIRE(wall.waitReady(5000));
    REQUIRE(wall.publishState("wall.wall-1/state", "{\"layout\":\"1\"}").ok());
    // The broker took it as the entry's source id and published it: a console sees it.
    bus::ClientConfig consoleConfig;
    REQUIRE(bus::clientConfigFromSite(site.bus, consoleConfig).ok());
    consoleConfig.sourceId = "host";
    consoleConfig.mirrorState = true;
    bus::Client console(consoleConfig);
    REQUIRE(console.start().ok());
    CHECK(bus::test::waitUntil([&] { return console.state("wall.wall-1/state").has_value(); }));
    CHECK_FALSE(logs.contains("refused"));
    CHECK_FALSE(curve.holdsSecret(logs.all()));
}

TEST_CASE("bus/curve-peer-without-key-says-which-entry") {
    CurveSite curve;
    const site::Site site = curve.write(kStation + curve.busSection(curve.allow("alarms", "alarms", "", "")));
    bus::ClientConfig config;
    // No entry at all: the message names the entry to add and its keys, and what it must allow.
    const bus::Status none = bus::peerClientConfigFromSite(site.bus, "wall.wall-1", config,
                                                           bus::PeerNeeds{{"state/wall.wall-1/"}, {"wall.wall-1"}});
    REQUIRE_FALSE(none.ok());
    CHECK(none.error == "bus: security = \"curve\" and 'wall.wall-1' has no key of its own in " + curve.path() +
                            ":11:1; expected [[bus.allow]] name = \"wall.wall-1\" with public_key and secret_key_file "
                            "(one key pair from 'ccoc-bus keygen': the public line, and a file holding the secret "
                            "line), publish = [\"state/wall.wall-1/\"], devices = [\"wall.wall-1\"]");
    CHECK_FALSE(config.curve);
    // An entry without secret_key_file: says so, where the entry is.
    const std::string noSecret = peerError(site, "alarms", config);
    CHECK(noSecret.find(curve.path() + ":27:1: [[bus.allow]] 'alarms' has no secret_key_file") != std::string::npos);
    CHECK(noSecret.find("expected secret_key_file = \"PATH\"") != std::string::npos);
    CHECK_FALSE(config.curve);
}

TEST_CASE("bus/curve-peer-bad-secret-key-file") {
    CurveSite curve;
    const std::string rights = "publish = [\"state/x/\"]";
    const site::Site site = curve.write(kStation + curve.busSection(curve.allow("missing", "missing", "", rights) +
                                                                    "secret_key_file = \"keys/none.key\"\n\n" +
                                                                    curve.allow("garbled", "garbled", "garbled", rights) +
                                                                    curve.allow("short", "short", "short", rights) +
                                                                    curve.allow("swapped", "swapped", "other", rights)));
    // Overwrite two files with what is not a key (one looks like one but holds a non-Z85 char).
    std::ofstream(curve.dir.path / "keys" / "garbled.key") << "secret = \"" << std::string(39, 'a') << "~\"\n";
    std::ofstream(curve.dir.path / "keys" / "short.key") << "not a key at all\n";
    bus::ClientConfig config;

    const std::string missing = peerError(site, "missing", config);
    INFO(missing);
    CHECK(missing.starts_with("bus: " + curve.path() + ":"));
    CHECK(missing.find("secret_key_file of [[bus.allow]] 'missing': cannot read the key file " +
                       (curve.dir.path / "keys" / "none.key").string()) != std::string::npos);

    const std::string garbled = peerError(site, "garbled", config);
    INFO(garbled);
    CHECK(garbled.find("secret_key_file of [[bus.allow]] 'garbled': key file " +
                       (curve.dir.path / "keys" / "garbled.key").string() + " holds no CURVE secret key") !=
          std::string::npos);
    CHECK(garbled.find("aaaaaaaa") == std::string::npos);

    const std::string shortKey = peerError(site, "short", config);
    INFO(shortKey);
    CHECK(shortKey.find("'short': key file " + (curve.dir.path / "keys" / "short.key").string() +
                        " holds no CURVE secret key; expected 40 characters of Z85 text") != std::string::npos);
    CHECK(shortKey.find("not a key") == std::string::npos);

    // A real secret key, but of another pair: the peer would be refused, so it is said here.
    const std::string swapped = peerError(site, "swapped", config);
    INFO(swapped);
    CHECK(swapped.find("secret_key_file of [[bus.allow]] 'swapped': the secret key in " +
                       (curve.dir.path / "keys" / "other.key").string() +
                       " does not belong to the entry's public_key") != std::string::npos);
    CHECK_FALSE(curve.holdsSecret(missing + garbled + shortKey + swapped));
    CHECK_FALSE(config.curve);
}

TEST_CASE("bus/curve-keys-match") {
    KeyPair one;
    KeyPair two;
    bool match = false;
    REQUIRE(bus::curveKeysMatch(one.publicKey, one.secretKey, match).ok());
    CHECK(match);
    REQUIRE(bus::curveKeysMatch(one.publicKey, two.secretKey, match).ok());
    CHECK_FALSE(match);
    const bus::Status bad = bus::curveKeysMatch(one.publicKey, std::string(40, '~'), match);
    CHECK_FALSE(bad.ok());
    CHECK(bad.error.find(std::string(40, '~')) == std::string::npos);
}

TEST_CASE("bus/curve-host-key-pair-must-match") {
    CurveSite curve;
    site::Site site = curve.write(kStation + curve.busSection(""));
    bus::ClientConfig config;
    REQUIRE(bus::clientConfigFromSite(site.bus, config).ok());
    // The host's file holds the secret of another pair.
    site.bus.clientSecretKeyFile = (curve.dir.path / "keys" / "broker.key").string();
    const bus::Status wrong = bus::clientConfigFromSite(site.bus, config);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error == "bus: " + curve.path() + ":11:1: the secret key in client_secret_key_file " +
                             site.bus.clientSecretKeyFile + " does not belong to client_public_key; expected the "
                             "secret line of the same 'ccoc-bus keygen' pair (the broker would refuse the host)");
    CHECK_FALSE(curve.holdsSecret(wrong.error));
}

TEST_CASE("bus/curve-ccoc-bus-as-its-own-entry") {
    CurveSite curve;
    const site::Site site = curve.write(kStation + curve.busSection(curve.allow("ops-1", "ops-1", "ops-1", "publish = []") +
                                                                    curve.allow("ops-2", "ops-2", "stranger", "publish = []")));
    bus::test::LogCollector logs;
    auto broker = curve.broker(site, logs);
    // The workstation has no copy of the host's secret key: only its own entry's.
    std::filesystem::remove(curve.dir.path / "keys" / "host.key");
    const std::string tool = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-bus";

    ccoc::test::ChildProcess own({tool, "list", "--config", curve.path(), "--as", "ops-1"});
    CHECK(own.wait(std::chrono::seconds(15)) == 0);
    INFO(own.output());
    CHECK(broker->stats().refused == 0);

    // Without --as it would need the host's key file, which is not there.
    ccoc::test::ChildProcess host({tool, "list", "--config", curve.path()});
    CHECK(host.wait(std::chrono::seconds(15)) != 0);
    CHECK(host.output().find("host.key") != std::string::npos);

    // An entry whose key file holds another pair's secret: refused before connecting, saying which
    // entry and file, never the key.
    ccoc::test::ChildProcess wrong({tool, "list", "--config", curve.path(), "--as", "ops-2"});
    CHECK(wrong.wait(std::chrono::seconds(15)) == 2);
    const std::string said = wrong.output();
    INFO(said);
    CHECK(said.find("[[bus.allow]] 'ops-2'") != std::string::npos);
    CHECK(said.find("stranger.key") != std::string::npos);
    CHECK_FALSE(curve.holdsSecret(said));

    // No such entry: says what to add.
    ccoc::test::ChildProcess missing({tool, "list", "--config", curve.path(), "--as", "ops-9"});
    CHECK(missing.wait(std::chrono::seconds(15)) == 2);
    CHECK(missing.output().find("ops-9") != std::string::npos);
    CHECK(broker->stats().refused == 0);
}
