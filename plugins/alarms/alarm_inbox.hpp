// alarm_inbox.hpp: where command replies land. A reply callback holds the inbox through a
// shared_ptr, so a reply that arrives after its panel was destroyed finds `alive` false and is
// dropped instead of touching freed memory.
//
// Thread: main thread (reply callbacks and the view model run there).
#pragma once

#include "alarm_view_model.hpp"

#include <memory>
#include <string>
#include <vector>

namespace ccoc::alarms {

struct AlarmViewModel::Inbox {
    bool alive = true;
    size_t pending = 0;
    struct Arrived {
        CommandOutcome outcome;
        std::string resultJson;
    };
    std::vector<Arrived> arrived;
};

/// What one send_command carries to its reply callback (owned by the callback, freed there).
struct PendingCall {
    std::shared_ptr<AlarmViewModel::Inbox> inbox;
    std::string action;
    std::string alarmId;
};

}  // namespace ccoc::alarms
