// Site files that load: the demo, the examples, passwords from the environment, settings and
// plugin paths.
#include "site_test_support.hpp"

#include "demo_site.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

using ccoc::site::loadSiteFile;
using ccoc::site::parseSite;
using ccoc::site::test::errorsOf;
using ccoc::site::test::formatted;
using ccoc::site::test::withHead;
using Lines = std::vector<std::string>;

TEST_CASE("site/demo-loads") {
    // With the keys ./ccoc demo makes: the demo's bus runs with CURVE.
    const ccoc::test::DemoSite demo;
    auto result = loadSiteFile(demo.sitePath());
    REQUIRE(formatted(result) == Lines{});
    REQUIRE(result.ok());
    const ccoc::site::Site& site = *result.site;
    CHECK(site.info.name == "สถานีตำรวจนครบาลลุมพินี");
    CHECK(site.info.nameEn == "Lumphini Metropolitan Police Station");
    REQUIRE(site.screens.size() == 2);
    const auto* wall = site.findScreen("wall-1");
    const auto* desk = site.findScreen("desk");
    REQUIRE(wall != nullptr);
    REQUIRE(desk != nullptr);
    CHECK((wall->x == 0 && wall->width == 1920 && wall->height == 1080 && !wall->fullscreen));
    CHECK((desk->x == 1920 && desk->width == 1920 && desk->height == 1080 && !desk->fullscreen));
    CHECK_FALSE(wall->monitor.has_value());
    const auto* wallLayout = site.findLayout("wall-1");
    REQUIRE(wallLayout != nullptr);
    CHECK((wallLayout->columns == 3 && wallLayout->rows == 2));
    REQUIRE(wallLayout->regions.size() == 3);
    CHECK(site.findPanel(wallLayout->regions[0].panel)->type == "camera.wall");
    CHECK(site.findPanel(wallLayout->regions[1].panel)->type == "system.info");
    CHECK(site.findPanel(wallLayout->regions[2].panel)->type == "system.plugins");
    CHECK(wallLayout->regions[2].column == 2);
    const auto* deskLayout = site.findLayout("desk");
    REQUIRE(deskLayout != nullptr);
    REQUIRE(deskLayout->regions.size() == 5);
    CHECK(site.findPanel(deskLayout->regions[1].panel)->type == "alarm.list");
    CHECK(site.findPanel(deskLayout->regions[3].panel)->type == "bus.status");
    CHECK(site.findPanel(deskLayout->regions[4].panel)->type == "system.info");
    CHECK(site.cameras.size() == 4);
    CHECK(site.findCamera("cam2")->ptz);
    CHECK(site.findCamera("cam1")->subUrl == "rtsp://127.0.0.1:8554/cam1/sub");
    CHECK(site.devices.size() == 10);
    REQUIRE(site.plugins.size() == 4);
    CHECK(site.plugins[0].id == "system");
    CHECK(site.plugins[0].enabled);
    CHECK(site.plugins[1].id == "bus");
    CHECK(site.plugins[2].id == "camera_wall");
    CHECK(site.plugins[3].id == "alarms");
    REQUIRE(site.drivers.size() == 2);
    CHECK(site.drivers[0].id == "sim-1");
    CHECK(site.drivers[0].plugin == "sim");
    CHECK(site.drivers[1].id == "mqtt-1");
    CHECK(site.drivers[1].plugin == "mqtt");
    // The alarm service in the host, journals beside the build, rules that push to the wall.
    CHECK(site.alarmServiceMode() == ccoc::site::AlarmServiceMode::Embedded);
    CHECK(site.alarms.journal.ends_with("/build/demo-data/alarms.sqlite"));
    CHECK(site.bus.journal.ends_with("/build/demo-data/bus.sqlite"));
    CHECK(site.alarms.alarmScreen == "wall-1");
    REQUIRE(site.alarmRules.size() == 2);
    CHECK(site.alarmRules[0].id == "panic-to-wall");
    CHECK(site.alarmRules[0].types == std::vector<std::string>{"panic", "duress"});
    CHECK(site.alarmRules[1].maxPriority == 2);
    CHECK(site.pluginSearchPath.empty());
    // CURVE, each public key read from the pair file the setup made: the broker, the host and one
    // [[bus.allow]] entry per peer the demo runs.
    CHECK(site.bus.curve);
    REQUIRE(site.bus.allow.size() == 6);
    CHECK(site.bus.allow[0].name == "host");
    CHECK(site.bus.clientPublicKey == site.bus.allow[0].publicKey);
    CHECK(site.bus.serverSecretKeyFile.ends_with("/build/demo-data/keys/broker.key"));
    for (const auto& entry : site.bus.allow) {
        INFO(entry.name);
        CHECK(entry.publicKey.size() == 40);
        CHECK(entry.secretKeyFile == std::filesystem::path(demo.keyFile(entry.name)).lexically_normal().string());
    }
}

