// The panel plugins' declared settings through the real binaries: `ccoc-host --check` reads each
// plugin's declaration (without starting it) and reports every mistake of every [[panel]] at once
// with FILE:LINE:COL; the host refuses to start on the same file.
#include "child_process.hpp"
#include "temp_dir.hpp"
#include "xvfb_server.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using ccoc::test::ChildProcess;
using ccoc::test::TempDir;

namespace {

const std::string kHost = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-host";

// Lines 1-20: a station, one screen, two cameras, three of the panel plugins (Site adds system).
constexpr const char* kHead = R"([site]
name = "สถานีทดสอบ"
name_en = "Test Station"
station_code = "TST-0002"
[[screen]]
id = "main"
[[camera]]
id = "cam1"
name = "หนึ่ง"
url = "rtsp://127.0.0.1:8554/cam1"
[[camera]]
id = "cam2"
name = "สอง"
url = "rtsp://127.0.0.1:8554/cam2"
[[plugin]]
id = "camera_wall"
[[plugin]]
id = "alarms"
[[plugin]]
id = "bus"
)";

struct Run {
    int exitCode = -1;
    std::vector<std::string> lines;  // stdout and stderr, one entry per line
    std::string output;
};

Run runHost(const std::vector<std::string>& args)
{
    ChildProcess host(args, {{"CCOC_PLUGIN_PATH", std::string(CCOC_PLUGIN_DIR)}});
    const auto code = host.wait(30s);
    Run run{code.value_or(-1), {}, host.output()};
    std::istringstream in(run.output);
    for (std::string line; std::getline(in, line);) {
        run.lines.push_back(line);
    }
    return run;
}

struct Site {
    TempDir dir{"ccoc-settings-check"};
    std::string path = dir.path() + "/site.toml";
    explicit Site(const std::string& rest)
    {
        std::ofstream out(path);
        out << kHead << "[[plugin]]\nid = \"system\"\n" << rest;  // the panels start on line 23
    }
};

// The lines that start with the site file's path: the errors (warnings start "warning: ").
std::vector<std::string> errorsOf(const Run& run, const Site& site)
{
    std::vector<std::string> out;
    for (const auto& line : run.lines) {
        if (line.rfind(site.path + ":", 0) == 0) {
            out.push_back(line.substr(site.path.size() + 1));
        }
    }
    return out;
}

} // namespace

TEST_CASE("settings_check/camera_wall", "[settings]")
{
    const Site site(R"([[panel]]
id = "wall"
type = "camera.wall"
settings = { layuot = "3x3", cameras = [1, 2], tours = [{ tile = 1, cameras = ["cam1", "cam7"] }] }
[[panel]]
id = "list"
type = "camera.list"
settings = { columns = 2 }
)");
    const Run run = runHost({kHost, "--check", site.path});
    CHECK(run.exitCode == 2);
    const auto errors = errorsOf(run, site);
    REQUIRE(errors.size() == 5);
    CHECK(errors[0] == "26:23: unknown setting 'layuot' in the settings of [[panel]] 'wall' (did you mean 'layout'?); "
                       "expected one of: cameras, details, layout, log_frame_times, tours");
    CHECK(errors[1] == "26:41: 'cameras[0]' of [[panel]] 'wall' is 1, an integer; expected a [[camera]] id (a string)");
    CHECK(errors[2] == "26:44: 'cameras[1]' of [[panel]] 'wall' is 2, an integer; expected a [[camera]] id (a string)");
    CHECK(errors[3] == "26:88: 'tours[0].cameras[1]' of [[panel]] 'wall' is \"cam7\", a string, which is no [[camera]] of "
                       "the site; expected one of: cam1, cam2");
    CHECK(errors[4] == "30:24: unknown setting 'columns' in the settings of [[panel]] 'list'; expected no settings here");
    CHECK(run.output.find("\nok\n") == std::string::npos);
}

TEST_CASE("settings_check/alarms", "[settings]")
{
    const Site site(R"([[panel]]
id = "wall-1"
type = "camera.wall"
[[panel]]
id = "desk"
type = "alarm.list"
settings = { sound = "yes", wall = 2, wall_tile = 0, sound_mute_s = 5, sund_device = "hw:1" }
)");
    const Run run = runHost({kHost, "--check", site.path});
    CHECK(run.exitCode == 2);
    const auto errors = errorsOf(run, site);
    REQUIRE(errors.size() == 5);
    CHECK(errors[0] == "29:22: 'sound' of [[panel]] 'desk' is \"yes\", a string; expected true or false");
    CHECK(errors[1] == "29:36: 'wall' of [[panel]] 'desk' is 2, an integer; expected a string");
    CHECK(errors[2] == "29:51: 'wall_tile' of [[panel]] 'desk' is 0, an integer, below 1; expected an integer from 1 to 64");
    CHECK(errors[3] == "29:69: 'sound_mute_s' of [[panel]] 'desk' is 5, an integer, below 10; expected a duration (a "
                       "number >= 0) from 10");
    CHECK(errors[4] == "29:86: unknown setting 'sund_device' in the settings of [[panel]] 'desk' (did you mean "
                       "'sound_device'?); expected one of: select_top, sound, sound_device, sound_mute_s, sound_repeat_s, "
                       "wall, wall_tile");
}

