// Rules: matching, camera-wall pushes and escalation policy.
#include "alarm_rules.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ccoc::alarm_service {
namespace {

bool listAllows(const std::vector<std::string>& allowed, const std::string& value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// The camera wall a rule pushes to: its explicit panel, else the camera.wall on its screen (or on
// [alarms] alarm_screen). Empty when there is none (the site loader reports that case).
std::string wallPanelOf(const site::Site& site, const site::AlarmRule& rule) {
    if (!rule.panel.empty()) {
        return rule.panel;
    }
    const std::string& screen = rule.screen.empty() ? site.alarms.alarmScreen : rule.screen;
    const site::Panel* wall = site.findCameraWall(screen);
    return wall != nullptr ? wall->id : std::string();
}

} // namespace

bool ruleMatches(const site::AlarmRule& rule, const alarm::AlarmRecord& record) {
    return !record.test && listAllows(rule.types, record.type) && listAllows(rule.zones, record.zone) &&
           record.priority <= rule.maxPriority;
}

std::vector<WallCommand> wallCommandsFor(const site::Site& site, const alarm::AlarmRecord& record) {
    std::vector<WallCommand> commands;
    for (const site::AlarmRule& rule : site.alarmRules) {
        if (!rule.pushCameras || !ruleMatches(rule, record)) {
            continue;
        }
        const std::string panel = wallPanelOf(site, rule);
        if (panel.empty()) {
            continue;
        }
        int tile = rule.tile;
        for (const std::string& camera : record.cameras) {
            nlohmann::json args{{"tile", tile++}, {"camera", camera}};
            if (rule.markBorder) {
                args["mark"] = {{"alarm", record.id}, {"priority", record.priority}};
            }
            commands.push_back(WallCommand{"wall." + panel, args.dump()});
        }
    }
    return commands;
}

EscalationPolicy escalationFor(const site::Site& site, const alarm::AlarmRecord& record) {
    if (record.test) {
        return {};
    }
    for (const site::AlarmRule& rule : site.alarmRules) {
        if (rule.escalateAfterS && ruleMatches(rule, record)) {
            return {*rule.escalateAfterS, rule.escalateToPriority.value_or(alarm::kHighestPriority)};
        }
    }
    return {site.alarms.escalateAfterS, alarm::kHighestPriority};
}

} // namespace ccoc::alarm_service
