// Alarm marks on camera-wall tiles (wall.set_tile with "mark"): the mark stays until the alarm is
// closed or the tile shows another camera; the watch decides when an alarm counts as closed.
#include <catch2/catch.hpp>

#include "alarm_mark_watch.hpp"
#include "wall_model.hpp"

#include <set>

using ccoc::wall::AlarmMarkWatch;
using ccoc::wall::TileMark;
using ccoc::wall::WallModel;

TEST_CASE("camera_wall/alarm mark: kept with the camera, gone with another camera, a tour step or the alarm")
{
    WallModel model({"cam1", "cam2", "cam3"});
    REQUIRE(model.setLayout("2x2"));
    REQUIRE(model.setTile(0, "cam1", nullptr, TileMark{"A-1", 1}));
    REQUIRE(model.setTile(1, "cam2", nullptr, TileMark{"A-1", 1}));
    REQUIRE(model.setTile(2, "cam3", nullptr, TileMark{"A-2", 3}));
    REQUIRE(model.markAt(0));
    CHECK(model.markAt(0)->alarmId == "A-1");
    CHECK(model.markAt(0)->priority == 1);
    CHECK(model.markedAlarms() == std::vector<std::string>{"A-1", "A-2"});
    CHECK_FALSE(model.markAt(3));

    // The same camera set again without a mark keeps it; another camera ends it.
    unsigned revision = model.revision();
    REQUIRE(model.setTile(0, "cam1"));
    CHECK(model.markAt(0));
    REQUIRE(model.setTile(1, "cam3"));
    CHECK_FALSE(model.markAt(1));
    CHECK(model.revision() != revision);

    // A tour that moves the tile on to another camera ends the mark.
    REQUIRE(model.setTile(3, "cam1", nullptr, TileMark{"A-3", 2}));
    REQUIRE(model.startTour(3, {"cam1", "cam2"}, 2.0, 100.0));
    CHECK(model.markAt(3));  // still showing cam1
    CHECK(model.advanceTours(102.0));
    CHECK_FALSE(model.markAt(3));

    // The alarm closes: every tile it marked is cleared, once.
    revision = model.revision();
    CHECK(model.clearAlarm("A-1"));
    CHECK_FALSE(model.markAt(0));
    CHECK(model.revision() != revision);
    CHECK_FALSE(model.clearAlarm("A-1"));
    CHECK(model.markedAlarms() == std::vector<std::string>{"A-2"});

    // A layout with fewer tiles drops the marks of the tiles it drops.
    REQUIRE(model.setLayout("1"));
    CHECK(model.markedAlarms().empty());
}

TEST_CASE("camera_wall/alarm mark watch: gone once the open alarm's record is gone, or never seen within the grace")
{
    AlarmMarkWatch watch(10.0);
    std::set<std::string> open = {"A-1"};
    const auto isOpen = [&](const std::string& id) { return open.count(id) > 0; };

    // A-2's record has not reached this host yet: kept through the grace period.
    CHECK(watch.closed({"A-1", "A-2"}, isOpen, 100.0).empty());
    CHECK(watch.closed({"A-1", "A-2"}, isOpen, 105.0).empty());
    open.insert("A-2");
    CHECK(watch.closed({"A-1", "A-2"}, isOpen, 111.0).empty());

    // A-1 closes (its record removed): its mark goes at the next check.
    open.erase("A-1");
    CHECK(watch.closed({"A-1", "A-2"}, isOpen, 112.0) == std::vector<std::string>{"A-1"});

    // An alarm never seen open goes after the grace period.
    CHECK(watch.closed({"A-2", "A-9"}, isOpen, 113.0).empty());
    CHECK(watch.closed({"A-2", "A-9"}, isOpen, 122.9).empty());
    CHECK(watch.closed({"A-2", "A-9"}, isOpen, 123.0) == std::vector<std::string>{"A-9"});
}
