// The driver processes the host starts and supervises: [[driver]].
#include "site_sections.hpp"

namespace ccoc::site::detail {

void readDrivers(const toml::node& value, LoadContext& ctx) {
    for (const toml::table* table : sectionTables(value, "driver", ctx)) {
        TableReader reader(*table, "[[driver]]",
                           {"id", "plugin", "path", "command", "enabled", "restart", "restart_delay_ms",
                            "restart_max_delay_ms", "crash_limit", "crash_window_s", "crash_cooldown_s", "crash_cooldown_max_s",
                            "settings"},
                           ctx.sink);
        Driver driver;
        driver.pos = reader.where();
        driver.id = reader.id("id", Need::required).value_or("");
        if (!driver.id.empty()) {
            ctx.ids.declare("[[driver]]", driver.id, reader.posOf("id"), ctx.sink);
        }
        // Exactly one way to say what runs: a driver .so by id or path, or a program.
        const int ways = (reader.has("plugin") ? 1 : 0) + (reader.has("path") ? 1 : 0) + (reader.has("command") ? 1 : 0);
        if (ways == 0) {
            reader.reportMissing("plugin", "one of plugin = \"sim\" (a driver on the plugin path), path = \"drivers/x.so\" "
                                           "or command = [\"program\", \"arg\"]");
        } else if (ways > 1) {
            ctx.sink.add(reader.where(), "[[driver]] '" + driver.id + "' sets more than one of plugin, path and command",
                         "exactly one of them");
        }
        driver.plugin = reader.id("plugin", Need::optional).value_or("");
        if (auto path = reader.string("path", Need::optional)) {
            driver.path = ctx.resolvePath(*path);
        }
        if (auto command = reader.stringList("command", Need::optional)) {
            for (auto& [word, where] : *command) {
                driver.command.push_back(std::move(word));
            }
            if (driver.command.empty() || driver.command.front().empty()) {
                ctx.sink.add(reader.posOf("command"), "'command' of [[driver]] is empty",
                             "the program and its arguments, e.g. command = [\"/usr/bin/python3\", \"driver.py\"]");
            }
        }
        driver.enabled = reader.boolean("enabled", Need::optional).value_or(true);
        driver.restart = reader.choice("restart", {"always", "on-failure", "never"}, Need::optional).value_or("always");
        driver.restartDelayMs = static_cast<int>(reader.integer("restart_delay_ms", 10, 600000, Need::optional).value_or(500));
        driver.restartMaxDelayMs =
            static_cast<int>(reader.integer("restart_max_delay_ms", 10, 3600000, Need::optional).value_or(30000));
        driver.crashLimit = static_cast<int>(reader.integer("crash_limit", 1, 1000, Need::optional).value_or(5));
        driver.crashWindowSec = static_cast<int>(reader.integer("crash_window_s", 1, 86400, Need::optional).value_or(60));
        driver.crashCooldownSec =
            static_cast<int>(reader.integer("crash_cooldown_s", 1, 86400, Need::optional).value_or(30));
        driver.crashCooldownMaxSec =
            static_cast<int>(reader.integer("crash_cooldown_max_s", 1, 86400, Need::optional).value_or(300));
        if (driver.crashCooldownMaxSec < driver.crashCooldownSec) {
            ctx.sink.add(reader.posOf("crash_cooldown_max_s"),
                         "crash_cooldown_max_s of [[driver]] '" + driver.id + "' is below crash_cooldown_s",
                         "at least crash_cooldown_s (" + std::to_string(driver.crashCooldownSec) + ")");
        }
        driver.settings = readSettings(reader, "settings");
        ctx.site.drivers.push_back(std::move(driver));
    }
}

} // namespace ccoc::site::detail
