// ccoc-bus against a real stand-alone broker (`ccoc-bus broker`) and the sim driver in
// ccoc-driverd: call, state, list, tap, pub, hz and keygen, as an operator would run them.
#include <catch2/catch.hpp>

#include "child_process.hpp"
#include "output_lines.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>


using namespace std::chrono_literals;
using ccoc::test::ChildProcess;
using Json = nlohmann::json;

namespace {

const std::string kBusTool = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-bus";
const std::string kDriverd = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-driverd";
const std::string kSimDriver = std::string(CCOC_PLUGIN_DIR) + "/sim.so";
const std::string kSite = std::string(CCOC_SOURCE_DIR) + "/tests/driver/data/sim_site.toml";

// Removes a temporary folder when the test ends, passed or failed.
struct RemovedAtEnd {
    std::string path;
    ~RemovedAtEnd()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

// A stand-alone broker on private ipc endpoints, with the sim driver connected to it.
struct BusWithSim {
    ccoc::test::TempDir dir{"ccoc-tool"};
    std::string frontend = "ipc://" + dir + "/frontend";
    std::string publisher = "ipc://" + dir + "/publisher";
    ChildProcess broker{{kBusTool, "broker", "--config", kSite, "--frontend", frontend, "--publisher", publisher}};
    std::unique_ptr<ChildProcess> driver;

    BusWithSim()
    {
        REQUIRE(broker.waitForOutput("broker of TEST-1 running", 10s));
        driver = std::make_unique<ChildProcess>(std::vector<std::string>{
            kDriverd, "--id", "sim-1", "--plugin", kSimDriver, "--frontend", frontend, "--publisher", publisher, "--set",
            "doors=door-1", "--set", "lights=light-1", "--set", "motion=", "--set", "panic=panic-1", "--set",
            "mean_interval_s=0.2", "--set", "seed=3"});
        REQUIRE(driver->waitForOutput("running 3 devices", 10s));
        // The driver's hello and state reach the broker a moment later: wait until its state is
        // retained, so commands find their owner.
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        bool retained = false;
        while (!retained && std::chrono::steady_clock::now() < deadline) {
            retained = tool({"state", "panic-1"}).second.find("\"panic-1/button\"") != std::string::npos;
        }
        REQUIRE(retained);
    }

    // Runs `ccoc-bus ARGS...` to completion; returns exit code and output.
    std::pair<int, std::string> tool(std::vector<std::string> args, std::chrono::milliseconds timeout = 20s) const
    {
        std::vector<std::string> argv{kBusTool};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"--frontend", frontend, "--publisher", publisher});
        ChildProcess process(argv);
        const auto code = process.wait(timeout);
        return {code.value_or(-1), process.output()};
    }
};

// The first JSON value printed (tools print JSON on stdout, notes on stderr).
Json firstJson(const std::string& output)
{
    const size_t start = output.find('{');
    REQUIRE(start != std::string::npos);
    // Objects are printed with a closing brace at the start of a line.
    const size_t end = output.find("\n}", start);
    REQUIRE(end != std::string::npos);
    return Json::parse(output.substr(start, end + 2 - start));
}

} // namespace

TEST_CASE("tools/ccoc-bus call: a command's one answer is printed, and the exit code follows it")
{
    BusWithSim bus;
    auto [code, output] = bus.tool({"call", "light-1", "light.dim", R"({"level": 40})", "--timeout", "3000"});
    INFO(output);
    CHECK(code == 0);
    const Json reply = firstJson(output);
    CHECK(reply["status"] == "ok");
    CHECK(reply["result"]["level"] == 40);

    auto [rejectedCode, rejected] = bus.tool({"call", "door-1", "light.on"});
    INFO(rejected);
    CHECK(rejectedCode == 1);
    CHECK(firstJson(rejected)["status"] == "rejected");

    auto [unavailableCode, unavailable] = bus.tool({"call", "nobody-owns-this", "light.on", "--timeout", "1000"});
    INFO(unavailable);
    CHECK(unavailableCode == 1);
    CHECK(firstJson(unavailable)["status"] == "unavailable");
}

TEST_CASE("tools/ccoc-bus state: dumps the retained snapshot, filtered by device")
{
    BusWithSim bus;
    auto [code, output] = bus.tool({"state", "light-1"});
    INFO(output);
    REQUIRE(code == 0);
    const Json state = firstJson(output);
    REQUIRE(state.contains("light-1/light"));
    CHECK(state["light-1/light"]["src"] == "sim-1");
    CHECK(state["light-1/light"]["value"].contains("level"));
    CHECK(state["light-1/info"]["value"]["kind"] == "light");
    CHECK_FALSE(state.contains("door-1/contact")); // another device: filtered out
}

