// [[alarm_rule]]s applied to alarms: which rules match, the camera-wall commands a new alarm
// causes, and when an unacknowledged alarm is escalated (sdk/docs/alarms.md section 3).
//
// Pure functions of the site and the record. Thread: any.
#pragma once

#include "ccoc/alarm.hpp"
#include "ccoc/site.hpp"

#include <string>
#include <vector>

namespace ccoc::alarm_service {

// Whether `rule` matches the alarm (type, zone, priority). Test alarms match no rule.
[[nodiscard]] bool ruleMatches(const site::AlarmRule& rule, const alarm::AlarmRecord& record);

// One wall.set_tile command to send.
struct WallCommand {
    std::string device;   // "wall.PANEL-ID"
    std::string argsJson; // {"tile": N, "camera": ID, "mark": {"alarm": ID, "priority": P}}
};

// The wall.set_tile commands for a new alarm: for each matching rule that pushes cameras, each
// linked camera to the rule's wall from its first tile on. Empty for a test alarm.
[[nodiscard]] std::vector<WallCommand> wallCommandsFor(const site::Site& site, const alarm::AlarmRecord& record);

// When and how far an unacknowledged alarm escalates.
struct EscalationPolicy {
    int afterS = 0;  // 0: never
    int highest = 1; // the priority escalation stops raising at
};

// The first matching rule with escalate_after_s, else [alarms] escalate_after_s. Test alarms never
// escalate.
[[nodiscard]] EscalationPolicy escalationFor(const site::Site& site, const alarm::AlarmRecord& record);

} // namespace ccoc::alarm_service
