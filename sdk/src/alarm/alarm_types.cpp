// Alarm types, priorities, state and action names, and the summary of open alarms.
#include "ccoc/alarm.hpp"

#include <algorithm>

namespace ccoc::alarm {

bool isKnownType(std::string_view type) noexcept {
    if (std::find(kBuiltinTypes.begin(), kBuiltinTypes.end(), type) != kBuiltinTypes.end()) {
        return true;
    }
    constexpr std::string_view kVendor = "vendor.";
    if (!type.starts_with(kVendor)) {
        return false;
    }
    const std::string_view name = type.substr(kVendor.size());
    if (name.empty() || name.size() > 48) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    });
}

int defaultPriority(std::string_view type) noexcept {
    if (type == "panic" || type == "duress" || type == "fire") {
        return 1;
    }
    if (type == "intrusion" || type == "door" || type == "glass_break" || type == "smoke") {
        return 2;
    }
    if (type == "device_fault" || type == "camera_offline") {
        return 4;
    }
    return 3; // water, tamper, motion, vendor types
}

std::string_view stateName(State state) noexcept {
    switch (state) {
    case State::New:
        return "new";
    case State::Acknowledged:
        return "acknowledged";
    case State::Closed:
        return "closed";
    }
    return "new";
}

std::optional<State> parseState(std::string_view name) noexcept {
    for (State state : {State::New, State::Acknowledged, State::Closed}) {
        if (stateName(state) == name) {
            return state;
        }
    }
    return std::nullopt;
}

bool isOutcome(std::string_view outcome) noexcept {
    return std::find(kOutcomes.begin(), kOutcomes.end(), outcome) != kOutcomes.end();
}

std::string_view actionName(Action action) noexcept {
    switch (action) {
    case Action::Ack:
        return "alarm.ack";
    case Action::Assign:
        return "alarm.assign";
    case Action::Close:
        return "alarm.close";
    case Action::Note:
        return "alarm.note";
    case Action::History:
        return "alarm.history";
    }
    return "alarm.ack";
}

std::optional<Action> parseAction(std::string_view name) noexcept {
    for (Action action : {Action::Ack, Action::Assign, Action::Close, Action::Note, Action::History}) {
        if (actionName(action) == name) {
            return action;
        }
    }
    return std::nullopt;
}

AlarmSummary summarize(const std::vector<const AlarmRecord*>& records) {
    AlarmSummary summary;
    for (const AlarmRecord* record : records) {
        if (record == nullptr || record->state == State::Closed) {
            continue;
        }
        const auto slot = static_cast<size_t>(std::clamp(record->priority, kHighestPriority, kLowestPriority) - 1);
        ++summary.open;
        ++summary.byPriority[slot];
        if (record->state == State::New) {
            ++summary.unacknowledged;
            ++summary.unacknowledgedByPriority[slot];
        }
    }
    return summary;
}

} // namespace ccoc::alarm
