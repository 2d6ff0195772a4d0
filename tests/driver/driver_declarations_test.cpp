// The drivers' declared settings through the real binaries: `ccoc-host --check` and ccoc-driverd
// (which checks at load, before the driver starts) on broken site files written here, with the
// real sim, sia and mqtt shared objects. Each message's FILE:LINE:COL and wording, every mistake at
// once, secrets never echoed; the old string forms still read, with a warning showing the new one.
// No broker is needed: the checks and the settings readers run before anything goes on the bus.
#include "child_process.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using ccoc::test::ChildProcess;

namespace {

const std::string kHost = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-host";
const std::string kDriverd = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-driverd";

// Lines 1-8 of every site here; what a test adds starts on line 9.
constexpr const char* kHead = R"([site]
name = "ทดสอบ"
name_en = "Test"
station_code = "TEST-DECL"

[[screen]]
id = "desk"

)";

std::string writeSite(const std::string& dir, const std::string& rest)
{
    const std::string path = dir + "/site.toml";
    std::ofstream(path) << kHead << "[alarms]\nservice = \"off\"\n\n" << rest;
    return path;
}

struct Run {
    int exitCode = -1;
    std::string output;
};

Run run(std::vector<std::string> argv)
{
    ChildProcess process(std::move(argv));
    const auto code = process.wait(30s);
    return {code.value_or(-1), process.output()};
}

Run driverd(const std::string& dir, const std::string& id, const std::string& plugin, const std::string& site)
{
    return run({kDriverd, "--id", id, "--plugin", std::string(CCOC_PLUGIN_DIR) + "/" + plugin, "--site", site,
                "--frontend", "ipc://" + dir + "/f", "--publisher", "ipc://" + dir + "/p"});
}

// A driver run until it says `text` (then stopped); its output.
std::string runningOutput(const std::string& dir, const std::string& id, const std::string& plugin,
                          const std::string& site, const std::string& text)
{
    ChildProcess driver({kDriverd, "--id", id, "--plugin", std::string(CCOC_PLUGIN_DIR) + "/" + plugin, "--site", site,
                         "--frontend", "ipc://" + dir + "/f", "--publisher", "ipc://" + dir + "/p"});
    const bool said = driver.waitForOutput(text, 20s);
    driver.stop();
    INFO(driver.output());
    CHECK(said);
    return driver.output();
}

// Lines 12-29 (after the head and [alarms]): a SIA driver with the prot typo and a bad listen, a
// sim driver with a number among its lights, an MQTT driver with a port out of range and a
// password typed where the variable's name goes.
constexpr const char* kBrokenDrivers = R"([[driver]]
id = "sia-1"
plugin = "sia"
[driver.settings]
listen = "0.0.0.O"
prot = 15591
accounts = { 1234 = "panel-bank" }

[[driver]]
id = "sim-1"
plugin = "sim"
settings = { doors = ["door-a"], lights = [1], mean_interval_s = 0 }

[[driver]]
id = "mqtt-1"
plugin = "mqtt"
settings = { port = 99999, password_env = "hunter-2", sensor = [{ device = "door-1", name = "front_door" }] }
)";

} // namespace

TEST_CASE("driver/declarations: --check refuses the drivers' broken settings, each at its line and column")
{
    const ccoc::test::TempDir dir("ccoc-driver-declarations");
    const std::string site = writeSite(dir, kBrokenDrivers);
    const Run check = run({kHost, "--check", site});
    INFO(check.output);
    CHECK(check.exitCode == 2);
    CHECK(check.output.find(site + ":16:10: 'listen' of [[driver]] 'sia-1' is \"0.0.0.O\", a string: it is not a numeric "
                                   "IPv4 or IPv6 address (a host name is not resolved here); expected a numeric IPv4 or "
                                   "IPv6 address") != std::string::npos);
    CHECK(check.output.find(site + ":17:8: unknown setting 'prot' in the settings of [[driver]] 'sia-1' (did you mean "
                                   "'port'?); expected one of: account, accounts, ack_timeout_ms, connection_timeout_ms, "
                                   "device, listen, max_connections, panel_timeout_s, port, prefix, receiver, "
                                   "time_future_s, time_past_s, time_window_s") != std::string::npos);
    CHECK(check.output.find(site + ":23:44: 'lights[0]' of [[driver]] 'sim-1' is 1, an integer; expected a string") !=
          std::string::npos);
    CHECK(check.output.find(site + ":23:66: 'mean_interval_s' of [[driver]] 'sim-1' is 0, an integer, below 0.001; "
                                   "expected a number from 0.001 to 86400") != std::string::npos);
    CHECK(check.output.find(site + ":28:21: 'port' of [[driver]] 'mqtt-1' is 99999, an integer, above 65535; expected "
                                   "an integer from 1 to 65535") != std::string::npos);
    CHECK(check.output.find(site + ":28:43: 'password_env' of [[driver]] 'mqtt-1' is not the name of an environment "
                                   "variable (its value is not shown") != std::string::npos);
    CHECK(check.output.find("hunter-2") == std::string::npos);
}

