// Test programs leave nothing in $TMPDIR: neither the folders of the shared helpers (TempDir,
// ChildProcess's capture, makeTempDir) when a test passes, fails or throws in its fixture, nor
// those of real test programs that start brokers, drivers, mosquitto, openssl and the host, nor the
// out-of-tree SDK build.
#include "child_process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using ccoc::test::ChildProcess;
using ccoc::test::TempDir;

const std::string kBin = std::string(CCOC_BINARY_DIR) + "/bin/";

// Everything in `dir`, one path a line, for the failure message.
std::string listing(const std::string& dir)
{
    std::ostringstream out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        out << entry.path().string() << "\n";
    }
    return out.str();
}

struct Run {
    int exitCode = -1;
    std::string output;
};

// Runs one test case of `program` with TMPDIR set to the empty folder `tmp`.
Run runWithTmpdir(const std::string& program, const std::string& testCase, const TempDir& tmp)
{
    // Catch2 reads ',' in a test spec as "or" and '[' as a tag: escaped, the name matches as a whole.
    std::string spec;
    for (const char c : testCase) {
        if (c == ',' || c == '[') {
            spec += '\\';
        }
        spec += c;
    }
    // mosquitto drops to its own user and must still reach its config through this folder.
    std::filesystem::permissions(tmp.path(), std::filesystem::perms::others_exec | std::filesystem::perms::group_exec,
                                 std::filesystem::perm_options::add);
    ChildProcess child({kBin + program, spec, "--warn", "NoTests"}, {{"TMPDIR", tmp.path()}});
    const auto code = child.wait(240s);
    return {code.value_or(-1), child.output()};
}

} // namespace

TEST_CASE("support/temp dirs: the helpers' folders are removed when a test passes, fails or throws in its fixture")
{
    for (const auto& [testCase, passes] : {std::pair{"probe/passes", true}, std::pair{"probe/an assertion fails", false},
                                           std::pair{"probe/a fixture throws", false}}) {
        INFO(testCase);
        const TempDir tmp("ccoc-tmpdir-check");
        const Run run = runWithTmpdir("temp_dir_probe", testCase, tmp);
        INFO(run.output);
        CHECK((run.exitCode == 0) == passes);
        // The probe made its folders where TMPDIR points (so the check below sees them), and they are gone.
        size_t made = 0;
        std::istringstream lines(run.output);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("made ", 0) == 0) {
                ++made;
                CHECK(line.rfind("made " + tmp.path() + "/ccoc-probe", 0) == 0);
                CHECK_FALSE(std::filesystem::exists(line.substr(5)));
            }
        }
        CHECK(made == 2);
        INFO("left in TMPDIR:\n" << listing(tmp));
        CHECK(std::filesystem::is_empty(tmp.path()));
    }
}

TEST_CASE("support/temp dirs: real test programs with brokers, drivers, mosquitto, openssl and the host leave TMPDIR empty")
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"tools_tests", "tools/ccoc-bus: no broker gives exit 3 and says where it looked, bad usage gives 2"},
        {"tools_tests", "tools/ccoc-bus --config: the broker, ccoc-driverd and the tools take their endpoints from [bus]"},
        {"driver_tests", "driver/supervisor: stop ends a running driver, and one that ignores SIGTERM is killed"},
        // A host killed with SIGKILL cannot remove its in-memory alarm journal: the fixture's folder must.
        {"driver_tests", "driver/orphan: a driver stuck in a call is gone within 2 s of its host being killed"},
        {"alarm_sia_e2e_tests", "alarm_sia/e2e encrypted: AES-128 SIA-DCS and AES-256 ADM-CID alarms reach the bus, the ACKs are encrypted"},
        {"alarm_mqtt_tests", "alarm_mqtt/zigbee2mqtt contact: open raises a door alarm once, closed restores it, state is retained"},
        {"host_tests", "host/headless two screens: one PNG per screen, panels where the layout puts them"},
    };
    for (const auto& [program, testCase] : cases) {
        INFO(program << " \"" << testCase << "\"");
        const TempDir tmp("ccoc-tmpdir-check");
        const Run run = runWithTmpdir(program, testCase, tmp);
        INFO(run.output);
        // It ran (a renamed test case would fail here, not pass with nothing run) and passed.
        REQUIRE(run.exitCode == 0);
        CHECK(run.output.find("All tests passed") != std::string::npos);
        INFO("left in TMPDIR:\n" << listing(tmp));
        CHECK(std::filesystem::is_empty(tmp.path()));
    }
}

TEST_CASE("support/temp dirs: the out-of-tree SDK test removes its install and build")
{
    const TempDir tmp("ccoc-tmpdir-check");
    ChildProcess script({"/bin/bash", std::string(CCOC_SOURCE_DIR) + "/tests/sdk/out_of_tree_test.sh", CCOC_BINARY_DIR,
                         CCOC_SOURCE_DIR},
                        {{"TMPDIR", tmp.path()}});
    const auto code = script.wait(240s);
    INFO(script.output());
    REQUIRE(code == 0);
    INFO("left in TMPDIR:\n" << listing(tmp));
    CHECK(std::filesystem::is_empty(tmp.path()));
}
