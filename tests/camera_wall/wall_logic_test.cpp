// The camera wall's model without a window: layouts, tiles, tours, maximise, CCTV keyboard.
#include <catch2/catch.hpp>

#include "wall_layout.hpp"
#include "wall_model.hpp"

using ccoc::wall::makeLayout;
using ccoc::wall::WallModel;

TEST_CASE("camera_wall/layouts: grids and spans cover their grid exactly once")
{
    for (const auto& name : ccoc::wall::standardLayoutNames()) {
        INFO(name);
        const auto layout = makeLayout(name);
        REQUIRE(layout);
        std::vector<int> covered(static_cast<size_t>(layout->columns * layout->rows), 0);
        for (const auto& tile : layout->tiles) {
            for (int r = tile.row; r < tile.row + tile.rows; ++r) {
                for (int c = tile.column; c < tile.column + tile.columns; ++c) {
                    REQUIRE(c < layout->columns);
                    REQUIRE(r < layout->rows);
                    ++covered[static_cast<size_t>(r * layout->columns + c)];
                }
            }
        }
        for (int count : covered) {
            CHECK(count == 1);
        }
    }
    CHECK(makeLayout("1")->tiles.size() == 1);
    CHECK(makeLayout("3x3")->tiles.size() == 9);
    CHECK(makeLayout("8x8")->tiles.size() == 64);
    CHECK(makeLayout("1+5")->tiles.size() == 6);
    CHECK(makeLayout("1+7")->tiles.size() == 8);
    CHECK(makeLayout("2+8")->tiles.size() == 10);
    CHECK(makeLayout("1+5")->tiles[0].columns == 2);
    std::string error;
    CHECK_FALSE(makeLayout("9x9", &error));
    CHECK(error.find("unknown layout '9x9'") != std::string::npos);
    CHECK(error.find("expected") != std::string::npos);
}

TEST_CASE("camera_wall/model: set tile, layout change keeps first tiles, unknown ids refused")
{
    WallModel model({"cam1", "cam2", "cam3"});
    REQUIRE(model.setLayout("2x2"));
    REQUIRE(model.setTile(0, "cam2"));
    REQUIRE(model.setTile(3, "cam3"));
    std::string error;
    CHECK_FALSE(model.setTile(4, "cam1", &error));
    CHECK(error.find("tile 5 does not exist") != std::string::npos);
    CHECK_FALSE(model.setTile(0, "cam9", &error));
    CHECK(error.find("unknown camera 'cam9'") != std::string::npos);
    const unsigned revision = model.revision();
    REQUIRE(model.setLayout("1+5"));
    CHECK(model.revision() != revision);
    CHECK(model.cameraAt(0) == "cam2");
    CHECK(model.cameraAt(3) == "cam3");
    CHECK(model.cameraAt(5).empty());
    REQUIRE(model.setLayout("1"));
    CHECK(model.cameraAt(0) == "cam2");
    CHECK(model.tileCount() == 1);
}

TEST_CASE("camera_wall/keyboard: camera number + Enter goes to the selected tile")
{
    WallModel model({"cam1", "cam2", "cam3", "cam4", "cam5", "cam6", "cam7", "cam8", "cam9", "cam10", "cam11", "cam12"});
    REQUIRE(model.setLayout("3x3"));
    model.select(4);
    model.typeDigit(1);
    model.typeDigit(2);
    CHECK(model.entry() == "12");
    REQUIRE(model.commitEntry());
    CHECK(model.cameraAt(4) == "cam12");
    CHECK(model.entry().empty());
    model.typeDigit(3);
    model.eraseDigit();
    model.typeDigit(7);
    REQUIRE(model.commitEntry());
    CHECK(model.cameraAt(4) == "cam7");
    model.typeDigit(9);
    model.typeDigit(9);
    std::string error;
    CHECK_FALSE(model.commitEntry(&error));
    CHECK(error.find("no camera number 99") != std::string::npos);
    CHECK(model.cameraAt(4) == "cam7");
}

TEST_CASE("camera_wall/maximise: double-click fills the panel and back, a layout change ends it")
{
    WallModel model({"cam1"});
    REQUIRE(model.setLayout("2x2"));
    model.toggleMaximised(2);
    CHECK(model.maximised() == 2u);
    model.toggleMaximised(2);
    CHECK_FALSE(model.maximised());
    model.toggleMaximised(1);
    REQUIRE(model.setLayout("3x3"));
    CHECK_FALSE(model.maximised());
}

TEST_CASE("camera_wall/tours: a tile cycles its cameras every dwell, setting the tile ends the tour")
{
    WallModel model({"cam1", "cam2", "cam3"});
    REQUIRE(model.setLayout("2x2"));
    REQUIRE(model.startTour(1, {"cam1", "cam2", "cam3"}, 5.0, 100.0));
    CHECK(model.cameraAt(1) == "cam1");
    CHECK_FALSE(model.advanceTours(104.9));
    CHECK(model.advanceTours(105.0));
    CHECK(model.cameraAt(1) == "cam2");
    CHECK(model.advanceTours(110.0));
    CHECK(model.cameraAt(1) == "cam3");
    CHECK(model.advanceTours(115.0));
    CHECK(model.cameraAt(1) == "cam1");
    REQUIRE(model.setTile(1, "cam3"));
    CHECK_FALSE(model.tourAt(1));
    CHECK_FALSE(model.advanceTours(200.0));
    std::string error;
    CHECK_FALSE(model.startTour(1, {"cam1"}, 0.5, 0.0, &error));
    CHECK(error.find("at least 1 s") != std::string::npos);
    CHECK_FALSE(model.startTour(1, {"nope"}, 5.0, 0.0, &error));
    CHECK(error.find("unknown camera 'nope'") != std::string::npos);
}