TEST_CASE("driver/declarations: ccoc-driverd refuses the SIA prot typo at load, with the other mistakes")
{
    const ccoc::test::TempDir dir("ccoc-driver-declarations");
    const std::string site = writeSite(dir, kBrokenDrivers);
    const Run sia = driverd(dir, "sia-1", "sia.so", site);
    INFO(sia.output);
    CHECK(sia.exitCode == 2);
    CHECK(sia.output.find(site + ":16:10: 'listen' of [[driver]] 'sia-1'") != std::string::npos);
    CHECK(sia.output.find(site + ":17:8: unknown setting 'prot' in the settings of [[driver]] 'sia-1' (did you mean "
                                 "'port'?)") != std::string::npos);
    CHECK(sia.output.find("ccoc-driverd: driver 'sia-1' has 2 settings error(s); not started") != std::string::npos);
    // Only its own driver's settings: the others' mistakes are theirs.
    CHECK(sia.output.find("sim-1") == std::string::npos);
    // The host itself refuses to start on them, before any window or driver.
    const Run host = run({kHost, "--config", site, "--frames", "1"});
    INFO(host.output);
    CHECK(host.exitCode == 2);
    CHECK(host.output.find(site + ":17:8: unknown setting 'prot' in the settings of [[driver]] 'sia-1' (did you mean "
                                  "'port'?)") != std::string::npos);
    CHECK(host.output.find("hunter-2") == std::string::npos);
    const Run mqtt = driverd(dir, "mqtt-1", "mqtt.so", site);
    INFO(mqtt.output);
    CHECK(mqtt.exitCode == 2);
    CHECK(mqtt.output.find("hunter-2") == std::string::npos);
}

TEST_CASE("driver/declarations: a [[device]] of these drivers takes no settings")
{
    const ccoc::test::TempDir dir("ccoc-driver-declarations");
    const std::string site = writeSite(dir, R"([[driver]]
id = "sim-1"
plugin = "sim"

[[device]]
id = "door-1"
name = "ประตู"
kind = "sensor"
driver = "sim-1"
settings = { contact = "normally_closed" }
)");
    const Run check = run({kHost, "--check", site});
    INFO(check.output);
    CHECK(check.exitCode == 2);
    CHECK(check.output.find(site + ":21:24: unknown setting 'contact' in the settings of [[device]] 'door-1'; expected "
                                   "no settings here") != std::string::npos);
}

TEST_CASE("driver/declarations: the SIA driver's own checks say where, all at once")
{
    // What no declaration can say (an account is hex, a key's length) the driver checks, at the
    // key's FILE:LINE:COL, one mistake not hiding the next.
    const ccoc::test::TempDir dir("ccoc-driver-declarations");
    const std::string site = writeSite(dir, R"([[driver]]
id = "sia-1"
plugin = "sia"
[driver.settings]
listen = "127.0.0.1"
receiver = "XYZ"
accounts = { 1234 = "panel-bank", 12G4 = "panel-shop", ABC = "bad/id" }
)");
    const Run sia = driverd(dir, "sia-1", "sia.so", site);
    INFO(sia.output);
    CHECK(sia.exitCode == 3);
    CHECK(sia.output.find(site + ":18:42: settings: accounts.12G4: '12G4' is not an account; expected 1-16 hex digits") !=
          std::string::npos);
    CHECK(sia.output.find(site + ":18:62: settings: accounts.ABC: the device of account ABC is \"bad/id\"; expected a "
                                 "device id") != std::string::npos);
    CHECK(sia.output.find(site + ":17:12: settings: receiver: 'XYZ' is not 1-6 hex digits") != std::string::npos);
}

