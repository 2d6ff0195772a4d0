// A headless run (--frames N, no vsync) is paced: its length must not depend on how fast the
// machine happens to be at that moment.
#include <catch2/catch.hpp>

#include "child_process.hpp"
#include "xvfb_server.hpp"

using namespace std::chrono_literals;
using ccoc::test::ChildProcess;

namespace {

const std::string kHost = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-host";
const std::string kSite = std::string(CCOC_SOURCE_DIR) + "/tests/host/data/two_screens.toml";
const std::string kTestPlugins = std::string(CCOC_BINARY_DIR) + "/test-plugins";

// Seconds from the host's start to its exit, rendering `frames` with CCOC_HEADLESS_FPS=`fps`.
double runSeconds(ccoc::test::XvfbServer& xvfb, int frames, const std::string& fps, std::string& output)
{
    const auto started = std::chrono::steady_clock::now();
    ChildProcess host({kHost, "--config", kSite, "--frames", std::to_string(frames), "--plugin-path", kTestPlugins},
                      {{"DISPLAY", xvfb.display()}, {"CCOC_HEADLESS_FPS", fps}});
    const auto code = host.wait(60s);
    output = host.output();
    INFO(output);
    REQUIRE(code.has_value());
    REQUIRE(*code == 0);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace

TEST_CASE("host/headless frames are paced at 20 a second unless told otherwise")
{
    ccoc::test::XvfbServer xvfb;
    std::string output;
    // Unset (empty): the default cap. 40 frames at 20 a second cannot take less than 1.95 s
    // (the first frame is not waited for); uncapped the two test screens take a fraction of that.
    const double defaultRun = runSeconds(xvfb, 40, "", output);
    INFO(output);
    WARN("--frames 40 with the default cap took " << defaultRun << " s");
    CHECK(defaultRun >= 1.95);
    CHECK(output.find("headless: 40 frames, at most 20 a second") != std::string::npos);
    // The rate can be set, and lifted for measurements of the loop itself.
    const double fastRun = runSeconds(xvfb, 40, "80", output);
    WARN("--frames 40 at 80 a second took " << fastRun << " s");
    CHECK(fastRun >= 0.48);
    CHECK(output.find("at most 80 a second") != std::string::npos);
    runSeconds(xvfb, 5, "0", output);
    CHECK(output.find("uncapped (CCOC_HEADLESS_FPS=0)") != std::string::npos);
    runSeconds(xvfb, 5, "fast", output);
    CHECK(output.find("CCOC_HEADLESS_FPS='fast' is not a number") != std::string::npos);
}
