// The example driver in Python (sdk/examples/python_driver), written from the protocol document
// alone, against the real broker: it announces its devices, publishes state, answers commands.
#include <catch2/catch.hpp>

#include "child_process.hpp"
#include "output_lines.hpp"

#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <memory>
#include <thread>

using namespace std::chrono_literals;
using ccoc::test::ChildProcess;
using Json = nlohmann::json;

namespace {

const std::string kBusTool = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-bus";
const std::string kPython = "/usr/bin/python3"; // Debian's, with python3-zmq
const std::string kDriver = std::string(CCOC_SOURCE_DIR) + "/sdk/examples/python_driver/gate_driver.py";
const std::string kSite = std::string(CCOC_SOURCE_DIR) + "/tests/driver/data/sim_site.toml";

Json jsonIn(const std::string& output)
{
    const size_t start = output.find('{');
    const size_t end = output.rfind("\n}");
    REQUIRE(start != std::string::npos);
    REQUIRE(end != std::string::npos);
    return Json::parse(output.substr(start, end + 2 - start));
}

} // namespace

TEST_CASE("tools/python driver: announces its devices, publishes state, answers commands")
{
    ChildProcess hasZmq({kPython, "-c", "import zmq"});
    REQUIRE(hasZmq.wait(20s) == 0); // needs Debian's python3-zmq

    const ccoc::test::TempDir dir("ccoc-py");
    const std::string frontend = "ipc://" + dir + "/frontend";
    const std::string publisher = "ipc://" + dir + "/publisher";
    ChildProcess broker({kBusTool, "broker", "--config", kSite, "--frontend", frontend, "--publisher", publisher});
    REQUIRE(broker.waitForOutput("running: frontend", 10s));
    ChildProcess driver({kPython, kDriver, "--id", "py-gates", "--device", "gate-1", "--device", "gate-2", "--frontend",
                         frontend, "--publisher", publisher});
    INFO(driver.output());
    REQUIRE(driver.waitForOutput("published the state of 2 devices", 20s));

    const auto tool = [&](std::vector<std::string> args) {
        std::vector<std::string> argv{kBusTool};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"--frontend", frontend, "--publisher", publisher});
        ChildProcess process(argv);
        const auto code = process.wait(20s);
        return std::pair<int, std::string>{code.value_or(-1), process.output()};
    };

    // Announced: the broker lists it online with both devices.
    auto [listCode, list] = tool({"list"});
    INFO(list);
    CHECK(listCode == 0);
    const auto row = ccoc::tooltest::rowOf(list, "py-gates");
    REQUIRE(row.size() >= 4);
    CHECK(row[1] == "yes");
    CHECK(ccoc::tooltest::isSessionId(row[3]));
    CHECK(row.back() == "gate-1,gate-2");

    // State: retained, from its session.
    auto [stateCode, stateText] = tool({"state", "gate-2"});
    INFO(stateText);
    REQUIRE(stateCode == 0);
    Json state = jsonIn(stateText);
    CHECK(state["gate-2/barrier"]["value"]["open"] == false);
    CHECK(state["gate-2/barrier"]["src"] == "py-gates");
    CHECK(state["gate-2/info"]["value"]["language"] == "python");

    // A command: one answer, and the state follows.
    auto [callCode, callText] = tool({"call", "gate-2", "barrier.open"});
    INFO(callText);
    CHECK(callCode == 0);
    CHECK(jsonIn(callText)["status"] == "ok");
    auto [afterCode, afterText] = tool({"state", "gate-2"});
    REQUIRE(afterCode == 0);
    CHECK(jsonIn(afterText)["gate-2/barrier"]["value"]["open"] == true);

    // A command it does not know: rejected, with the reason.
    auto [badCode, badText] = tool({"call", "gate-1", "barrier.fly"});
    INFO(badText);
    CHECK(badCode == 1);
    const Json bad = jsonIn(badText);
    CHECK(bad["status"] == "rejected");
    CHECK(bad["message"].get<std::string>().find("barrier.fly") != std::string::npos);

    driver.signal(SIGTERM);
    CHECK(driver.wait(10s) == 0);
}

namespace {

// Removes a temporary folder when the test ends, passed or failed.
struct RemovedAtEnd {
    std::string path;
    ~RemovedAtEnd()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

size_t occurrences(const std::string& text, const std::string& what)
{
    size_t count = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) {
        ++count;
    }
    return count;
}

} // namespace

TEST_CASE("tools/python driver: one hello and one republish after a broker restart")
{
    ChildProcess hasZmq({kPython, "-c", "import zmq"});
    REQUIRE(hasZmq.wait(20s) == 0); // needs Debian's python3-zmq

    const RemovedAtEnd dir{ccoc::test::makeTempDir("ccoc-py")};
    const std::string frontend = "ipc://" + dir.path + "/frontend";
    const std::string publisher = "ipc://" + dir.path + "/publisher";
    const std::vector<std::string> brokerArgs{kBusTool, "broker", "--config", kSite, "--frontend", frontend,
                                              "--publisher", publisher};
    auto broker = std::make_unique<ChildProcess>(brokerArgs);
    REQUIRE(broker->waitForOutput("running: frontend", 10s));
    ChildProcess driver({kPython, kDriver, "--id", "py-gates", "--device", "gate-1", "--frontend", frontend,
                         "--publisher", publisher});
    const std::string published = "published the state of 1 devices";
    REQUIRE(driver.waitForOutput(published, 20s));

    // The broker goes away for 3.5 s: the driver's heartbeats (one a second) queue up, and the
    // next broker answers each of them with `hello-required`.
    broker->stop();
    broker.reset();
    std::this_thread::sleep_for(3500ms); // the outage itself
    broker = std::make_unique<ChildProcess>(brokerArgs);
    REQUIRE(broker->waitForOutput("running: frontend", 10s));
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (occurrences(driver.output(), published) < 2 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
    }
    REQUIRE(occurrences(driver.output(), published) == 2);
    // Any further welcome (to a second hello) would be answered with a republish within a few
    // heartbeats: none comes.
    std::this_thread::sleep_for(3s);
    INFO(driver.output());
    CHECK(occurrences(driver.output(), published) == 2);
    driver.signal(SIGTERM);
    CHECK(driver.wait(10s) == 0);
}
