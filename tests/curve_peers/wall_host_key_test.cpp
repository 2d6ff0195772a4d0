// The real host on a CURVE bus under a private Xvfb: the camera wall, the embedded alarm service
// and a driver under ccoc-driverd each join with their own [[bus.allow]] key, so push to wall,
// alarms and the driver work; a driver whose key file holds another pair's secret is not started
// and the host's log says why. One slow test on purpose: it starts the whole host once.
#include "curve_site.hpp"

#include "camsim_process.hpp"
#include "child_process.hpp"
#include "xvfb_server.hpp"

using namespace ccoc;
using namespace ccoc::curve_test;
using namespace std::chrono_literals;
using test::ChildProcess;

namespace {

const std::string kHost = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-host";
const std::string kBusTool = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-bus";

struct ToolResult {
    int exitCode = -1;
    std::string output;
};

// `ccoc-bus COMMAND --config SITE ARGS...` with the host's key (the site's client key pair).
ToolResult busTool(const CurveSite& curve, const std::map<std::string, std::string>& env, const std::string& command,
                   const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kBusTool, command, "--config", curve.path()};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess tool(argv, env);
    const auto code = tool.wait(20s);
    return {code.value_or(-1), tool.output()};
}

// The wall's key pair as `ccoc-bus keygen` prints it, written to keys/wall.key.
std::string keygenWallKey(CurveSite& curve) {
    ChildProcess keygen({kBusTool, "keygen"});
    REQUIRE(keygen.wait(10s) == 0);
    const std::string printed = keygen.output();
    std::ofstream(curve.dir.path / "keys" / "wall.key") << printed;
    const size_t open = printed.find("public = \"");
    REQUIRE(open != std::string::npos);
    return printed.substr(open + 10, 40);
}

} // namespace

TEST_CASE("camera_wall/curve-push-to-wall-alarms-and-drivers-with-own-keys") {
    std::string error;
    auto camsim = test::CamsimProcess::start({"--port", "0", "--cameras", "2", "--h265", "0"}, 15s, error);
    INFO(error);
    REQUIRE(camsim);
    CurveSite curve;
    const std::string wallPublic = keygenWallKey(curve);
    const std::string station = R"([site]
name = "สถานีทดสอบ"
name_en = "Test station"
station_code = "TST"

[ui]
language = "en"

[[screen]]
id = "wall"
width = 960
height = 540
fullscreen = false

[[panel]]
id = "wall"
type = "camera.wall"
settings = { layout = "2x2" }

[[layout]]
screen = "wall"
columns = 1
rows = 1
  [[layout.region]]
  panel = "wall"
  cell = [0, 0]

[[camera]]
id = "cam1"
name = "กล้อง 1"
url = ")" + camsim->baseUrl() + R"(cam1"

[[camera]]
id = "cam2"
name = "กล้อง 2"
url = ")" + camsim->baseUrl() + R"(cam2"

[[plugin]]
id = "camera_wall"

[[driver]]
id = "sim-1"
plugin = "sim"
settings = { doors = "", lights = "", motion = "", panic = "panic-1", mean_interval_s = 1000.0, seed = 7 }

[[driver]]
id = "sim-2"
plugin = "sim"
settings = { doors = "", lights = "", motion = "", panic = "panic-2", mean_interval_s = 1000.0, seed = 7 }

)";
    const std::string allow =
        "[[bus.allow]]\nname = \"wall.wall\"\npublic_key = \"" + wallPublic +
        "\"\nsecret_key_file = \"keys/wall.key\"\npublish = [\"state/wall.wall/\", \"event/wall.wall/\"]\n"
        "devices = [\"wall.wall\"]\n\n" +
        curve.allow("alarms", "alarms", "alarms",
                    "publish = [\"state/alarms/\", \"event/alarms/\", \"cmd/\"]\ndevices = [\"alarms\"]") +
        curve.allow("sim-1", "sim-1", "sim-1", "publish = [\"state/panic-1/\", \"event/panic-1/\"]\ndevices = [\"panic-1\"]") +
        curve.allow("sim-2", "sim-2", "stranger", "publish = [\"state/panic-2/\", \"event/panic-2/\"]\ndevices = [\"panic-2\"]");
    // The host's own entry also publishes its drivers' status.
    std::string bus = curve.busSection(allow);
    const std::string hostRights = "publish = [\"cmd/\", \"event/\"]";
    bus.replace(bus.find(hostRights), hostRights.size(), "publish = [\"cmd/\", \"event/\", \"state/supervisor.TST/\"]");
    curve.write(station + bus);

    test::XvfbServer xvfb;
    const std::map<std::string, std::string> endpoints = {
        {"CCOC_BUS_FRONTEND", "tcp://127.0.0.1:" + std::to_string(test::unusedPort())},
        {"CCOC_BUS_PUBLISHER", "tcp://127.0.0.1:" + std::to_string(test::unusedPort())}};
    std::map<std::string, std::string> hostEnv = endpoints;
    hostEnv["DISPLAY"] = xvfb.display();
    const test::TempDir config("ccoc-curve-config");
    hostEnv["XDG_CONFIG_HOME"] = config.path();
    hostEnv["CCOC_HEADLESS_FPS"] = "20";
    ChildProcess host({kHost, "--config", curve.path(), "--frames", "1000000"}, hostEnv);

    // (a) push to wall: the wall's peer needs a moment to say hello; retry until it answers.
    ToolResult call;
    const bool answered = bus::test::waitUntil([&] {
        call = busTool(curve, endpoints, "call", {"wall.wall", "wall.set_tile", R"({"tile": 3, "camera": "cam2"})"});
        return call.exitCode == 0;
    }, 30000);
    INFO(host.output());
    INFO(call.output);
    REQUIRE(answered);
    const ToolResult wallState = busTool(curve, endpoints, "state", {"wall.wall"});
    INFO(wallState.output);
    CHECK(wallState.output.find("\"camera\": \"cam2\"") != std::string::npos);

    // (c) the driver with its own key is online; the one whose key file is another pair's is not
    // started, and the log names the entry and the file.
    ToolResult list;
    CHECK(bus::test::waitUntil([&] {
        list = busTool(curve, endpoints, "list", {});
        return list.output.find("sim-1") != std::string::npos &&
               list.output.find("yes", list.output.find("sim-1")) != std::string::npos;
    }, 20000));
    INFO(list.output);
    CHECK(host.output().find("[[driver]] sim-2 is not started: bus: " + curve.path()) != std::string::npos);
    CHECK(host.output().find("secret_key_file of [[bus.allow]] 'sim-2': the secret key in " +
                             (curve.dir.path / "keys" / "stranger.key").string() +
                             " does not belong to the entry's public_key") != std::string::npos);

    // (b) the embedded alarm service takes the driver's alarm event and publishes the alarm.
    const ToolResult test = busTool(curve, endpoints, "call", {"panic-1", "alarm.test", "{}"});
    INFO(test.output);
    CHECK(test.exitCode == 0);
    ToolResult summary;
    CHECK(bus::test::waitUntil([&] {
        summary = busTool(curve, endpoints, "state", {"alarms/summary"});
        return summary.output.find("\"open\": 1") != std::string::npos;
    }, 20000));
    INFO(summary.output);

    const std::string log = host.output();
    CHECK(log.find("stays off the bus") == std::string::npos);
    CHECK(log.find("claims source") == std::string::npos);
    CHECK(log.find("unknown public key") == std::string::npos);
    CHECK_FALSE(curve.holdsSecret(log));
    host.stop();
}
