// Site files: one test per kind of error inside a single table, each asserting the exact message.
#include "site_test_support.hpp"

#include <catch2/catch.hpp>

using ccoc::site::loadSiteFile;
using ccoc::site::test::errorsOf;
using ccoc::site::test::formatted;
using ccoc::site::test::withHead;
using Lines = std::vector<std::string>;

TEST_CASE("site/syntax-error") {
    CHECK(errorsOf("[site]\nname = \n") ==
          Lines{"site.toml:2:8: invalid TOML: Error while parsing key-value pair: expected value, saw '\\n'"});
}

TEST_CASE("site/unreadable-file") {
    const std::string missing = std::string(CCOC_SOURCE_DIR) + "/tests/site/data/does-not-exist.toml";
    auto result = loadSiteFile(missing);
    CHECK_FALSE(result.ok());
    CHECK(formatted(result) == Lines{missing + ": cannot read: No such file or directory"});
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].where.line == 0);
}

TEST_CASE("site/unknown-key") {
    CHECK(errorsOf(withHead("fulscreen = true\n")) ==
          Lines{"site.toml:10:1: unknown key 'fulscreen' in [[screen]]; expected one of: id, title, title_en, monitor, "
                "x, y, width, height, fullscreen"});
}

TEST_CASE("site/unknown-top-level-key") {
    CHECK(errorsOf("screens = 1\n" + withHead("")) ==
          Lines{"site.toml:1:1: unknown top-level key 'screens'; expected one of: site, ui, plugin_path, screen, "
                "layout, panel, camera, device, plugin, driver, service, bus, alarms, alarm_rule"});
}

TEST_CASE("site/wrong-type") {
    CHECK(errorsOf(withHead("fullscreen = \"yes\"\n[ui]\nfont_size = \"big\"\n")) ==
          Lines{"site.toml:10:14: 'fullscreen' must be a boolean, not a string; expected true or false",
                "site.toml:12:13: 'font_size' must be a number, not a string; expected a number from 8 to 72"});
    CHECK(errorsOf("[site]\nname = 1\nname_en = \"x\"\nstation_code = \"y\"\n[[screen]]\nid = \"s\"\nwidth = \"wide\"\n") ==
          Lines{"site.toml:2:8: 'name' must be a string, not an integer; expected a quoted string, e.g. name = \"...\"",
                "site.toml:7:9: 'width' must be an integer, not a string; expected an integer from 1 to 16384"});
}

TEST_CASE("site/wrong-section-shape") {
    CHECK(errorsOf("site = 3\n[screen]\nid = \"s\"\n") ==
          Lines{"site.toml:1:8: 'site' must be a table, not an integer; expected a [site] section",
                "site.toml:2:1: 'screen' must be an array of tables, not a table; expected [[screen]] sections, one "
                "per item"});
}

TEST_CASE("site/out-of-range") {
    CHECK(errorsOf(withHead("x = 200000\n[ui]\nfont_size = 7.5\n")) ==
          Lines{"site.toml:10:5: 'x' is 200000, out of range; expected an integer from -100000 to 100000",
                "site.toml:12:13: 'font_size' is 7.5, out of range; expected a number from 8 to 72"});
}

TEST_CASE("site/missing-required-key") {
    CHECK(errorsOf("[site]\nname = \"x\"\n[[screen]]\nwidth = 5\n") ==
          Lines{"site.toml:1:1: missing required key 'name_en' in [site]; expected a quoted string, e.g. name_en = "
                "\"...\"",
                "site.toml:1:1: missing required key 'station_code' in [site]; expected a quoted string, e.g. "
                "station_code = \"...\"",
                "site.toml:3:1: missing required key 'id' in [[screen]]; expected an id of lowercase letters, digits, "
                "'_', '.' and '-' that starts with a letter or digit, at most 64 characters"});
}

TEST_CASE("site/missing-site-section") {
    CHECK(errorsOf("[[screen]]\nid = \"main\"\n") ==
          Lines{"site.toml:1:1: missing required section [site]; expected a [site] table with name, name_en and "
                "station_code"});
}

TEST_CASE("site/empty-required-string") {
    CHECK(errorsOf(withHead("[[camera]]\nid = \"cam1\"\nname = \"\"\nurl = \"rtsp://h/1\"\n")) ==
          Lines{"site.toml:12:8: 'name' must not be empty; expected a non-empty string"});
}

