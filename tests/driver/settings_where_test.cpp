// A driver's settings mistakes say where in the site file: the real ccoc-driverd loads a site file
// written here (--site), serves "ccoc.settings/1" with `where`, and the MQTT and SIA drivers start
// each message with the FILE:LINE:COL of the key at fault (of its table when the key is missing).
// No broker is needed: both drivers read their settings before anything goes on the bus.
#include "child_process.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using ccoc::test::ChildProcess;

namespace {

const std::string kDriverd = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-driverd";

// Lines 1-8 of every site here; the [[driver]] entry starts on line 9.
constexpr const char* kHead = R"([site]
name = "ทดสอบ"
name_en = "Test"
station_code = "TEST-WHERE"

[[screen]]
id = "desk"

)";

std::string writeSite(const std::string& dir, const std::string& rest)
{
    const std::string path = dir + "/site.toml";
    std::ofstream(path) << kHead << rest;
    return path;
}

// Runs ccoc-driverd with the site and returns its output once it has exited with `exitCode`: 3 for
// a driver that fails to start (its own checks), 2 for settings refused against the driver's
// declaration before it starts.
std::string refusedOutput(const std::string& dir, const std::string& id, const std::string& plugin,
                          const std::string& site, std::vector<std::string> extra = {}, int exitCode = 3)
{
    std::vector<std::string> argv{kDriverd, "--id", id, "--plugin", std::string(CCOC_PLUGIN_DIR) + "/" + plugin,
                                  "--site", site, "--frontend", "ipc://" + dir + "/f",
                                  "--publisher", "ipc://" + dir + "/p"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    ChildProcess driver(argv);
    const auto code = driver.wait(20s);
    INFO(driver.output());
    REQUIRE(code.has_value());
    CHECK(*code == exitCode);
    return driver.output();
}

constexpr const char* kMqttDriver = R"([[driver]]
id = "mqtt-1"
plugin = "mqtt"

[driver.settings]
port = 1883
persistent_session = "yes"

[[driver.settings.sensor]]
device = "door-1"
name = "front_door"

[[driver.settings.sensor]]
device = "pir-1"
format = "plain"
state_topic = "site/pir-1"
)";

} // namespace

TEST_CASE("driver/settings where: a bad MQTT value is reported at its line and column in the site file")
{
    const ccoc::test::TempDir dir("ccoc-settings-where");
    const std::string site = writeSite(dir, kMqttDriver);
    const std::string output = refusedOutput(dir, "mqtt-1", "mqtt.so", site, {}, 2);
    INFO(output);
    // persistent_session = "yes" is line 15; its value starts at column 22. Refused against the
    // declaration by ccoc-driverd, before the driver runs its own checks.
    CHECK(output.find(site + ":15:22: 'persistent_session' of [[driver]] 'mqtt-1' is \"yes\", a string; expected true "
                             "or false") != std::string::npos);
    // With that mistake fixed, the driver's own check of the plain sensor: no 'type', reported at
    // its [[driver.settings.sensor]] header, line 21.
    const std::string fixed = writeSite(dir, std::string(kMqttDriver).replace(std::string(kMqttDriver).find("\"yes\""), 5,
                                                                              "true"));
    const std::string second = refusedOutput(dir, "mqtt-1", "mqtt.so", fixed);
    INFO(second);
    CHECK(second.find(fixed + ":21:1: sensor[2] (pir-1): no 'type'; expected 'type'") != std::string::npos);
}

TEST_CASE("driver/settings where: a SIA account key of the wrong length is reported at its line and column")
{
    const ccoc::test::TempDir dir("ccoc-settings-where");
    const std::string site = writeSite(dir, R"([[driver]]
id = "sia-1"
plugin = "sia"

[driver.settings]
listen = "127.0.0.1"
port = 0
accounts = "1234=panel-bank,AAA=panel-shop"

[driver.settings.account.1234]
key = "603DEB1015CA71BE2B73AEF0857D778"

[driver.settings.account.AAA]
require_encryption = false
)");
    const std::string output = refusedOutput(dir, "sia-1", "sia.so", site);
    INFO(output);
    // The 31-digit key is line 19, its value at column 7.
    CHECK(output.find(site +
                      ":19:7: settings: account.1234.key: has 31 characters; expected 32, 48 or 64 hex digits") !=
          std::string::npos);
    // Account AAA has no key at all: reported at its table's header, line 21.
    CHECK(output.find(site + ":21:1: settings: account.AAA: no 'key_env' (or 'key')") != std::string::npos);
}

TEST_CASE("driver/settings where: a value given with --set is reported as coming from --set")
{
    const ccoc::test::TempDir dir("ccoc-settings-where");
    const std::string site = writeSite(dir, R"([[driver]]
id = "sia-1"
plugin = "sia"

[driver.settings]
listen = "127.0.0.1"
port = 0
accounts = "1234=panel-bank"
)");
    // --set overrides the file's port = 0: the message points at the command line, not at line 15.
    const std::string output = refusedOutput(dir, "sia-1", "sia.so", site, {"--set", "port=70000"}, 2);
    INFO(output);
    CHECK(output.find("--set port: 'port' of [[driver]] 'sia-1' is 70000, an integer, above 65535; expected an integer "
                      "from 0 to 65535") != std::string::npos);
    CHECK(output.find(site + ":15:") == std::string::npos);
}

TEST_CASE("driver/settings where: --set with --site reaches a driver that reads its settings as JSON")
{
    // The MQTT driver reads the settings table as JSON: a --set value must be in it, nested where
    // its dotted key says, or the driver silently runs with the file's value.
    const ccoc::test::TempDir dir("ccoc-settings-where");
    const std::string site = writeSite(dir, R"([[driver]]
id = "mqtt-1"
plugin = "mqtt"

[driver.settings]
port = 1883
persistent_session = true

[[driver.settings.sensor]]
device = "door-1"
name = "front_door"
type = "door"
)");
    const std::string output = refusedOutput(dir, "mqtt-1", "mqtt.so", site, {"--set", "persistent_session=yes"}, 2);
    INFO(output);
    CHECK(output.find("--set persistent_session: 'persistent_session' of [[driver]] 'mqtt-1' is \"yes\", a string; "
                      "expected true or false") != std::string::npos);
    // A value only the driver checks reaches it nested where its dotted key says.
    const std::string bogus = refusedOutput(dir, "mqtt-1", "mqtt.so", site, {"--set", "sensor.0.type=bogus"});
    INFO(bogus);
    CHECK(bogus.find("'type' is \"bogus\"") != std::string::npos);
}
