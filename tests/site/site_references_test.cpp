// Site files: errors that need more than one table (ids, references, layouts), and a file with
// many errors reported at once.
#include "site_test_support.hpp"

#include <catch2/catch.hpp>

using ccoc::site::loadSiteFile;
using ccoc::site::test::errorsOf;
using ccoc::site::test::formatted;
using ccoc::site::test::withHead;
using Lines = std::vector<std::string>;

TEST_CASE("site/duplicate-id") {
    CHECK(errorsOf(withHead("[[screen]]\nid = \"main\"\n")) ==
          Lines{"site.toml:11:6: duplicate [[screen]] id 'main'; expected a unique id; 'main' is already used at "
                "line 7"});
}

TEST_CASE("site/id-spaces-are-per-kind") {
    // A panel, a camera and a device may share the screen's id: each kind has its own ids.
    CHECK(errorsOf(withHead("[[panel]]\nid = \"main\"\ntype = \"system.info\"\n"
                            "[[camera]]\nid = \"main\"\nname = \"n\"\nurl = \"rtsp://h/u\"\n"
                            "[[device]]\nid = \"main\"\nname = \"n\"\nkind = \"other\"\n"))
              .empty());
}

TEST_CASE("site/unknown-reference") {
    CHECK(errorsOf(withHead("[[panel]]\nid = \"info\"\ntype = \"system.info\"\n"
                            "[[layout]]\nscreen = \"mian\"\n"
                            "[[layout.region]]\npanel = \"inf\"\ncell = [0, 0]\n"
                            "[[device]]\nid = \"d\"\nname = \"n\"\nkind = \"light\"\ncameras = [\"cam1\"]\n")) ==
          Lines{"site.toml:14:10: 'screen' names unknown [[screen]] 'mian'; expected the id of a [[screen]]: main",
                "site.toml:16:9: 'panel' names unknown [[panel]] 'inf'; expected the id of a [[panel]]: info",
                "site.toml:22:12: 'cameras' names unknown [[camera]] 'cam1'; expected the id of a [[camera]]; the "
                "file defines none"});
}

TEST_CASE("site/two-layouts-for-one-screen") {
    CHECK(errorsOf(withHead("[[layout]]\nscreen = \"main\"\n[[layout]]\nscreen = \"main\"\n")) ==
          Lines{"site.toml:13:10: second [[layout]] for screen 'main'; expected one [[layout]] per screen; the first "
                "is at line 10"});
}

TEST_CASE("site/no-screen") {
    CHECK(errorsOf("[site]\nname = \"x\"\nname_en = \"x\"\nstation_code = \"x\"\n") ==
          Lines{"site.toml:1:1: missing required section [[screen]]; expected at least one [[screen]] section, e.g. "
                "[[screen]] id = \"wall-1\" width = 1920 height = 1080"});
    CHECK(errorsOf("screen = []\n[site]\nname = \"x\"\nname_en = \"x\"\nstation_code = \"x\"\n") ==
          Lines{"site.toml:1:10: 'screen' is empty; expected at least one [[screen]] section, e.g. [[screen]] id = "
                "\"wall-1\" width = 1920 height = 1080"});
}

namespace {
// Lines 10-15: two panels and a 2x2 layout; tests add regions from line 16 on.
std::string gridHead() {
    return withHead("[[panel]]\nid = \"a\"\ntype = \"system.info\"\n[[panel]]\nid = \"b\"\ntype = \"system.info\"\n"
                    "[[layout]]\nscreen = \"main\"\ncolumns = 2\nrows = 2\n");
}
} // namespace

TEST_CASE("site/region-outside-grid") {
    CHECK(errorsOf(gridHead() + "[[layout.region]]\npanel = \"a\"\ncell = [1, 1]\nspan = [2, 1]\n") ==
          Lines{"site.toml:22:8: region at cell [1, 1] spanning [2, 1] does not fit the grid of 2 columns and 2 rows; "
                "expected column + span columns <= 2 and row + span rows <= 2 (cells count from 0)"});
    CHECK(errorsOf(gridHead() + "[[layout.region]]\npanel = \"a\"\ncell = [16, 0]\n") ==
          Lines{"site.toml:22:9: column in 'cell' is 16, out of range; expected [column, row] with column from 0 to 15 "
                "and row from 0 to 15"});
}