TEST_CASE("driver/old forms: the sim's comma strings still work, with a warning showing the array")
{
    const ccoc::test::TempDir dir("ccoc-driver-declarations");
    const std::string site = writeSite(dir, R"([[driver]]
id = "sim-1"
plugin = "sim"
settings = { doors = "door-a,door-b", lights = "", motion = "", panic = "panic-1" }
)");
    // --check accepts the old form (the driver reads it for one release).
    const Run check = run({kHost, "--check", site});
    INFO(check.output);
    CHECK(check.exitCode == 0);
    const std::string output = runningOutput(dir, "sim-1", "sim.so", site, "simulating 3 devices as sim-1");
    CHECK(output.find(site + ":15:22: settings: 'doors' as a comma-separated string is read for this release only; "
                             "write it as an array: doors = [\"door-a\", \"door-b\"]") != std::string::npos);
    CHECK(output.find(site + ":15:48: settings: 'lights' as a comma-separated string is read for this release only; "
                             "write it as an array: lights = []") != std::string::npos);
}

TEST_CASE("driver/old forms: the sim's arrays are read without a warning")
{
    const ccoc::test::TempDir dir("ccoc-driver-declarations");
    const std::string site = writeSite(dir, R"([[driver]]
id = "sim-1"
plugin = "sim"
settings = { doors = ["door-a", "door-b"], lights = ["light-a"], motion = [], panic = [] }
)");
    const std::string output = runningOutput(dir, "sim-1", "sim.so", site, "simulating 3 devices as sim-1");
    CHECK(output.find("read for this release only") == std::string::npos);
}

TEST_CASE("driver/old forms: the SIA's ACCOUNT=DEVICE string still works, with a warning showing the table")
{
    const ccoc::test::TempDir dir("ccoc-driver-declarations");
    const std::string site = writeSite(dir, R"([[driver]]
id = "sia-1"
plugin = "sia"
settings = { listen = "127.0.0.1", port = 0, accounts = "1234=panel-bank,abc9=panel-shop" }
)");
    const Run check = run({kHost, "--check", site});
    INFO(check.output);
    CHECK(check.exitCode == 0);
    const std::string output = runningOutput(dir, "sia-1", "sia.so", site, "for 2 accounts");
    CHECK(output.find(site + ":15:57: settings: accounts: one string of ACCOUNT=DEVICE pairs is read for this release "
                             "only; write it as a table: accounts = { 1234 = \"panel-bank\", ABC9 = \"panel-shop\" }") !=
          std::string::npos);
}

TEST_CASE("driver/old forms: the SIA's accounts table is read without a warning")
{
    const ccoc::test::TempDir dir("ccoc-driver-declarations");
    const std::string site = writeSite(dir, R"([[driver]]
id = "sia-1"
plugin = "sia"
[driver.settings]
listen = "127.0.0.1"
[driver.settings.accounts]
1234 = "panel-bank"
abc9 = "panel-shop"
)");
    const std::string output = runningOutput(dir, "sia-1", "sia.so", site, "for 2 accounts");
    CHECK(output.find("read for this release only") == std::string::npos);
}