TEST_CASE("settings_check/bus", "[settings]")
{
    const Site site(R"([[panel]]
id = "bus"
type = "bus.status"
settings = { refresh_ms = 500 }
)");
    const Run run = runHost({kHost, "--check", site.path});
    CHECK(run.exitCode == 2);
    const auto errors = errorsOf(run, site);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "26:27: unknown setting 'refresh_ms' in the settings of [[panel]] 'bus'; expected no settings here");
}

TEST_CASE("settings_check/system", "[settings]")
{
    const Site site(R"([[panel]]
id = "info"
type = "system.info"
settings = { font = "big" }
[[panel]]
id = "plugins"
type = "system.plugins"
settings = { wide = true }
)");
    const Run run = runHost({kHost, "--check", site.path});
    CHECK(run.exitCode == 2);
    const auto errors = errorsOf(run, site);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0] == "26:21: unknown setting 'font' in the settings of [[panel]] 'info'; expected no settings here");
    CHECK(errors[1] == "30:21: unknown setting 'wide' in the settings of [[panel]] 'plugins'; expected no settings here");
}

TEST_CASE("settings_check/every_plugin_error_at_once", "[settings]")
{
    const Site site(R"([[panel]]
id = "wall"
type = "camera.wall"
settings = { cameras = ["cam9"] }
[[panel]]
id = "desk"
type = "alarm.list"
settings = { wall_tile = "two" }
[[panel]]
id = "bus"
type = "bus.status"
settings = { x = 1 }
)");
    const Run run = runHost({kHost, "--check", site.path});
    CHECK(run.exitCode == 2);
    const auto errors = errorsOf(run, site);
    REQUIRE(errors.size() == 3);
    CHECK(errors[0].starts_with("26:25: 'cameras[0]'"));
    CHECK(errors[1].starts_with("30:26: 'wall_tile'"));
    CHECK(errors[2].starts_with("34:18: unknown setting 'x'"));
}

TEST_CASE("settings_check/good_settings_pass", "[settings]")
{
    const Site site(R"([[panel]]
id = "wall"
type = "camera.wall"
settings = { layout = "1+5", cameras = ["cam1", "", "cam2"], tours = [{ tile = 2, cameras = ["cam1", "cam2"], dwell_s = 5 }] }
[[panel]]
id = "desk"
type = "alarm.list"
settings = { sound = true, wall = "wall.wall", wall_tile = 2, select_top = true, sound_repeat_s = 30 }
[[panel]]
id = "bus"
type = "bus.status"
)");
    const Run run = runHost({kHost, "--check", site.path});
    INFO(run.output);
    CHECK(run.exitCode == 0);
    CHECK(errorsOf(run, site).empty());
}

TEST_CASE("settings_check/undeclared_plugin_is_a_warning", "[settings]")
{
    const Site site(std::string("[[plugin]]\npath = \"") + CCOC_BINARY_DIR + "/test-plugins/test_fill_panel.so\"\n" +
                    R"([[panel]]
id = "fill"
type = "test.fill"
settings = { r = 1 }
)");
    const Run run = runHost({kHost, "--check", site.path});
    INFO(run.output);
    CHECK(run.exitCode == 0);
    CHECK(run.output.find("warning: " + site.path + ":23:1: settings of [[plugin]] '" + std::string(CCOC_BINARY_DIR) + "/test-plugins/test_fill_panel.so' not checked (no declaration)") !=
          std::string::npos);
    CHECK(run.output.find("warning: " + site.path + ":25:1: settings of [[panel]] 'fill' not checked (no declaration): no "
                          "plugin of the site declares panel type 'test.fill'") != std::string::npos);
}