TEST_CASE("site/minimal-example-loads") {
    auto result = loadSiteFile(std::string(CCOC_SOURCE_DIR) + "/configs/examples/minimal.toml");
    REQUIRE(formatted(result) == Lines{});
    CHECK(result.site->screens.size() == 1);
    CHECK(result.site->ui.language == "th");
    CHECK(result.site->ui.fontSizePx == 18.0f);
}

TEST_CASE("site/password-env-read") {
    REQUIRE(::setenv("CCOC_TEST_CAM_PASSWORD", "s3cret-ไทย", 1) == 0);
    auto result = parseSite(withHead("[[camera]]\nid = \"cam1\"\nname = \"กล้อง\"\nurl = \"rtsp://h/1\"\n"
                                     "username = \"viewer\"\npassword_env = \"CCOC_TEST_CAM_PASSWORD\"\n"),
                            "site.toml");
    ::unsetenv("CCOC_TEST_CAM_PASSWORD");
    REQUIRE(formatted(result) == Lines{});
    const auto* camera = result.site->findCamera("cam1");
    REQUIRE(camera != nullptr);
    CHECK(camera->password == "s3cret-ไทย");
    CHECK(camera->passwordEnv == "CCOC_TEST_CAM_PASSWORD");
    CHECK(camera->username == "viewer");
}

TEST_CASE("site/password-env-missing") {
    ::unsetenv("CCOC_TEST_UNSET_PASSWORD");
    CHECK(errorsOf(withHead("[[camera]]\nid = \"cam1\"\nname = \"กล้อง\"\nurl = \"rtsp://h/1\"\n"
                            "password_env = \"CCOC_TEST_UNSET_PASSWORD\"\n")) ==
          Lines{"site.toml:14:16: environment variable 'CCOC_TEST_UNSET_PASSWORD' named by 'password_env' is not set; "
                "expected the variable set in the environment of the program that loads the site"});
}

TEST_CASE("site/settings-flattened") {
    auto result = parseSite(withHead("[[panel]]\nid = \"info\"\ntype = \"system.info\"\n"
                                     "[panel.settings]\nrefresh_ms = 500\nlabel = \"สถานะ\"\nscale = 1.5\n"
                                     "show = true\nsince = 2026-11-27\nlist = [1, 2]\n"
                                     "[panel.settings.stream]\nfps = 15\n"),
                            "site.toml");
    REQUIRE(formatted(result) == Lines{});
    const auto& settings = result.site->findPanel("info")->settings;
    using Value = ccoc::site::SettingValue;
    const std::map<std::string, Value> expected{{"refresh_ms", Value{int64_t{500}}},
                                                {"label", Value{std::string("สถานะ")}},
                                                {"scale", Value{1.5}},
                                                {"show", Value{true}},
                                                {"since", Value{std::string("2026-11-27")}},
                                                {"stream.fps", Value{int64_t{15}}}};
    CHECK(settings.values == expected);
    CHECK(settings.json == "{\n    \"label\" : \"สถานะ\",\n    \"list\" : [\n        1,\n        2\n    ],\n"
                           "    \"refresh_ms\" : 500,\n    \"scale\" : 1.5,\n    \"show\" : true,\n"
                           "    \"since\" : \"2026-11-27\",\n    \"stream\" : {\n        \"fps\" : 15\n    }\n}");
    // Without a settings table: nothing flat, an empty JSON object.
    auto bare = parseSite(withHead("[[panel]]\nid = \"info\"\ntype = \"system.info\"\n"), "site.toml");
    REQUIRE(bare.ok());
    CHECK(bare.site->findPanel("info")->settings.values.empty());
    CHECK(bare.site->findPanel("info")->settings.json == "{}");
}

