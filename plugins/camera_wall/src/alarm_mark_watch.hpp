// alarm_mark_watch.hpp: when an alarm mark leaves a tile. A mark stays until its alarm is closed,
// which the alarm service says by removing the retained record state/alarms/item/ID/. The record
// may reach this host a moment after the wall.set_tile that marked the tile, so a mark whose alarm
// was never seen open is kept for a grace period before it is taken as gone.
//
// Thread: main thread. No bus here: the panel passes how to look an alarm up.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ccoc::wall {

class AlarmMarkWatch {
public:
    /// true: the alarm is open; false: no open record of it on the bus.
    using IsOpen = std::function<bool(const std::string& alarmId)>;

    explicit AlarmMarkWatch(double graceSec = 10.0) : graceSec_(graceSec) {}

    /// Of the `marked` alarms, those whose marks must go now: seen open before and not open now,
    /// or not open at any check since `graceSec` after they were first marked.
    [[nodiscard]] std::vector<std::string> closed(const std::vector<std::string>& marked, const IsOpen& isOpen,
                                                  double nowSec);

private:
    struct Watch {
        double firstMarkedSec = 0;
        bool seenOpen = false;
    };
    double graceSec_;
    std::map<std::string, Watch> watches_;
};

}  // namespace ccoc::wall
