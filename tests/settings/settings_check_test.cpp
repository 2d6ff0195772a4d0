// The validator: every mistake of a settings table at once, each at its FILE:LINE:COL.
#include "ccoc/settings_check.hpp"

#include "site_test_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace ccoc::settings;

namespace {

// A site whose first [[panel]] ("p", line 11) carries `settings` on line 14; two cameras.
std::string siteWith(const std::string& settings)
{
    return ccoc::site::test::withHead("\n[[panel]]\nid = \"p\"\ntype = \"test.panel\"\n" + settings +
                                      "\n\n[[camera]]\nid = \"cam1\"\nname = \"หนึ่ง\"\nurl = \"rtsp://127.0.0.1/1\"\n"
                                      "\n[[camera]]\nid = \"cam2\"\nname = \"สอง\"\nurl = \"rtsp://127.0.0.1/2\"\n");
}

const Declaration& testPanel()
{
    static const Declaration declaration =
        Declaration::panel("test.panel", "A panel for the tests")
            .integer("port", "TCP port").range(1, 65535).byDefault("7000")
            .string("label", "A label").byDefault("\"x\"")
            .choice("layout", {"1", "2x2", "3x3"}, "Arrangement").byDefault("\"2x2\"")
            .strings("cameras", "Camera per tile").references(Reference::Camera).byDefault("[]")
            .boolean("details", "Show details").byDefault("false")
            .duration("repeat_s", "Repeat").atLeast(2)
            .tables("tours", "Tours").byDefault("[]")
            .integer("tours.*.tile", "Tile, from 1").atLeast(1).required()
            .strings("tours.*.cameras", "Cameras of the tour").references(Reference::Camera)
            .table("accounts", "Accounts by number")
            .envName("accounts.*.key_env", "Variable with the key").required()
            .url("url", {"rtsp", "http"}, "Where")
            .listenAddress("listen", "Where it listens")
            .string("stream.name", "A nested key")
            .string("wall", "A wall device").references(Reference::Wall);
    return declaration;
}

std::vector<std::string> checked(const std::string& settingsLine)
{
    const auto result = ccoc::site::parseSite(siteWith(settingsLine), "site.toml");
    REQUIRE(result.ok());
    const auto ids = SiteIds::of(*result.site);
    std::vector<std::string> lines;
    for (const auto& diagnostic : check(testPanel(), result.site->panels.at(0).settings, ids, "[[panel]] 'p'")) {
        lines.push_back(diagnostic.format());
    }
    return lines;
}

} // namespace

TEST_CASE("settings/valid_settings_pass", "[settings]")
{
    CHECK(checked("settings = { port = 80, layout = \"3x3\", cameras = [\"cam1\", \"\", \"cam2\"], details = true, "
                  "tours = [{ tile = 2, cameras = [\"cam2\"] }], accounts = { \"1234\" = { key_env = \"SIA_KEY_1234\" } }, "
                  "url = \"rtsp://user:pw@10.0.0.1:554/s\", listen = \"0.0.0.0:15591\", stream = { name = \"a\" }, "
                  "repeat_s = 2.5 }")
              .empty());
    CHECK(checked("").empty());
}

TEST_CASE("settings/unknown_key_with_did_you_mean", "[settings]")
{
    const auto lines = checked("settings = { prot = 15591 }");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "site.toml:14:21: unknown setting 'prot' in the settings of [[panel]] 'p' (did you mean 'port'?); "
                      "expected one of: accounts, cameras, details, label, layout, listen, port, repeat_s, stream, tours, "
                      "url, wall");
}

TEST_CASE("settings/unknown_nested_key_lists_its_level", "[settings]")
{
    const auto lines = checked("settings = { stream = { nmae = \"a\" } }");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "site.toml:14:32: unknown setting 'stream.nmae' in the settings of [[panel]] 'p' (did you mean "
                      "'stream.name'?); expected one of: name");
}

TEST_CASE("settings/camera_ids_are_strings", "[settings]")
{
    const auto lines = checked("settings = { cameras = [1, 2] }");
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "site.toml:14:25: 'cameras[0]' of [[panel]] 'p' is 1, an integer; expected a [[camera]] id (a string)");
    CHECK(lines[1] == "site.toml:14:28: 'cameras[1]' of [[panel]] 'p' is 2, an integer; expected a [[camera]] id (a string)");
}

TEST_CASE("settings/unknown_camera_id", "[settings]")
{
    const auto lines = checked("settings = { cameras = [\"cam1\", \"cam9\"] }");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "site.toml:14:33: 'cameras[1]' of [[panel]] 'p' is \"cam9\", a string, which is no [[camera]] of "
                      "the site; expected one of: cam1, cam2");
}

