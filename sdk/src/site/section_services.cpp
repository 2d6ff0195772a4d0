// The site's bus services: [[service]], and the one the deprecated [alarms] service key implies.
#include "site_sections.hpp"

#include <algorithm>

namespace ccoc::site::detail {

void readServices(const toml::node& value, LoadContext& ctx) {
    for (const toml::table* table : sectionTables(value, "service", ctx)) {
        TableReader reader(*table, "[[service]]",
                           {"id", "plugin", "path", "run", "enabled", "state_dir", "restart", "restart_delay_ms",
                            "restart_max_delay_ms", "crash_limit", "crash_window_s", "crash_cooldown_s",
                            "crash_cooldown_max_s", "settings"},
                           ctx.sink);
        Service service;
        service.pos = reader.where();
        service.id = reader.id("id", Need::required).value_or("");
        if (!service.id.empty()) {
            ctx.ids.declare("[[service]]", service.id, reader.posOf("id"), ctx.sink);
        }
        const int ways = (reader.has("plugin") ? 1 : 0) + (reader.has("path") ? 1 : 0);
        if (ways == 0) {
            reader.reportMissing("plugin", "plugin = \"alarms\" (services/alarms.so on the plugin path) or "
                                           "path = \"services/x.so\"");
        } else if (ways > 1) {
            ctx.sink.add(reader.where(), "[[service]] '" + service.id + "' sets both plugin and path", "one of them");
        }
        service.plugin = reader.id("plugin", Need::optional).value_or("");
        if (auto path = reader.string("path", Need::optional)) {
            service.path = ctx.resolvePath(*path);
        }
        service.run = reader.choice("run", {"local", "remote"}, Need::optional).value_or("local") == "remote"
                          ? ServiceRun::Remote
                          : ServiceRun::Local;
        service.enabled = reader.boolean("enabled", Need::optional).value_or(true);
        service.stateDir = ctx.baseDir.string();
        if (auto dir = reader.string("state_dir", Need::optional); dir && !dir->empty()) {
            service.stateDir = ctx.resolvePath(*dir);
        }
        service.restart = reader.choice("restart", {"always", "on-failure", "never"}, Need::optional).value_or("always");
        service.restartDelayMs = static_cast<int>(reader.integer("restart_delay_ms", 10, 600000, Need::optional).value_or(500));
        service.restartMaxDelayMs =
            static_cast<int>(reader.integer("restart_max_delay_ms", 10, 3600000, Need::optional).value_or(30000));
        service.crashLimit = static_cast<int>(reader.integer("crash_limit", 1, 1000, Need::optional).value_or(5));
        service.crashWindowSec = static_cast<int>(reader.integer("crash_window_s", 1, 86400, Need::optional).value_or(60));
        service.crashCooldownSec =
            static_cast<int>(reader.integer("crash_cooldown_s", 1, 86400, Need::optional).value_or(30));
        service.crashCooldownMaxSec =
            static_cast<int>(reader.integer("crash_cooldown_max_s", 1, 86400, Need::optional).value_or(300));
        if (service.crashCooldownMaxSec < service.crashCooldownSec) {
            ctx.sink.add(reader.posOf("crash_cooldown_max_s"),
                         "crash_cooldown_max_s of [[service]] '" + service.id + "' is below crash_cooldown_s",
                         "at least crash_cooldown_s (" + std::to_string(service.crashCooldownSec) + ")");
        }
        service.settings = readSettings(reader, "settings");
        ctx.site.services.push_back(std::move(service));
    }
}

void addImpliedServices(LoadContext& ctx) {
    Site& site = ctx.site;
    const bool written = std::any_of(site.services.begin(), site.services.end(),
                                     [](const Service& service) { return service.plugin == "alarms"; });
    const std::optional<AlarmServiceMode>& key = site.alarms.service;
    if (key) {
        const char* run = *key == AlarmServiceMode::External ? "remote" : "local";
        std::string what = "[alarms] service = \"" +
                           std::string(*key == AlarmServiceMode::External ? "external"
                                       : *key == AlarmServiceMode::Off    ? "off"
                                                                           : "embedded") +
                           "\" is deprecated and read for this release only";
        std::string expected;
        if (written) {
            what += "; the [[service]] entry of the alarm service is used instead";
            expected = "the key removed";
        } else if (*key == AlarmServiceMode::Off) {
            expected = "the key removed and [[service]] id = \"alarms\" plugin = \"alarms\" enabled = false";
        } else {
            expected = std::string("the key removed and [[service]] id = \"alarms\" plugin = \"alarms\" run = \"") + run +
                       "\"";
        }
        ctx.warnings.push_back(Diagnostic{site.alarms.servicePos, std::move(what), std::move(expected)});
    }
    if (written) {
        return;
    }
    const AlarmServiceMode mode = site.alarmServiceMode();
    if (mode == AlarmServiceMode::Off || site.findService("alarms") != nullptr) {
        return;
    }
    Service alarms;
    alarms.id = "alarms";
    alarms.plugin = "alarms";
    alarms.run = mode == AlarmServiceMode::External ? ServiceRun::Remote : ServiceRun::Local;
    alarms.stateDir = ctx.baseDir.string();
    alarms.pos = site.alarms.present ? site.alarms.pos : SourcePos{site.sourceFile, 0, 0};
    alarms.implied = true;
    site.services.push_back(std::move(alarms));
}

} // namespace ccoc::site::detail