TEST_CASE("tools/ccoc-bus list: drivers with their session and devices, and every device")
{
    BusWithSim bus;
    auto [code, output] = bus.tool({"list"});
    INFO(output);
    REQUIRE(code == 0);
    using ccoc::tooltest::rowOf;
    const auto driver = rowOf(output, "sim-1");
    REQUIRE(driver.size() >= 4);
    CHECK(driver[1] == "yes");
    CHECK(ccoc::tooltest::isSessionId(driver[3]));
    CHECK(driver.back() == "door-1,panic-1,light-1");
    CHECK(rowOf(output, "door-1") == std::vector<std::string>{"door-1", "sim-1", "2", "live"});
    CHECK(rowOf(output, "light-1") == std::vector<std::string>{"light-1", "sim-1", "2", "live"});
}

TEST_CASE("tools/ccoc-bus list: an online driver's last heard is bounded by offline_after_ms, not its hello")
{
    BusWithSim bus;
    // The sim driver heartbeats every second; let it run well past offline_after_ms (3 s), so
    // the time it came online is long ago and would show if it were taken for "last heard".
    std::this_thread::sleep_for(4500ms); // the scenario itself: time passing while it heartbeats
    auto [code, output] = bus.tool({"list"});
    INFO(output);
    REQUIRE(code == 0);
    const auto row = ccoc::tooltest::rowOf(output, "sim-1");
    REQUIRE(row.size() >= 8);
    CHECK(row[1] == "yes");
    // "... within 3.0 s DEVICES": the seconds are the word before "s".
    const auto unit = std::find(row.begin(), row.end(), "s");
    REQUIRE(unit != row.end());
    REQUIRE(unit != row.begin());
    CHECK(std::stod(*(unit - 1)) <= 3.0);
    CHECK(*(unit - 2) == "within");
}

TEST_CASE("tools/ccoc-bus tap: shows removed, event_seq and journal")
{
    BusWithSim bus;
    // A reliable event: the tap shows where the broker's journal holds it (protocol section 8).
    ChildProcess tapEvents({kBusTool, "tap", "event/panic-1/alarm", "--count", "1", "--seconds", "30", "--frontend",
                            bus.frontend, "--publisher", bus.publisher});
    REQUIRE(tapEvents.waitForOutput("tapping 'event/panic-1/alarm'", 10s));
    auto [testCode, testOutput] = bus.tool({"call", "panic-1", "alarm.test"});
    INFO(testOutput);
    REQUIRE(testCode == 0);
    REQUIRE(tapEvents.wait(20s) == 0);
    INFO(tapEvents.output());
    const Json event = firstJson(tapEvents.output());
    CHECK(event["reliable"] == true);
    CHECK(event["event_seq"].get<uint64_t>() >= 1);
    CHECK_FALSE(event["journal"].get<std::string>().empty());

    // A state update says whether it removes its key (protocol section 6).
    ChildProcess tapState({kBusTool, "tap", "state/light-1", "--count", "1", "--seconds", "30", "--frontend",
                           bus.frontend, "--publisher", bus.publisher});
    REQUIRE(tapState.waitForOutput("tapping 'state/light-1'", 10s));
    auto [dimCode, dimOutput] = bus.tool({"call", "light-1", "light.dim", R"({"level":30})"});
    INFO(dimOutput);
    REQUIRE(dimCode == 0);
    REQUIRE(tapState.wait(20s) == 0);
    INFO(tapState.output());
    const Json state = firstJson(tapState.output());
    REQUIRE(state.contains("removed"));
    CHECK(state["removed"] == false);
    CHECK(state["broker_seq"].get<uint64_t>() >= 1);
}

TEST_CASE("tools/ccoc-bus tap and pub: messages under a prefix as JSON, segment-safe")
{
    BusWithSim bus;
    ChildProcess tap({kBusTool, "tap", "event/probe-1", "--count", "1", "--seconds", "30", "--frontend", bus.frontend,
                      "--publisher", bus.publisher});
    REQUIRE(tap.waitForOutput("tapping 'event/probe-1'", 10s));
    // A tool publishes only for devices no driver owns (bus protocol 10.1): probe devices here.
    // A subscription reaches the broker asynchronously, so publish until the tap has its message
    // (bounded); each round first publishes to a device whose id merely starts the same, which
    // must never show up.
    const auto deadline = std::chrono::steady_clock::now() + 25s;
    while (tap.running() && std::chrono::steady_clock::now() < deadline) {
        auto [otherCode, otherOutput] = bus.tool({"pub", "event", "probe-10/contact", R"({"change":"open"})"});
        INFO(otherOutput);
        REQUIRE(otherCode == 0);
        auto [pubCode, pubOutput] = bus.tool({"pub", "event", "probe-1/contact", R"({"change":"tapped"})"});
        INFO(pubOutput);
        REQUIRE(pubCode == 0);
    }
    const auto code = tap.wait(10s);
    INFO(tap.output());
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    const Json first = firstJson(tap.output());
    CHECK(first["topic"] == "event/probe-1/contact/");
    CHECK(first["payload"].contains("change"));
    CHECK(tap.output().find("probe-10") == std::string::npos);
}

