#include <catch2/catch.hpp>

#include "layout_engine.hpp"

using ccoc::host::LayoutMetrics;
using ccoc::host::placeRegions;

TEST_CASE("layout/regions tile the area above the status bar with gaps")
{
    ccoc::site::Layout layout;
    layout.columns = 2;
    layout.rows = 1;
    layout.regions.push_back({"a", 0, 0, 1, 1, {}});
    layout.regions.push_back({"b", 1, 0, 1, 1, {}});
    LayoutMetrics metrics;
    metrics.statusBarHeight = 40;
    metrics.gap = 10;
    const auto placed = placeRegions(layout, 1000, 540, metrics);
    REQUIRE(placed.size() == 2);
    // (1000 - 3*10) / 2 = 485 wide; (540 - 40 - 2*10) = 480 high.
    CHECK(placed[0].rect.x == Approx(10));
    CHECK(placed[0].rect.width == Approx(485));
    CHECK(placed[0].rect.height == Approx(480));
    CHECK(placed[1].rect.x == Approx(505));
    CHECK(placed[1].rect.y == Approx(10));
}

TEST_CASE("layout/a span covers its cells and the gaps between them")
{
    ccoc::site::Layout layout;
    layout.columns = 3;
    layout.rows = 3;
    layout.regions.push_back({"big", 0, 0, 2, 2, {}});
    LayoutMetrics metrics;
    metrics.statusBarHeight = 0;
    metrics.gap = 0;
    const auto placed = placeRegions(layout, 900, 900, metrics);
    REQUIRE(placed.size() == 1);
    CHECK(placed[0].rect.width == Approx(600));
    CHECK(placed[0].rect.height == Approx(600));
}

TEST_CASE("layout/a span past the grid is clipped to the grid")
{
    ccoc::site::Layout layout;
    layout.columns = 2;
    layout.rows = 2;
    layout.regions.push_back({"x", 1, 1, 5, 5, {}});
    LayoutMetrics metrics;
    metrics.statusBarHeight = 0;
    metrics.gap = 0;
    const auto placed = placeRegions(layout, 400, 400, metrics);
    CHECK(placed[0].rect.x + placed[0].rect.width == Approx(400));
    CHECK(placed[0].rect.y + placed[0].rect.height == Approx(400));
}

TEST_CASE("layout/status bar sits at the bottom")
{
    const auto bar = ccoc::host::statusBarRect(800, 600, {32, 4});
    CHECK(bar.y == Approx(568));
    CHECK(bar.width == Approx(800));
}
