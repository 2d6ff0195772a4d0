// The camera wall in the real host (private Xvfb) when cameras misbehave: a camera that freezes with
// its connection open, and a rejected login that the operator retries from the tile's menu.
#include <catch2/catch.hpp>

#include "camsim_process.hpp"
#include "child_process.hpp"
#include "wait_for.hpp"
#include "wall_fixture.hpp"

using namespace std::chrono_literals;
using ccoc::test::CamsimProcess;
using ccoc::test::ChildProcess;
using ccoc::test::TestCamera;
using ccoc::test::WallHost;
using ccoc::test::WallSite;
using Clock = std::chrono::steady_clock;

namespace {

std::unique_ptr<CamsimProcess> startCamsim(std::vector<std::string> args)
{
    std::string error;
    auto camsim = CamsimProcess::start(args, 15s, error);
    INFO(error);
    REQUIRE(camsim);
    return camsim;
}

// Runs xdotool on the host's display; fails the test when it fails.
void xdotool(const WallHost& host, std::vector<std::string> args, std::string* output = nullptr)
{
    args.insert(args.begin(), "/usr/bin/xdotool");
    ChildProcess tool(args, {{"DISPLAY", host.display()}});
    const auto code = tool.wait(10s);
    INFO(tool.output());
    REQUIRE(code.has_value());
    REQUIRE(*code == 0);
    if (output != nullptr) {
        *output = tool.output();
    }
}

}  // namespace

TEST_CASE("camera_wall/a frozen camera goes stale once and offline within 3 s, never live again")
{
    auto camsim = startCamsim({"--port", "0", "--cameras", "1"});
    WallSite site;
    const std::string base = camsim->baseUrl() + "cam1";
    site.cameras = {TestCamera{"cam1", base, base + "/sub", "", ""}};
    site.settings = "layout = \"1\", cameras = [\"cam1\"]";
    WallHost host(site, 0, 20.0);
    auto& process = host.process();
    REQUIRE(process.waitForOutput("camera 'cam1' live", 30s));
    // Live; now the server freezes with the connection open.
    const size_t staleBefore = ccoc::test::countOf(process.output(), "picture stale");
    camsim->freeze();
    const auto frozenAt = Clock::now();
    REQUIRE(process.waitForOutput("camera 'cam1' offline", 10s));
    const double offlineSec = std::chrono::duration<double>(Clock::now() - frozenAt).count();
    const std::string log = process.output();
    INFO(log);
    INFO("offline " << offlineSec << " s after the freeze");
    CHECK(offlineSec < 4.0);  // 2.8 s read deadline; the rest is margin for a loaded machine
    CHECK(log.find("camera 'cam1' offline: timeout") != std::string::npos);
    // Stale once (after 2 s): a picture FFmpeg released late must not make the tile fresh and
    // stale again.
    CHECK(ccoc::test::countOf(log, "picture stale") == staleBefore + 1);
    camsim->thaw();
    CHECK(process.stop() == 0);
}

TEST_CASE("camera_wall/retry now on a tile's menu tries a rejected login at once")
{
    auto camsim = startCamsim({"--port", "0", "--cameras", "1", "--user", "operator", "--password", "Right-7"});
    WallSite site;
    const std::string base = camsim->baseUrl() + "cam1";
    site.cameras = {TestCamera{"cam1", base, base + "/sub", "operator", "Wrong-7"}};
    site.settings = "layout = \"1\", cameras = [\"cam1\"]";
    WallHost host(site, 0, 20.0);
    auto& process = host.process();
    REQUIRE(process.waitForOutput("next try in 60 s", 30s));
    const int before = camsim->clientConnections();

    std::string found;
    xdotool(host, {"search", "--sync", "--name", "^wall$"}, &found);
    const std::string window = found.substr(0, found.find('\n'));
    // Right-click the middle of the tile; the menu opens under the pointer with "retry now" first.
    xdotool(host, {"mousemove", "--window", window, "480", "300", "mousedown", "3", "sleep", "0.3", "mouseup", "3"});
    xdotool(host, {"sleep", "0.5", "mousemove_relative", "30", "14", "mousedown", "1", "sleep", "0.3", "mouseup", "1"});
    const bool asked = process.waitForOutput("retry now on camera 'cam1' (tile 1)", 10s);
    const bool tried = ccoc::test::waitFor(10s, [&] { return camsim->clientConnections() > before; });
    const bool rejectedAgain = process.waitForOutput("next try in 120 s", 10s);
    INFO(process.output());
    CHECK(asked);
    CHECK(tried);
    CHECK(rejectedAgain);
    CHECK(process.stop() == 0);
}