TEST_CASE("settings/every_error_at_once_in_file_order", "[settings]")
{
    const auto lines = checked("settings = { port = 0, layout = \"4x4\", details = \"yes\", repeat_s = 1, label = 3, "
                               "wall = \"wall.nope\" }");
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == "site.toml:14:21: 'port' of [[panel]] 'p' is 0, an integer, below 1; expected an integer from 1 to 65535");
    CHECK(lines[1] == "site.toml:14:33: 'layout' of [[panel]] 'p' is \"4x4\", a string, not one of the choices; expected "
                      "one of: 1, 2x2, 3x3");
    CHECK(lines[2] == "site.toml:14:50: 'details' of [[panel]] 'p' is \"yes\", a string; expected true or false");
    CHECK(lines[3] == "site.toml:14:68: 'repeat_s' of [[panel]] 'p' is 1, an integer, below 2; expected a duration (a "
                      "number >= 0) from 2");
    CHECK(lines[4] == "site.toml:14:79: 'label' of [[panel]] 'p' is 3, an integer; expected a string");
    CHECK(lines[5].starts_with("site.toml:14:89: 'wall' of [[panel]] 'p' is \"wall.nope\", a string, which is no camera wall"));
}

TEST_CASE("settings/choice_near_miss_gets_a_hint", "[settings]")
{
    const auto lines = checked("settings = { layout = \"3x33\" }");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "site.toml:14:23: 'layout' of [[panel]] 'p' is \"3x33\", a string, not one of the choices (did you "
                      "mean \"3x3\"?); expected one of: 1, 2x2, 3x3");
}

TEST_CASE("settings/table_arrays_and_required_keys", "[settings]")
{
    const auto lines = checked("settings = { tours = [{ cameras = [\"cam1\"] }, 3, { tile = 0, dwell = 5 }] }");
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "site.toml:14:23: [[panel]] 'p' has no setting 'tours[0].tile', which is required; expected an "
                      "integer from 1: Tile, from 1");
    CHECK(lines[1] == "site.toml:14:47: 'tours[1]' of [[panel]] 'p' is 3, an integer; expected a table");
    CHECK(lines[2] == "site.toml:14:59: 'tours[2].tile' of [[panel]] 'p' is 0, an integer, below 1; expected an integer from 1");
    CHECK(lines[3] == "site.toml:14:70: unknown setting 'tours[2].dwell' in the settings of [[panel]] 'p'; expected one "
                      "of: cameras, tile");
}

TEST_CASE("settings/env_names_are_never_echoed", "[settings]")
{
    const auto lines = checked("settings = { accounts = { \"1234\" = { key_env = \"secret-7\" } } }");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].starts_with("site.toml:14:48: 'accounts.1234.key_env' of [[panel]] 'p' is not the name of an "
                               "environment variable"));
    CHECK(lines[0].find("secret-7") == std::string::npos);
}

TEST_CASE("settings/urls_and_listen_addresses", "[settings]")
{
    const auto lines = checked("settings = { url = \"ftp://user:hunter2@host/x\", listen = \"127.0.0.1\" }");
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "site.toml:14:20: 'url' of [[panel]] 'p' is not a URL it takes: its scheme 'ftp' is not one of the "
                      "schemes it may have; expected a URL (SCHEME://HOST[:PORT][/PATH]) with scheme rtsp, http");
    CHECK(lines[0].find("hunter2") == std::string::npos);
    CHECK(lines[1] == "site.toml:14:58: 'listen' of [[panel]] 'p' is \"127.0.0.1\", a string: it has no ':PORT'; expected a "
                      "listen address (HOST:PORT, [IPV6]:PORT or :PORT)");
    CHECK(checked("settings = { url = \"rtsp://:554/x\" }").size() == 1);
    CHECK(checked("settings = { url = \"http://cam:99999/x\" }").size() == 1);
    CHECK(checked("settings = { listen = \"[::1]:15591\" }").empty());
}

TEST_CASE("settings/missing_required_key_at_its_table", "[settings]")
{
    const auto lines = checked("settings = { accounts = { \"1234\" = { } } }");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].starts_with("site.toml:14:36: [[panel]] 'p' has no setting 'accounts.1234.key_env', which is required"));
}

TEST_CASE("settings/entry_of_an_integrator_keyed_table_must_be_a_table", "[settings]")
{
    const auto lines = checked("settings = { accounts = { \"1234\" = 5 } }");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "site.toml:14:36: 'accounts.1234' of [[panel]] 'p' is 5, an integer; expected a table with the "
                      "keys: key_env");
}

TEST_CASE("settings/edit_distance_counts_a_swap_as_one", "[settings]")
{
    CHECK(editDistance("prot", "port") == 1);
    CHECK(editDistance("layuot", "layout") == 1);
    CHECK(editDistance("camera", "cameras") == 1);
    CHECK(editDistance("abc", "xyz") == 3);
}