TEST_CASE("tools/ccoc-bus hz and keygen")
{
    BusWithSim bus;
    auto [code, output] = bus.tool({"hz", "state", "--seconds", "2"});
    INFO(output);
    CHECK(code == 0);
    CHECK(output.find(" /s  total under 'state'") != std::string::npos);
    CHECK(output.find("/s  state/door-1/contact/") != std::string::npos);

    ChildProcess keygen({kBusTool, "keygen"});
    REQUIRE(keygen.wait(10s) == 0);
    const auto publicRow = ccoc::tooltest::rowOf(keygen.output(), "public");
    const auto secretRow = ccoc::tooltest::rowOf(keygen.output(), "secret");
    REQUIRE(publicRow.size() == 3);
    REQUIRE(secretRow.size() == 3);
    CHECK(publicRow[2].size() == 42); // 40 Z85 characters in quotes
    CHECK(secretRow[2].size() == 42);
    CHECK(publicRow[2] != secretRow[2]);
}

TEST_CASE("tools/ccoc-bus: no broker gives exit 3 and says where it looked, bad usage gives 2")
{
    const ccoc::test::TempDir dir("ccoc-tool");
    ChildProcess none({kBusTool, "state", "--timeout", "500", "--frontend", "ipc://" + dir + "/none", "--publisher",
                       "ipc://" + dir + "/none-pub"});
    CHECK(none.wait(10s) == 3);
    CHECK(none.output().find("no broker answered at ipc://" + dir + "/none") != std::string::npos);

    ChildProcess bad({kBusTool, "frobnicate"});
    CHECK(bad.wait(10s) == 2);
    CHECK(bad.output().find("unknown command 'frobnicate'") != std::string::npos);

    // An option before the command (the order an integrator may guess): said plainly.
    ChildProcess optionFirst({kBusTool, "--config", kSite, "list"});
    CHECK(optionFirst.wait(10s) == 2);
    CHECK(optionFirst.output().find("the command comes first") != std::string::npos);
}

TEST_CASE("tools/ccoc-bus --config: the broker, ccoc-driverd and the tools take their endpoints from [bus]")
{
    const ccoc::test::TempDir dir("ccoc-tool");
    const std::string site = dir + "/site.toml";
    {
        std::ofstream out(site);
        out << "[site]\nname = \"ทดสอบ\"\nname_en = \"Test\"\nstation_code = \"TEST-4\"\n\n"
            << "[[screen]]\nid = \"desk\"\n\n"
            << "[bus]\nbroker = \"external\"\nfrontend = \"ipc://" << dir << "/frontend\"\npublisher = \"ipc://" << dir
            << "/publisher\"\n\n"
            << "[[driver]]\nid = \"sim-4\"\nplugin = \"sim\"\nsettings = { doors = \"door-4\", motion = \"\", panic = \"\", "
               "lights = \"\" }\n";
    }
    // No endpoint anywhere on the command lines, and none in the environment.
    const std::map<std::string, std::string> noEndpoints{{"CCOC_BUS_FRONTEND", ""}, {"CCOC_BUS_PUBLISHER", ""}};
    ChildProcess broker({kBusTool, "broker", "--config", site}, noEndpoints);
    REQUIRE(broker.waitForOutput("frontend ipc://" + dir + "/frontend", 10s));
    ChildProcess driver({kDriverd, "--id", "sim-4", "--plugin", kSimDriver, "--site", site}, noEndpoints);
    REQUIRE(driver.waitForOutput("running 1 devices", 10s));

    bool found = false;
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!found && std::chrono::steady_clock::now() < deadline) {
        ChildProcess state({kBusTool, "state", "door-4", "--config", site}, noEndpoints);
        REQUIRE(state.wait(20s) == 0);
        output = state.output();
        found = output.find("\"door-4/contact\"") != std::string::npos;
    }
    INFO(output);
    CHECK(found);
}
