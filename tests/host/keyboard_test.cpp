// Operator keys on a real window: Ctrl+Q asks before quitting, Escape cancels, Enter confirms;
// F11 toggles full screen. Keys are typed with xdotool (XTEST) into the focused host window.
#include <catch2/catch.hpp>

#include "child_process.hpp"
#include "xvfb_server.hpp"

using namespace std::chrono_literals;
using ccoc::test::ChildProcess;

namespace {

// Runs xdotool with DISPLAY set and returns its stdout, failing the test on a non-zero exit.
std::string xdotool(const std::string& display, std::vector<std::string> args)
{
    args.insert(args.begin(), "/usr/bin/xdotool");
    ChildProcess tool(args, {{"DISPLAY", display}});
    const auto code = tool.wait(10s);
    INFO(tool.output());
    REQUIRE(code.has_value());
    REQUIRE(*code == 0);
    return tool.output();
}

} // namespace

TEST_CASE("host/Ctrl+Q asks for confirmation, Escape cancels, Enter quits, F11 toggles full screen")
{
    ccoc::test::XvfbServer xvfb(1920, 1080);
    ChildProcess host({std::string(CCOC_BINARY_DIR) + "/bin/ccoc-host", "--config",
                       std::string(CCOC_SOURCE_DIR) + "/tests/host/data/two_screens.toml", "--plugin-path",
                       std::string(CCOC_BINARY_DIR) + "/test-plugins"},
                      {{"DISPLAY", xvfb.display()}});
    REQUIRE(host.waitForOutput("[host] running 2 screens", 30s));

    const std::string found = xdotool(xvfb.display(), {"search", "--sync", "--name", "^Left$"});
    const std::string window = found.substr(0, found.find('\n'));
    xdotool(xvfb.display(), {"windowfocus", "--sync", window});

    xdotool(xvfb.display(), {"key", "ctrl+q"});
    REQUIRE(host.waitForOutput("quit requested on screen 'left'", 10s));
    CHECK(host.running());

    xdotool(xvfb.display(), {"key", "F11"});
    REQUIRE(host.waitForOutput("screen 'left' full screen at 1920x1080", 10s));
    xdotool(xvfb.display(), {"key", "F11"});
    REQUIRE(host.waitForOutput("screen 'left' windowed at 800x600", 10s));

    xdotool(xvfb.display(), {"key", "Escape"});
    REQUIRE(host.waitForOutput("quit cancelled on screen 'left'", 10s));
    CHECK(host.running());

    xdotool(xvfb.display(), {"key", "ctrl+q"});
    xdotool(xvfb.display(), {"key", "Return"});
    const auto code = host.wait(20s);
    INFO(host.output());
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    CHECK(host.output().find("quit confirmed on screen 'left'") != std::string::npos);
}