TEST_CASE("site/relative-paths-resolved") {
    const std::filesystem::path dataDir = std::filesystem::path(CCOC_SOURCE_DIR) / "tests/site/data";
    auto result = loadSiteFile((dataDir / "plugin_paths.toml").string());
    REQUIRE(formatted(result) == Lines{});
    const auto& site = *result.site;
    CHECK(site.pluginSearchPath ==
          Lines{(dataDir / "plugins").lexically_normal().string(), (dataDir.parent_path() / "shared").lexically_normal().string(),
                "/opt/vendor/ccoc-plugins"});
    REQUIRE(site.plugins.size() == 2);
    CHECK(site.plugins[0].id == "system");
    CHECK(site.plugins[1].path == (dataDir / "vendor/lights.so").lexically_normal().string());
    CHECK_FALSE(site.plugins[1].enabled);
    CHECK(site.plugins[1].settings.values.at("controller.port") == ccoc::site::SettingValue{int64_t{7000}});
    CHECK(site.ui.font == (dataDir / "fonts/thai.ttf").lexically_normal().string());
    CHECK(site.ui.language == "en");
    // A relative site-file name resolves against the current directory.
    auto relative = parseSite("plugin_path = [\"p\"]\n" + withHead(""), "sites/a.toml");
    REQUIRE(formatted(relative) == Lines{});
    CHECK(relative.site->pluginSearchPath ==
          Lines{(std::filesystem::current_path() / "sites/p").lexically_normal().string()});
}

TEST_CASE("site/find-by-id") {
    auto result = parseSite(withHead("[[panel]]\nid = \"info\"\ntype = \"system.info\"\n"), "site.toml");
    REQUIRE(result.ok());
    const auto& site = *result.site;
    CHECK(site.findScreen("main") == &site.screens[0]);
    CHECK(site.findScreen("nope") == nullptr);
    CHECK(site.findPanel("info") == &site.panels[0]);
    CHECK(site.findLayout("main") == nullptr);
    CHECK(site.findCamera("info") == nullptr);
    CHECK(site.screens[0].pos.line == 6);
    CHECK(site.screens[0].pos.file == "site.toml");
}

TEST_CASE("site/diagnostic-format") {
    using ccoc::site::Diagnostic;
    CHECK(Diagnostic{{"a.toml", 3, 7}, "bad thing", "a good thing"}.format() == "a.toml:3:7: bad thing; expected a good thing");
    CHECK(Diagnostic{{"a.toml", 3, 7}, "bad thing", ""}.format() == "a.toml:3:7: bad thing");
    CHECK(Diagnostic{{"a.toml", 0, 0}, "cannot read: Permission denied", ""}.format() ==
          "a.toml: cannot read: Permission denied");
}

TEST_CASE("site/bus-section-reserved") {
    // [bus] is read by section_bus.cpp (its keys are tested in tests/bus); it must be a table.
    CHECK(errorsOf(withHead("[bus]\nfrontend = \"tcp://127.0.0.1:5555\"\n")).empty());
    CHECK(errorsOf("bus = 1\n" + withHead("")) ==
          Lines{"site.toml:1:7: 'bus' must be a table, not an integer; expected a [bus] section"});
}