TEST_CASE("site/invalid-id") {
    const std::string expected = "expected an id of lowercase letters, digits, '_', '.' and '-' that starts with a "
                                 "letter or digit, at most 64 characters";
    CHECK(errorsOf(withHead("[[panel]]\nid = \"Info Panel\"\ntype = \"system.info\"\n")) ==
          Lines{"site.toml:11:6: 'id' is 'Info Panel', which is not a valid id; " + expected});
    CHECK(errorsOf(withHead("[[panel]]\nid = \"-info\"\ntype = \"system.info\"\n")) ==
          Lines{"site.toml:11:6: 'id' is '-info', which is not a valid id; " + expected});
    const std::string longId(65, 'a');
    CHECK(errorsOf(withHead("[[panel]]\nid = \"" + longId + "\"\ntype = \"system.info\"\n")) ==
          Lines{"site.toml:11:6: 'id' is '" + longId + "', which is not a valid id; " + expected});
    CHECK(errorsOf(withHead("[[panel]]\nid = \"" + longId.substr(1) + "\"\ntype = \"system.info\"\n")).empty());
}

TEST_CASE("site/value-not-allowed") {
    CHECK(errorsOf(withHead("[ui]\nlanguage = \"fr\"\n[[device]]\nid = \"d1\"\nname = \"ไฟ\"\nkind = \"lamp\"\n")) ==
          Lines{"site.toml:11:12: 'language' is 'fr', which is not allowed; expected one of: th, en",
                "site.toml:15:8: 'kind' is 'lamp', which is not allowed; expected one of: sensor, alarm_panel, light, "
                "camera_io, other"});
}

TEST_CASE("site/monitor-and-geometry") {
    // The head's screen has width and height; adding a monitor conflicts with both.
    CHECK(errorsOf(withHead("monitor = 1\n")) ==
          Lines{"site.toml:8:9: 'width' cannot be combined with 'monitor' in [[screen]]; expected either monitor = "
                "INDEX, or x, y, width and height",
                "site.toml:9:10: 'height' cannot be combined with 'monitor' in [[screen]]; expected either monitor = "
                "INDEX, or x, y, width and height"});
    CHECK(errorsOf(withHead("[[screen]]\nid = \"wall\"\nmonitor = 1\nfullscreen = true\n")).empty());
}

TEST_CASE("site/plugin-id-or-path") {
    CHECK(errorsOf(withHead("[[plugin]]\nid = \"a\"\npath = \"a.so\"\n[[plugin]]\nenabled = false\n")) ==
          Lines{"site.toml:12:8: 'path' cannot be combined with 'id' in [[plugin]]; expected exactly one of: id (a "
                "plugin found on plugin_path) or path (a plugin file)",
                "site.toml:13:1: [[plugin]] has neither 'id' nor 'path'; expected exactly one of: id (a plugin found "
                "on plugin_path) or path (a plugin file)"});
}

TEST_CASE("site/position-checks") {
    const std::string expected =
        "expected [latitude, longitude] with latitude from -90 to 90 and longitude from -180 to 180";
    CHECK(errorsOf(withHead("[[camera]]\nid = \"c\"\nname = \"n\"\nurl = \"rtsp://h/u\"\nposition = [95, 200.5]\n")) ==
          Lines{"site.toml:14:13: latitude in 'position' is 95, out of range; " + expected,
                "site.toml:14:17: longitude in 'position' is 200.5, out of range; " + expected});
    CHECK(errorsOf(withHead("[[camera]]\nid = \"c\"\nname = \"n\"\nurl = \"rtsp://h/u\"\nposition = [13.7]\n")) ==
          Lines{"site.toml:14:12: 'position' has 1 elements, not 2; " + expected});
    CHECK(errorsOf(withHead("[[camera]]\nid = \"c\"\nname = \"n\"\nurl = \"rtsp://h/u\"\nposition = [\"13.7\", 100]\n")) ==
          Lines{"site.toml:14:13: latitude in 'position' must be a number, not a string; " + expected});
}

TEST_CASE("site/password-and-password-env") {
    CHECK(errorsOf(withHead("[[camera]]\nid = \"c\"\nname = \"n\"\nurl = \"rtsp://h/u\"\npassword = \"p\"\n"
                            "password_env = \"CAM_PASSWORD\"\n")) ==
          Lines{"site.toml:15:16: 'password_env' cannot be combined with 'password' in [[camera]]; expected either "
                "password = \"...\" or password_env = \"NAME_OF_VARIABLE\""});
    CHECK(errorsOf(withHead("[[camera]]\nid = \"c\"\nname = \"n\"\nurl = \"rtsp://h/u\"\npassword_env = \"1-bad\"\n")) ==
          Lines{"site.toml:14:16: 'password_env' of [[camera]] is not a name of an environment variable (its value "
                "is not shown: it may be a password); expected the name of an environment variable: upper-case "
                "letters, digits and '_', not starting with a digit, e.g. CAM1_PASSWORD"});
}