TEST_CASE("settings_check/host_refuses_to_start", "[settings]")
{
    const Site site(R"([[panel]]
id = "wall"
type = "camera.wall"
settings = { cameras = [1, 2] }
)");
    // No display needed: the host refuses before it opens a window.
    const Run run = runHost({kHost, "--config", site.path, "--frames", "1"});
    CHECK(run.exitCode == 2);
    CHECK(errorsOf(run, site).size() == 2);
    CHECK(run.output.find("ccoc-host: " + site.path + " has 2 settings error(s); refusing to start") != std::string::npos);
}

namespace {

// A [[driver]] whose shared object declares driver and device settings, with mistakes in both.
// Lines 23-32.
std::string brokenDriver()
{
    return std::string("[[driver]]\nid = \"d1\"\npath = \"") + CCOC_BINARY_DIR + "/test-plugins/test_declared_driver.so\"\n" +
           R"(settings = { prot = 15591, listen = "127.0.0.1", accounts = { "1234" = { key_env = "secret-7" } } }
[[device]]
id = "door-1"
name = "ประตู"
kind = "sensor"
driver = "d1"
settings = { contact = "closed" }
)";
}

} // namespace

TEST_CASE("settings_check/driver_and_device_settings", "[settings]")
{
    const Site site(brokenDriver());
    const Run run = runHost({kHost, "--check", site.path});
    INFO(run.output);
    CHECK(run.exitCode == 2);
    const auto errors = errorsOf(run, site);
    REQUIRE(errors.size() == 4);
    CHECK(errors[0] == "26:21: unknown setting 'prot' in the settings of [[driver]] 'd1' (did you mean 'port'?); expected "
                       "one of: accounts, listen, port");
    CHECK(errors[1] == "26:37: 'listen' of [[driver]] 'd1' is \"127.0.0.1\", a string: it has no ':PORT'; expected a listen "
                       "address (HOST:PORT, [IPV6]:PORT or :PORT)");
    CHECK(errors[2].starts_with("26:84: 'accounts.1234.key_env' of [[driver]] 'd1' is not the name of an environment "
                                "variable (its value is not shown"));
    CHECK(errors[2].find("secret-7") == std::string::npos);
    CHECK(errors[3] == "32:24: 'contact' of [[device]] 'door-1' is \"closed\", a string, not one of the choices; expected "
                       "one of: normally_open, normally_closed");
}

TEST_CASE("settings_check/driverd_refuses_its_broken_settings", "[settings]")
{
    const Site site(brokenDriver());
    const Run run = runHost({std::string(CCOC_BINARY_DIR) + "/bin/ccoc-driverd", "--id", "d1", "--plugin",
                             std::string(CCOC_BINARY_DIR) + "/test-plugins/test_declared_driver.so", "--site", site.path});
    INFO(run.output);
    CHECK(run.exitCode == 2);
    CHECK(errorsOf(run, site).size() == 4);
    CHECK(run.output.find("ccoc-driverd: driver 'd1' has 4 settings error(s); not started") != std::string::npos);
}

// A [[service]] run here is checked against its service plugin's declaration (services/alarms.so
// declares no settings), without starting the service.
TEST_CASE("settings_check/service_settings", "[settings]")
{
    const Site site(R"([[service]]
id = "alarms"
plugin = "alarms"
settings = { jornal = "alarms.db" }
)");
    const Run run = runHost({kHost, "--check", site.path});
    CHECK(run.exitCode == 2);
    const auto errors = errorsOf(run, site);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "26:23: unknown setting 'jornal' in the settings of [[service]] 'alarms'; expected no settings here");
}

// The host reads the declarations at start in a child process: a driver's shared object that
// crashes there (here its declaration function aborts) leaves the host running, with a warning
// that says so; the driver itself then fails in its own process, where the supervisor shows it.
TEST_CASE("settings_check/crashing_declaration_leaves_the_host_running", "[settings]")
{
    // A private bus (ipc in a folder of the test), so the test runs beside others.
    const TempDir busDir("ccoc-settings-bus");
    const Site site(std::string("[[driver]]\nid = \"broken\"\npath = \"") + CCOC_BINARY_DIR +
                    "/test-plugins/test_crashing_declaration.so\"\n[bus]\nfrontend = \"ipc://" + busDir.path() +
                    "/frontend\"\npublisher = \"ipc://" + busDir.path() + "/publisher\"\n");
    const ccoc::test::XvfbServer xvfb;
    ChildProcess host({kHost, "--config", site.path, "--frames", "10"},
                      {{"CCOC_PLUGIN_PATH", std::string(CCOC_PLUGIN_DIR)}, {"DISPLAY", xvfb.display()}});
    const auto code = host.wait(60s);
    INFO(host.output());
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    CHECK(host.output().find("reading the settings declarations of this site's plugins, drivers and services killed by "
                             "signal 6") != std::string::npos);
}
