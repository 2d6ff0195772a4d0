// [[bus.allow]] secret_key_file: the path is read relative to the site file and bad values are
// reported where they were written. The file itself is read when its peer starts (tests/bus), or at
// load time for its public half when the site file leaves the public key out.
#include "site_test_support.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using ccoc::site::parseSite;
using ccoc::site::test::errorsOf;
using ccoc::site::test::withHead;
using Lines = std::vector<std::string>;

namespace {

// 40 characters of Z85: a well-formed public key (not a real pair; only the syntax is checked).
const std::string kKey = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";

std::string curveBus(const std::string& allow) {
    return withHead("[bus]\nsecurity = \"curve\"\nserver_public_key = \"" + kKey +
                    "\"\nserver_secret_key_file = \"keys/broker.key\"\nclient_public_key = \"" + kKey +
                    "\"\nclient_secret_key_file = \"keys/host.key\"\n" + allow);
}

} // namespace

TEST_CASE("site/bus-allow-secret-key-file-read") {
    const auto loaded = parseSite(curveBus("[[bus.allow]]\nname = \"alarms\"\npublic_key = \"" + kKey +
                                           "\"\nsecret_key_file = \"keys/alarms.key\"\n[[bus.allow]]\nname = \"sim-1\"\n"
                                           "public_key = \"" + kKey + "\"\n"),
                                  "/srv/site/site.toml");
    REQUIRE(loaded.ok());
    REQUIRE(loaded.site->bus.allow.size() == 2);
    const auto& alarms = loaded.site->bus.allow[0];
    CHECK(alarms.secretKeyFile == "/srv/site/keys/alarms.key");
    CHECK(alarms.secretKeyFilePos.file == "/srv/site/site.toml");
    CHECK(alarms.secretKeyFilePos.line == 19);
    CHECK(alarms.secretKeyFilePos.column == 19);
    CHECK(loaded.site->bus.allow[1].secretKeyFile.empty());
}

TEST_CASE("site/bus-allow-secret-key-file-errors") {
    CHECK(errorsOf(curveBus("[[bus.allow]]\nname = \"alarms\"\npublic_key = \"" + kKey +
                            "\"\nsecret_key_file = 5\n[[bus.allow]]\nname = \"wall.wall-1\"\npublic_key = \"" + kKey +
                            "\"\nsecret_key_file = \"\"\n[[bus.allow]]\nname = \"sim-1\"\npublic_key = \"" + kKey +
                            "\"\nsecret_key = \"keys/sim-1.key\"\n")) ==
          Lines{"site.toml:19:19: 'secret_key_file' must be a string, not an integer; expected a quoted string, e.g. "
                "secret_key_file = \"...\"",
                "site.toml:23:19: 'secret_key_file' of [[bus.allow]] 'wall.wall-1' is empty; expected the path of the "
                "file with this key's secret half, relative to the site file (\"keys/wall.wall-1.key\")",
                "site.toml:27:1: unknown key 'secret_key' in [[bus.allow]]; expected one of: name, public_key, "
                "secret_key_file, publish, devices"});
}

namespace {

// A site whose keys are all given by their pair files, as the demo's: no public key is written.
std::string pairFileBus() {
    return withHead("[bus]\nsecurity = \"curve\"\nserver_secret_key_file = \"keys/broker.key\"\n"
                    "client_secret_key_file = \"keys/host.key\"\n[[bus.allow]]\nname = \"host\"\n"
                    "secret_key_file = \"keys/host.key\"\n[[bus.allow]]\nname = \"sim-1\"\n"
                    "secret_key_file = \"keys/sim-1.key\"\n");
}

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    REQUIRE(out.good());
}

} // namespace

