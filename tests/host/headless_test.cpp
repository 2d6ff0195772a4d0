// The real host, under a private Xvfb, with a two-screen site: it renders, writes one PNG per
// screen, puts each panel where the layout says, and keeps running past refused plugins.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include "child_process.hpp"
#include "demo_site.hpp"
#include "png_image.hpp"
#include "xvfb_server.hpp"

using namespace std::chrono_literals;
using ccoc::test::ChildProcess;
using ccoc::test::PngImage;
using ccoc::test::Rgb;

namespace {

const std::string kHost = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-host";
const std::string kSite = std::string(CCOC_SOURCE_DIR) + "/tests/host/data/two_screens.toml";
const std::string kTestPlugins = std::string(CCOC_BINARY_DIR) + "/test-plugins";

} // namespace

TEST_CASE("host/headless two screens: one PNG per screen, panels where the layout puts them")
{
    ccoc::test::XvfbServer xvfb;
    const ccoc::test::TempDir shots("ccoc-shots");
    ChildProcess host({kHost, "--config", kSite, "--frames", "20", "--screenshot-dir", shots, "--plugin-path", kTestPlugins},
                      {{"DISPLAY", xvfb.display()}});
    const auto code = host.wait(60s);
    INFO(host.output());
    REQUIRE(code.has_value());
    REQUIRE(*code == 0);

    const PngImage left = PngImage::load(shots + "/left.png");
    const PngImage right = PngImage::load(shots + "/right.png");
    CHECK(left.width == 800);
    CHECK(left.height == 600);
    CHECK(right.width == 640);
    CHECK(right.height == 480);

    // Left screen, 2x1: red fills most of the left half, blue the right half, not the other way.
    const Rgb red{220, 30, 30}, blue{30, 60, 220}, green{30, 200, 60};
    CHECK(left.fractionNear(20, 60, 380, 540, red) > 0.9);
    CHECK(left.fractionNear(420, 60, 780, 540, blue) > 0.9);
    CHECK(left.fractionNear(420, 60, 780, 540, red) < 0.01);
    CHECK(left.fractionNear(20, 60, 380, 540, blue) < 0.01);
    // Status bar along the bottom: not a panel colour, and carries text (many colours).
    CHECK(left.fractionNear(0, 575, 800, 600, red) < 0.01);
    CHECK(left.distinctColours(0, 572, 800, 600) > 8);

    // Right screen, 2x2: info spans the top row (text: many colours, no fill colour), green at
    // bottom-left, the missing panel type at bottom-right shows its problem instead of a fill.
    CHECK(right.distinctColours(10, 30, 630, 200) > 8);
    CHECK(right.fractionNear(10, 30, 630, 200, green) < 0.01);
    CHECK(right.fractionNear(20, 260, 300, 430, green) > 0.85);
    CHECK(right.fractionNear(340, 260, 620, 430, green) < 0.01);
    CHECK(right.distinctColours(340, 240, 620, 440) > 2);

    // The refused plugins were logged with their reasons, and the missing panel type too.
    const std::string log = host.output();
    CHECK(log.find("refused plugin test_abi_major") != std::string::npos);
    CHECK(log.find("built for plugin ABI 2.0, host speaks 1.0") != std::string::npos);
    CHECK(log.find("refused plugin missing_plugin: not found") != std::string::npos);
    CHECK(log.find("panel 'ghost': panel type 'no.such.panel' is not offered by any loaded plugin") != std::string::npos);
}

TEST_CASE("host/refuses to start on a site file with errors, exit 2, nothing opened")
{
    const ccoc::test::TempDir dir("ccoc-bad-site");
    const std::string bad = dir + "/bad.toml";
    {
        std::FILE* f = std::fopen(bad.c_str(), "w");
        REQUIRE(f != nullptr);
        std::fputs("[site]\nname = \"x\"\nstation_code = 5\n", f);
        std::fclose(f);
    }
    // No DISPLAY at all: if the host got as far as opening windows it would fail differently.
    ChildProcess host({kHost, "--config", bad}, {{"DISPLAY", ""}});
    const auto code = host.wait(20s);
    INFO(host.output());
    REQUIRE(code.has_value());
    CHECK(*code == 2);
    CHECK(host.output().find(bad + ":3:16: ") != std::string::npos);
    CHECK(host.output().find("refusing to start") != std::string::npos);
}

TEST_CASE("host/--check prints ok for the demo site")
{
    const ccoc::test::DemoSite demo; // with the keys ./ccoc demo makes
    ChildProcess check({kHost, "--check", demo.sitePath()});
    const auto code = check.wait(20s);
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    // Every plugin, driver and service of the demo declares its settings: nothing to warn about.
    CHECK(check.output() == "ok\n");
}
