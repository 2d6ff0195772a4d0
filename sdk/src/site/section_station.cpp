// Station-wide sections: [site], [ui], plugin_path, [[plugin]] ([bus] is in section_bus.cpp).
#include "site_sections.hpp"

namespace ccoc::site::detail {

void readSiteInfo(const toml::node& value, LoadContext& ctx) {
    const toml::table* table = sectionTable(value, "site", ctx);
    if (table == nullptr) {
        return;
    }
    TableReader reader(*table, "[site]", {"name", "name_en", "station_code", "zone"}, ctx.sink);
    SiteInfo& info = ctx.site.info;
    info.name = reader.string("name", Need::required).value_or("");
    info.nameEn = reader.string("name_en", Need::required).value_or("");
    info.stationCode = reader.string("station_code", Need::required).value_or("");
    info.zone = reader.string("zone", Need::optional).value_or("");
}

void readUi(const toml::node& value, LoadContext& ctx) {
    const toml::table* table = sectionTable(value, "ui", ctx);
    if (table == nullptr) {
        return;
    }
    TableReader reader(*table, "[ui]", {"language", "font", "font_size", "operator"}, ctx.sink);
    UiSettings& ui = ctx.site.ui;
    ui.language = reader.choice("language", {"th", "en"}, Need::optional).value_or(ui.language);
    if (auto font = reader.string("font", Need::optional); font && !font->empty()) {
        ui.font = ctx.resolvePath(*font);
    }
    ui.fontSizePx = static_cast<float>(reader.number("font_size", 8, 72, Need::optional).value_or(ui.fontSizePx));
    ui.operatorName = reader.string("operator", Need::optional).value_or("");
}

void readPluginPath(const toml::node& value, LoadContext& ctx) {
    const std::string expected = "an array of directories, e.g. plugin_path = [\"plugins\"]";
    const auto* array = value.as_array();
    if (array == nullptr) {
        ctx.sink.add(ctx.sink.at(value.source()),
                     "'plugin_path' must be an array, not " + std::string(typeNoun(value.type())), expected);
        return;
    }
    for (const toml::node& element : *array) {
        const auto* text = element.as_string();
        if (text == nullptr) {
            ctx.sink.add(ctx.sink.at(element.source()),
                         "elements of 'plugin_path' must be strings, not " + std::string(typeNoun(element.type())),
                         expected);
            continue;
        }
        if (text->get().empty()) {
            ctx.sink.add(ctx.sink.at(element.source()), "an element of 'plugin_path' is empty",
                         "a directory; use \".\" for the site file's own directory");
            continue;
        }
        ctx.site.pluginSearchPath.push_back(ctx.resolvePath(text->get()));
    }
}

void readPlugins(const toml::node& value, LoadContext& ctx) {
    for (const toml::table* table : sectionTables(value, "plugin", ctx)) {
        TableReader reader(*table, "[[plugin]]", {"id", "path", "enabled", "settings"}, ctx.sink);
        Plugin plugin;
        plugin.pos = reader.where();
        const bool hasId = reader.has("id");
        const bool hasPath = reader.has("path");
        if (hasId && hasPath) {
            ctx.sink.add(reader.posOf("path"), "'path' cannot be combined with 'id' in [[plugin]]",
                         "exactly one of: id (a plugin found on plugin_path) or path (a plugin file)");
        } else if (!hasId && !hasPath) {
            ctx.sink.add(reader.where(), "[[plugin]] has neither 'id' nor 'path'",
                         "exactly one of: id (a plugin found on plugin_path) or path (a plugin file)");
        }
        if (hasId) {
            if (auto id = reader.id("id", Need::optional)) {
                plugin.id = *id;
                ctx.ids.declare("[[plugin]]", plugin.id, reader.posOf("id"), ctx.sink);
            }
        }
        if (hasPath) {
            if (auto path = reader.string("path", Need::required)) {
                plugin.path = ctx.resolvePath(*path);
            }
        }
        plugin.enabled = reader.boolean("enabled", Need::optional).value_or(true);
        plugin.settings = readSettings(reader, "settings");
        ctx.site.plugins.push_back(std::move(plugin));
    }
}

} // namespace ccoc::site::detail