TEST_CASE("site/region-overlap") {
    CHECK(errorsOf(gridHead() + "[[layout.region]]\npanel = \"a\"\ncell = [0, 0]\nspan = [2, 1]\n"
                                "[[layout.region]]\npanel = \"b\"\ncell = [0, 1]\n"
                                "[[layout.region]]\npanel = \"b\"\ncell = [1, 0]\nspan = [1, 2]\n") ==
          Lines{"site.toml:29:8: region of panel 'b' at cell [1, 0] overlaps the region of panel 'a' (line 20) at "
                "cell [1, 0]; expected regions that share no cell"});
}

TEST_CASE("site/regions-tile-the-grid") {
    auto result = ccoc::site::parseSite(gridHead() + "[[layout.region]]\npanel = \"a\"\ncell = [0, 0]\nspan = [1, 2]\n"
                                                     "[[layout.region]]\npanel = \"b\"\ncell = [1, 0]\nspan = [1, 2]\n",
                                        "site.toml");
    REQUIRE(formatted(result).empty());
    const auto* layout = result.site->findLayout("main");
    REQUIRE(layout != nullptr);
    REQUIRE(layout->regions.size() == 2);
    CHECK(layout->regions[1].panel == "b");
    CHECK(layout->regions[1].column == 1);
    CHECK(layout->regions[1].row == 0);
    CHECK(layout->regions[1].columnSpan == 1);
    CHECK(layout->regions[1].rowSpan == 2);
    CHECK(layout->regions[1].pos.line == 24);
}

TEST_CASE("site/collects-all-errors") {
    // One file with a mistake in nearly every section: all are reported, top to bottom.
    const std::string file = std::string(CCOC_SOURCE_DIR) + "/tests/site/data/many_errors.toml";
    auto result = loadSiteFile(file);
    CHECK_FALSE(result.ok());
    CHECK_FALSE(result.site.has_value());
    const Lines expected{
        file + ":5:16: 'station_code' must be a string, not an integer; expected a quoted string, e.g. station_code = "
               "\"...\"",
        file + ":6:1: unknown key 'zone_name' in [site]; expected one of: name, name_en, station_code, zone",
        file + ":9:13: 'font_size' is 100, out of range; expected a number from 8 to 72",
        file + ":13:1: unknown key 'fulscreen' in [[screen]]; expected one of: id, title, title_en, monitor, x, "
               "y, width, height, fullscreen",
        file + ":17:6: duplicate [[screen]] id 'wall-1'; expected a unique id; 'wall-1' is already used at line 12",
        file + ":18:9: 'width' must be an integer, not a string; expected an integer from 1 to 16384",
        file + ":20:1: missing required key 'type' in [[panel]]; expected a quoted string, e.g. type = \"...\"",
        file + ":24:10: 'screen' names unknown [[screen]] 'wall-2'; expected the id of a [[screen]]: wall-1",
        file + ":25:11: 'columns' is 0, out of range; expected an integer from 1 to 16",
        file + ":28:11: 'panel' names unknown [[panel]] 'map'; expected the id of a [[panel]]: info",
        file + ":31:1: missing required key 'url' in [[camera]]; expected a quoted string, e.g. url = \"...\"",
        file + ":39:13: latitude in 'position' is 137.3, out of range; expected [latitude, longitude] with latitude "
               "from -90 to 90 and longitude from -180 to 180",
        file + ":44:8: 'kind' is 'lamp', which is not allowed; expected one of: sensor, alarm_panel, light, "
               "camera_io, other",
        file + ":45:20: 'cameras' names unknown [[camera]] 'cam9'; expected the id of a [[camera]]: cam1, cam2",
    };
    CHECK(formatted(result) == expected);
}
