// alarm_mark_watch.cpp: which alarm marks must leave the wall.
#include "alarm_mark_watch.hpp"

#include <algorithm>

namespace ccoc::wall {

std::vector<std::string> AlarmMarkWatch::closed(const std::vector<std::string>& marked, const IsOpen& isOpen,
                                                double nowSec)
{
    // Alarms no longer marked (the tile got another camera) are forgotten.
    std::erase_if(watches_, [&](const auto& entry) {
        return std::find(marked.begin(), marked.end(), entry.first) == marked.end();
    });
    std::vector<std::string> gone;
    for (const auto& id : marked) {
        auto [it, added] = watches_.try_emplace(id, Watch{nowSec, false});
        Watch& watch = it->second;
        if (isOpen(id)) {
            watch.seenOpen = true;
        } else if (watch.seenOpen || nowSec - watch.firstMarkedSec >= graceSec_) {
            gone.push_back(id);
            watches_.erase(it);
        }
    }
    return gone;
}

}  // namespace ccoc::wall