TEST_CASE("site/bus-public-keys-read-from-pair-files") {
    const ccoc::test::TempDir dir("ccoc-site-keys");
    std::filesystem::create_directory(dir + "/keys");
    const std::string other = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    writeFile(dir + "/keys/broker.key", "public = \"" + kKey + "\"\nsecret = \"" + other + "\"\n");
    writeFile(dir + "/keys/host.key", "public = \"" + other + "\"\nsecret = \"" + kKey + "\"\n");
    writeFile(dir + "/keys/sim-1.key", "public = \"" + kKey + "\"\nsecret = \"" + kKey + "\"\n");
    const auto loaded = parseSite(pairFileBus(), dir + "/site.toml");
    for (const auto& error : loaded.errors) {
        UNSCOPED_INFO(error.format());
    }
    REQUIRE(loaded.ok());
    const auto& bus = loaded.site->bus;
    CHECK(bus.serverPublicKey == kKey);
    CHECK(bus.clientPublicKey == other);
    REQUIRE(bus.allow.size() == 2);
    CHECK(bus.allow[0].publicKey == other);
    CHECK(bus.allow[1].publicKey == kKey);
}

TEST_CASE("site/bus-public-key-pair-file-errors") {
    const ccoc::test::TempDir dir("ccoc-site-keys");
    std::filesystem::create_directory(dir + "/keys");
    // The broker's file holds the secret line only; the host's is missing; sim-1's is no key at all.
    writeFile(dir + "/keys/broker.key", "secret = \"" + kKey + "\"\n");
    writeFile(dir + "/keys/sim-1.key", "public = \"short\"\n");
    const std::string site = dir + "/site.toml";
    const auto loaded = parseSite(pairFileBus(), site);
    std::vector<std::string> lines;
    for (const auto& error : loaded.errors) {
        lines.push_back(error.format());
    }
    const std::string keys = dir + "/keys/";
    const std::string expected = " (public = \"...\" and secret = \"...\") in ";
    CHECK(lines ==
          Lines{site + ":12:26: 'server_secret_key_file' names " + keys + "broker.key, which holds no public = \"...\" line "
                "with a CURVE public key, and 'server_public_key' is not given; expected the whole output of 'ccoc-bus "
                "keygen'" + expected + keys + "broker.key, or 'server_public_key' given in the site file",
                site + ":13:26: 'client_secret_key_file' names " + keys + "host.key, which cannot be read (No such file "
                "or directory), and 'client_public_key' is not given, so the public key is unknown; expected the whole "
                "output of 'ccoc-bus keygen'" + expected + keys + "host.key, or 'client_public_key' given in the site file",
                site + ":16:19: 'secret_key_file' of [[bus.allow]] 'host' names " + keys + "host.key, which cannot be "
                "read (No such file or directory), and 'public_key' is not given, so the public key is unknown; expected "
                "the whole output of 'ccoc-bus keygen'" + expected + keys + "host.key, or 'public_key' given in the site file",
                site + ":19:19: 'secret_key_file' of [[bus.allow]] 'sim-1' names " + keys + "sim-1.key, which holds no "
                "public = \"...\" line with a CURVE public key, and 'public_key' is not given; expected the whole output "
                "of 'ccoc-bus keygen'" + expected + keys + "sim-1.key, or 'public_key' given in the site file"});
}

TEST_CASE("site/bus-local-endpoints") {
    for (const std::string local : {"tcp://127.0.0.1:5570", "tcp://127.1.2.3:1", "tcp://localhost:5570",
                                    "tcp://[::1]:5570", "tcp://lo:5570", "ipc:///run/ccoc/frontend", "inproc://bus"}) {
        INFO(local);
        CHECK(ccoc::site::isLocalEndpoint(local));
    }
    for (const std::string open : {"tcp://0.0.0.0:5570", "tcp://*:5570", "tcp://192.168.1.10:5570", "tcp://[::]:5570",
                                   "tcp://eth0:5570", "tcp://ops.example:5570", "tcp://127.0.0.1;10.0.0.2:5570",
                                   "udp://127.0.0.1:5570"}) {
        INFO(open);
        CHECK_FALSE(ccoc::site::isLocalEndpoint(open));
    }
}
