// [[bus.allow]] secret_key_file: the path is read relative to the site file and bad values are
// reported where they were written. The file itself is read when its peer starts (tests/bus).
#include "site_test_support.hpp"

#include <catch2/catch.hpp>

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
