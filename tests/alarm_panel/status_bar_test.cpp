// The status bar's alarm chips, drawn by the host's real ScreenWindow in a window of a private
// Xvfb: one chip per priority with open alarms in the alarm colours, solid while any is
// unacknowledged, an outline once all are acknowledged, and nothing without an alarm service.
#include <catch2/catch.hpp>

#include "driver_pinning.hpp"
#include "png_image.hpp"
#include "screen_window.hpp"
#include "xvfb_server.hpp"

#include "ccoc/site.hpp"

#include <GLFW/glfw3.h>

#include <cstdlib>

using ccoc::test::PngImage;
using ccoc::test::Rgb;

namespace {

constexpr int kWidth = 1000;
constexpr int kHeight = 300;
constexpr int kBarHeight = 32;

// Renders a few frames of one screen with `status` and returns the last one.
PngImage renderStatus(const ccoc::host::StatusInfo& status)
{
    const ccoc::test::TempDir dir("ccoc-status-bar");
    const auto loaded = ccoc::site::parseSite(
        R"([site]
name = "สถานีทดสอบ"
name_en = "Test station"
station_code = "TST"

[ui]
language = "en"
font_size = 16

[[screen]]
id = "desk"
x = 0
y = 0
width = 1000
height = 300
fullscreen = false
)",
        dir + "/site.toml");
    for (const auto& error : loaded.errors) {
        UNSCOPED_INFO(error.format());
    }
    REQUIRE(loaded.ok());
    const auto& site = *loaded.site;
    ccoc::host::ScreenWindow window(site.screens.front(), site, nullptr, true);
    ccoc::host::pinGraphicsDriverModules();
    const std::string path = dir + "/desk.png";
    for (int frame = 0; frame < 3; ++frame) {
        glfwPollEvents();
        REQUIRE(window.renderFrame(status, frame * 0.1, frame == 2 ? path : std::string()));
    }
    return PngImage::load(path);
}

}  // namespace

TEST_CASE("alarm_panel/status bar: alarm chips by priority, solid while unacknowledged, none without a service")
{
    ccoc::test::XvfbServer xvfb(kWidth, kHeight);
    REQUIRE(setenv("DISPLAY", xvfb.display().c_str(), 1) == 0);
    REQUIRE(glfwInit() == GLFW_TRUE);
    const Rgb red{235, 50, 45}, orange{245, 140, 30}, yellow{240, 215, 40}, blue{60, 130, 240};
    const auto inBar = [](const PngImage& shot, Rgb colour) {
        return shot.fractionNear(0, shot.height - kBarHeight, shot.width, shot.height, colour, 10);
    };

    ccoc::host::StatusInfo status;
    status.siteName = "Test station";
    status.busState = "bus: ok";
    status.busHealthy = true;
    SECTION("no alarm service: no chips")
    {
        const PngImage shot = renderStatus(status);
        CHECK(inBar(shot, red) < 0.0005);
        CHECK(inBar(shot, yellow) < 0.0005);
    }
    SECTION("P1 2 (1 new), P3 1 all acknowledged, P4 1 new")
    {
        ccoc::host::AlarmChips chips;
        chips.open = {2, 0, 1, 1, 0};
        chips.unacknowledged = {1, 0, 0, 1, 0};
        status.alarms = chips;
        const PngImage shot = renderStatus(status);
        // Solid chips fill most of their box; an outline only its frame and text.
        const double solidRed = inBar(shot, red);
        const double solidBlue = inBar(shot, blue);
        const double outlineYellow = inBar(shot, yellow);
        CHECK(solidRed > 0.01);
        CHECK(solidBlue > 0.01);
        CHECK(outlineYellow > 0.0005);
        CHECK(outlineYellow < solidRed / 3);
        CHECK(inBar(shot, orange) < 0.0005);  // no P2 open
        // Nothing of it above the bar.
        CHECK(shot.fractionNear(0, 0, shot.width, shot.height - kBarHeight - 2, red, 10) < 0.0005);
    }
    SECTION("the alarm journal cannot be written: a red chip even without a P1 alarm")
    {
        ccoc::host::AlarmChips chips;
        chips.open = {0, 0, 0, 1, 0};
        chips.unacknowledged = {0, 0, 0, 1, 0};
        const double redWithout = inBar(renderStatus([&] {
            status.alarms = chips;
            return status;
        }()), red);
        chips.journalFault = true;
        chips.notStored = 3;
        status.alarms = chips;
        const PngImage shot = renderStatus(status);
        CHECK(redWithout < 0.0005);
        CHECK(inBar(shot, red) > 0.01);
        CHECK(inBar(shot, blue) > 0.01); // the priority chips still there beside it
    }
    glfwTerminate();
}
