// Alarms: [alarms] with [alarms.priority], and [[alarm_rule]] (sdk/docs/alarms.md). Checks that
// need the whole file (a rule's screen must have a camera wall) are in validateAlarms().
#include "site_sections.hpp"

#include "ccoc/alarm.hpp"

namespace ccoc::site::detail {
namespace {

constexpr int64_t kMaxEscalateS = 86400;

// [alarms.priority]: type = 1..5, one key per alarm type.
void readPriorities(const toml::table& table, LoadContext& ctx) {
    for (auto&& [key, value] : table) {
        const std::string type(key.str());
        if (!alarm::isKnownType(type)) {
            ctx.sink.add(ctx.sink.at(key.source()), "unknown alarm type '" + type + "' in [alarms.priority]",
                         std::string(alarm::kTypeExpectation));
            continue;
        }
        const auto* number = value.as_integer();
        if (number == nullptr || number->get() < alarm::kHighestPriority || number->get() > alarm::kLowestPriority) {
            ctx.sink.add(ctx.sink.at(value.source()),
                         "priority of '" + type + "' in [alarms.priority] is not an integer from 1 to 5",
                         "a priority from 1 (highest) to 5 (lowest), e.g. " + type + " = 2");
            continue;
        }
        ctx.site.alarms.priorityByType[type] = static_cast<int>(number->get());
    }
}

std::optional<AlarmServiceMode> serviceModeOf(const std::optional<std::string>& text) {
    if (!text) {
        return std::nullopt;
    }
    if (*text == "external") {
        return AlarmServiceMode::External;
    }
    if (*text == "off") {
        return AlarmServiceMode::Off;
    }
    return AlarmServiceMode::Embedded;
}

} // namespace

void readAlarms(const toml::node& value, LoadContext& ctx) {
    const toml::table* table = sectionTable(value, "alarms", ctx);
    if (table == nullptr) {
        return;
    }
    TableReader reader(*table, "[alarms]",
                       {"service", "journal", "supervisor_screen", "alarm_screen", "escalate_after_s",
                        "ack_note_required_max_priority", "priority"},
                       ctx.sink);
    AlarmSettings& alarms = ctx.site.alarms;
    alarms.present = true;
    alarms.pos = reader.where();
    alarms.service = serviceModeOf(reader.choice("service", {"embedded", "external", "off"}, Need::optional));
    alarms.servicePos = reader.posOf("service");
    if (auto journal = reader.string("journal", Need::optional); journal && !journal->empty()) {
        alarms.journal = ctx.resolvePath(*journal);
    }
    for (auto [key, target] : {std::pair{"supervisor_screen", &alarms.supervisorScreen},
                               std::pair{"alarm_screen", &alarms.alarmScreen}}) {
        if (auto screen = reader.id(key, Need::optional)) {
            *target = *screen;
            ctx.ids.refer("[[screen]]", *screen, reader.posOf(key), key);
        }
    }
    alarms.escalateAfterS =
        static_cast<int>(reader.integer("escalate_after_s", 0, kMaxEscalateS, Need::optional).value_or(0));
    alarms.ackNoteRequiredMaxPriority =
        static_cast<int>(reader.integer("ack_note_required_max_priority", 0, 5, Need::optional).value_or(2));
    if (const toml::table* priorities = reader.subTable("priority", Need::optional)) {
        readPriorities(*priorities, ctx);
    }
}

void readAlarmRules(const toml::node& value, LoadContext& ctx) {
    for (const toml::table* table : sectionTables(value, "alarm_rule", ctx)) {
        TableReader reader(*table, "[[alarm_rule]]",
                           {"id", "types", "zones", "max_priority", "screen", "panel", "tile", "push_cameras",
                            "mark_border", "escalate_after_s", "escalate_to_priority"},
                           ctx.sink);
        AlarmRule rule;
        rule.pos = reader.where();
        if (auto id = reader.id("id", Need::required)) {
            rule.id = *id;
            ctx.ids.declare("[[alarm_rule]]", rule.id, reader.posOf("id"), ctx.sink);
        }
        if (auto types = reader.stringList("types", Need::optional)) {
            for (auto& [type, where] : *types) {
                if (!alarm::isKnownType(type)) {
                    ctx.sink.add(where, "unknown alarm type '" + type + "' in 'types' of [[alarm_rule]]",
                                 std::string(alarm::kTypeExpectation));
                    continue;
                }
                rule.types.push_back(std::move(type));
            }
        }
        if (auto zones = reader.stringList("zones", Need::optional)) {
            for (auto& [zone, where] : *zones) {
                rule.zones.push_back(std::move(zone));
            }
        }
        rule.maxPriority = static_cast<int>(reader.integer("max_priority", 1, 5, Need::optional).value_or(5));
        if (auto screen = reader.id("screen", Need::optional)) {
            rule.screen = *screen;
            ctx.ids.refer("[[screen]]", *screen, reader.posOf("screen"), "screen");
        }
        if (auto panel = reader.id("panel", Need::optional)) {
            rule.panel = *panel;
            ctx.ids.refer("[[panel]]", *panel, reader.posOf("panel"), "panel");
        }
        rule.tile = static_cast<int>(reader.integer("tile", 1, 256, Need::optional).value_or(1));
        rule.pushCameras = reader.boolean("push_cameras", Need::optional).value_or(true);
        rule.markBorder = reader.boolean("mark_border", Need::optional).value_or(true);
        if (auto after = reader.integer("escalate_after_s", 0, kMaxEscalateS, Need::optional)) {
            rule.escalateAfterS = static_cast<int>(*after);
        }
        if (auto to = reader.integer("escalate_to_priority", 1, 5, Need::optional)) {
            rule.escalateToPriority = static_cast<int>(*to);
        }
        ctx.alarmRuleRefs.push_back(
            AlarmRuleRefs{ctx.site.alarmRules.size(), reader.posOf("screen"), reader.posOf("panel")});
        ctx.site.alarmRules.push_back(std::move(rule));
    }
}

void validateAlarms(LoadContext& ctx) {
    const Site& site = ctx.site;
    for (const AlarmRuleRefs& refs : ctx.alarmRuleRefs) {
        const AlarmRule& rule = site.alarmRules[refs.rule];
        if (!rule.pushCameras) {
            continue;
        }
        if (!rule.panel.empty()) {
            const Panel* panel = site.findPanel(rule.panel);
            if (panel != nullptr && panel->type != "camera.wall") {
                ctx.sink.add(refs.panelPos,
                             "'panel' of [[alarm_rule]] '" + rule.id + "' is '" + rule.panel + "', a " + panel->type +
                                 " panel",
                             "the id of a [[panel]] of type camera.wall");
            }
            continue;
        }
        const std::string& screen = rule.screen.empty() ? site.alarms.alarmScreen : rule.screen;
        if (screen.empty()) {
            ctx.sink.add(rule.pos, "[[alarm_rule]] '" + rule.id + "' pushes cameras but names no screen",
                         "screen = \"ID\" or panel = \"ID\" in the rule, or alarm_screen in [alarms] "
                         "(or push_cameras = false)");
            continue;
        }
        if (site.findScreen(screen) != nullptr && site.findCameraWall(screen) == nullptr) {
            ctx.sink.add(rule.screen.empty() ? rule.pos : refs.screenPos,
                         "screen '" + screen + "' of [[alarm_rule]] '" + rule.id + "' shows no camera.wall panel",
                         "a screen whose [[layout]] has a region with a [[panel]] of type camera.wall, or "
                         "panel = \"ID\" naming one");
        }
    }
}

} // namespace ccoc::site::detail
