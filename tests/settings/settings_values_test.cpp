// Typed access: the written value when it has the declared type, else the declared default.
#include "ccoc/settings_check.hpp"

#include <catch2/catch.hpp>

using namespace ccoc::settings;

namespace {

const Declaration& wall()
{
    static const Declaration declaration = Declaration::panel("camera.wall", "Tiles")
                                               .string("layout", "Arrangement").byDefault("\"2x2\"")
                                               .strings("cameras", "Per tile").byDefault("[]")
                                               .boolean("details", "Details").byDefault("false")
                                               .integer("wall_tile", "Tile").byDefault("1")
                                               .number("repeat_s", "Repeat").byDefault("0")
                                               .tables("tours", "Tours")
                                               .integer("tours.*.tile", "Tile")
                                               .number("tours.*.dwell_s", "Dwell").byDefault("10")
                                               .table("stream", "Stream")
                                               .integer("stream.fps", "Frames a second").byDefault("25");
    return declaration;
}

} // namespace

TEST_CASE("settings/values_apply_defaults", "[settings]")
{
    const Values values = Values::read(wall(), "{}");
    CHECK(values.text("layout") == "2x2");
    CHECK(values.strings("cameras").empty());
    CHECK(!values.flag("details"));
    CHECK(values.integer("wall_tile") == 1);
    CHECK(values.number("repeat_s") == 0.0);
    CHECK(values.integer("stream.fps") == 25);
    CHECK(values.tables("tours").empty());
    CHECK(!values.has("layout"));
}

TEST_CASE("settings/values_read_what_is_written", "[settings]")
{
    const Values values = Values::read(wall(), R"({"layout":"3x3","cameras":["cam1",""],"details":true,"wall_tile":4,)"
                                               R"("repeat_s":30,"tours":[{"tile":5},{"tile":6,"dwell_s":2.5}],"stream":{"fps":10}})");
    CHECK(values.has("layout"));
    CHECK(values.text("layout") == "3x3");
    CHECK(values.strings("cameras") == std::vector<std::string>{"cam1", ""});
    CHECK(values.flag("details"));
    CHECK(values.integer("wall_tile") == 4);
    CHECK(values.number("repeat_s") == 30.0);
    CHECK(values.integer("stream.fps") == 10);
    const auto tours = values.tables("tours");
    REQUIRE(tours.size() == 2);
    CHECK(tours[0].integer("tile") == 5);
    CHECK(tours[0].number("dwell_s") == 10.0);
    CHECK(tours[1].number("dwell_s") == 2.5);
}

TEST_CASE("settings/values_of_the_wrong_type_read_as_the_default", "[settings]")
{
    const Values values = Values::read(wall(), R"({"layout":7,"cameras":[1,2],"details":"yes"})");
    CHECK(values.text("layout") == "2x2");
    CHECK(values.strings("cameras").empty());
    CHECK(!values.flag("details"));
    CHECK(Values::read(wall(), "not json").text("layout") == "2x2");
}