TEST_CASE("driver/declarations: --check and the host at start never echo a password typed in the wrong place")
{
    // A camera's URL with credentials and a password typed where its variable's name goes (the
    // site file's own keys), then a driver's key_env with a key typed in it (a declared setting).
    const ccoc::test::TempDir dir("ccoc-driver-declarations");
    const std::string camera = writeSite(dir, R"([[camera]]
id = "cam1"
name = "กล้อง"
url = "rtsp://admin:hunter2@10.0.0.1:99999/main"
password_env = "secret-7"
)");
    for (const std::vector<std::string>& argv : {std::vector<std::string>{kHost, "--check", camera},
                                                 std::vector<std::string>{kHost, "--config", camera, "--frames", "1"}}) {
        const Run host = run(argv);
        INFO(host.output);
        CHECK(host.exitCode == 2);
        CHECK(host.output.find(camera + ":15:7: 'url' of [[camera]] is 'rtsp://admin:***@10.0.0.1:99999/main': its "
                                        "port 99999 is out of range") != std::string::npos);
        CHECK(host.output.find(camera + ":16:16: 'password_env' of [[camera]] is not a name of an environment "
                                        "variable (its value is not shown: it may be a password)") != std::string::npos);
        CHECK(host.output.find("hunter2") == std::string::npos);
        CHECK(host.output.find("secret-7") == std::string::npos);
    }
    const std::string driver = writeSite(dir, R"([[driver]]
id = "sia-1"
plugin = "sia"
[driver.settings]
accounts = { 1234 = "panel-bank" }
[driver.settings.account.1234]
key_env = "603DEB1015CA71BE2B73AEF0857D7781"
)");
    for (const std::vector<std::string>& argv : {std::vector<std::string>{kHost, "--check", driver},
                                                 std::vector<std::string>{kHost, "--config", driver, "--frames", "1"}}) {
        const Run host = run(argv);
        INFO(host.output);
        CHECK(host.exitCode == 2);
        CHECK(host.output.find(driver + ":18:11: 'account.1234.key_env' of [[driver]] 'sia-1' is not the name of an "
                                        "environment variable (its value is not shown") != std::string::npos);
        CHECK(host.output.find("603DEB1015CA71BE2B73AEF0857D7781") == std::string::npos);
    }
    // The driver's own reading (ccoc-driverd --set, no site: no declaration check) says the same.
    const Run set = run({kDriverd, "--id", "sia-1", "--plugin", std::string(CCOC_PLUGIN_DIR) + "/sia.so", "--set",
                         "accounts.1234=panel-bank", "--set", "account.1234.key_env=secret-7", "--frontend",
                         "ipc://" + dir.path() + "/f", "--publisher", "ipc://" + dir.path() + "/p"});
    INFO(set.output);
    CHECK(set.exitCode == 3);
    CHECK(set.output.find("--set account.1234.key_env: settings: account.1234.key_env: is not a name of an environment "
                          "variable (its value is not shown") != std::string::npos);
    CHECK(set.output.find("secret-7") == std::string::npos);
}

TEST_CASE("driver/declarations: a driver that declares nothing gets a warning for a bad *_env value, without it")
{
    // A driver in another language (a command) has no declaration; --check still says that its
    // *_env value is no variable's name, as a warning (the program decides), never quoting it.
    const ccoc::test::TempDir dir("ccoc-driver-declarations");
    const std::string site = writeSite(dir, R"([[driver]]
id = "gate-1"
command = ["/bin/sleep", "1"]
settings = { token_env = "secret-9", ok_env = "GATE_TOKEN" }
)");
    const Run check = run({kHost, "--check", site});
    INFO(check.output);
    CHECK(check.exitCode == 0);
    CHECK(check.output.find("warning: " + site + ":15:26: 'token_env' in the settings of [[driver]] 'gate-1' is not a "
                                                 "name of an environment variable (its value is not shown") !=
          std::string::npos);
    CHECK(check.output.find("secret-9") == std::string::npos);
    // A declared setting's mistake is its declaration's error alone, not also this warning.
    const std::string declared = writeSite(dir, R"([[driver]]
id = "mqtt-1"
plugin = "mqtt"
settings = { password_env = "secret-9", sensor = [{ device = "door-1", name = "front_door" }] }
)");
    const Run both = run({kHost, "--check", declared});
    INFO(both.output);
    CHECK(both.exitCode == 2);
    CHECK(both.output.find("warning: " + declared + ":15:29:") == std::string::npos);
    CHECK(both.output.find(declared + ":15:29: 'password_env' of [[driver]] 'mqtt-1' is not the name") !=
          std::string::npos);
    CHECK(both.output.find("secret-9") == std::string::npos);
}
