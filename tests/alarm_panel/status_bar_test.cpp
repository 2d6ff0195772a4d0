// The status bar's alarm chips: the alarms plugin's status-bar item ("ccoc.status-item/1"), loaded
// from the real alarms.so by the host's PluginLoader and drawn by the host's real ScreenWindow in
// a window of a private Xvfb, from a real bus (a broker, a peer in the alarm service's part, the
// host's mirror and "ccoc.bus/1"). One chip per priority with open alarms in the alarm colours,
// solid while any is unacknowledged, an outline once all are acknowledged, a red chip for a journal
// fault, and nothing without an alarm service.
#include <catch2/catch.hpp>

#include "alarm_fixture.hpp"
#include "driver_pinning.hpp"
#include "host_environment.hpp"
#include "plugin_loader.hpp"
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

const Rgb kRed{235, 50, 45}, kOrange{245, 140, 30}, kYellow{240, 215, 40}, kBlue{60, 130, 240};

double inBar(const PngImage& shot, Rgb colour)
{
    return shot.fractionNear(0, shot.height - kBarHeight, shot.width, shot.height, colour, 10);
}

// One screen of a site that loads the alarms plugin, on `bus`, rendered frame after frame until
// `done` says the last frame shows what the test waits for (or 10 s); returns that frame.
PngImage renderStatus(ccoc::test::AlarmBus& bus, const std::function<bool(const PngImage&)>& done)
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
    ccoc::host::HostEnvironment environment(&site);
    ccoc::host::PluginLoader loader(environment, {CCOC_PLUGIN_DIR});
    environment.setLoader(&loader);
    environment.setBusService(ccoc::test::AlarmBus::table());
    ccoc::host::ScreenWindow window(site.screens.front(), site, nullptr, true);
    ccoc::host::pinGraphicsDriverModules();
    const auto& record = loader.loadFile(std::string(CCOC_PLUGIN_DIR) + "/alarms.so");
    REQUIRE(record.state == CCOC_PLUGIN_LOADED);
    ccoc::host::StatusInfo status;
    status.siteName = "Test station";
    status.busState = "bus: ok";
    status.busHealthy = true;
    status.items = loader.statusItems();
    REQUIRE(status.items.size() == 1);
    const std::string path = dir + "/desk.png";
    std::optional<PngImage> last;
    bus.until(
        [&](double now) {
            glfwPollEvents();
            REQUIRE(window.renderFrame(status, now, path));
            last = PngImage::load(path);
        },
        [&] { return last && done(*last); });
    loader.shutdownAll();
    REQUIRE(last);
    return *last;
}

}  // namespace

TEST_CASE("alarm_panel/status bar: alarm chips by priority, solid while unacknowledged, none without a service")
{
    ccoc::test::XvfbServer xvfb(kWidth, kHeight);
    REQUIRE(setenv("DISPLAY", xvfb.display().c_str(), 1) == 0);
    REQUIRE(glfwInit() == GLFW_TRUE);
    ccoc::test::AlarmBus bus;
    SECTION("no alarm service: no chips")
    {
        int frames = 0;
        const PngImage shot = renderStatus(bus, [&](const PngImage&) { return ++frames >= 10; });
        CHECK(inBar(shot, kRed) < 0.0005);
        CHECK(inBar(shot, kYellow) < 0.0005);
    }
    SECTION("P1 2 (1 new), P3 1 all acknowledged, P4 1 new")
    {
        auto record = [](const std::string& id, int priority, const std::string& state) {
            auto json = ccoc::test::alarmRecord(id, priority, "intrusion", "door-" + id, 1);
            json["state"] = state;
            return json;
        };
        bus.service().raise(record("a1", 1, "new"));
        bus.service().raise(record("a2", 1, "acknowledged"));
        bus.service().raise(record("a3", 3, "acknowledged"));
        bus.service().raise(record("a4", 4, "new"));
        const PngImage shot = renderStatus(bus, [](const PngImage& frame) {
            return inBar(frame, kRed) > 0.01 && inBar(frame, kBlue) > 0.01;
        });
        // Solid chips fill most of their box; an outline only its frame and text.
        const double solidRed = inBar(shot, kRed);
        const double solidBlue = inBar(shot, kBlue);
        const double outlineYellow = inBar(shot, kYellow);
        CHECK(solidRed > 0.01);
        CHECK(solidBlue > 0.01);
        CHECK(outlineYellow > 0.0005);
        CHECK(outlineYellow < solidRed / 3);
        CHECK(inBar(shot, kOrange) < 0.0005);  // no P2 open
        // Nothing of it above the bar.
        CHECK(shot.fractionNear(0, 0, shot.width, shot.height - kBarHeight - 2, kRed, 10) < 0.0005);
    }
    SECTION("the alarm journal cannot be written: a red chip even without a P1 alarm")
    {
        auto json = ccoc::test::alarmRecord("b1", 4, "intrusion", "door-b1", 1);
        json["state"] = "new";
        bus.service().raise(json);
        const double redWithout =
            inBar(renderStatus(bus, [](const PngImage& frame) { return inBar(frame, kBlue) > 0.01; }), kRed);
        bus.service().journalHealth(false, 3);
        const PngImage shot = renderStatus(bus, [](const PngImage& frame) { return inBar(frame, kRed) > 0.01; });
        CHECK(redWithout < 0.0005);
        CHECK(inBar(shot, kRed) > 0.01);
        CHECK(inBar(shot, kBlue) > 0.01); // the priority chips still there beside it
    }
    glfwTerminate();
}
