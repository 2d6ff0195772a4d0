// Settings tables: free-form keys for panels, devices and plugins, kept both flat and as JSON.
#include "site_sections.hpp"

#include <sstream>

namespace ccoc::site::detail {

namespace {
// Scalars only: arrays (and tables inside arrays) are only in the JSON form.
void flatten(const toml::table& table, const std::string& prefix, std::map<std::string, SettingValue>& out) {
    for (auto&& [key, value] : table) {
        const std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        switch (value.type()) {
        case toml::node_type::table: flatten(*value.as_table(), name, out); break;
        case toml::node_type::string: out[name] = value.as_string()->get(); break;
        case toml::node_type::integer: out[name] = value.as_integer()->get(); break;
        case toml::node_type::floating_point: out[name] = value.as_floating_point()->get(); break;
        case toml::node_type::boolean: out[name] = value.as_boolean()->get(); break;
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time: {
            // Dates and times are kept as their TOML text, e.g. "2026-11-27T08:00:00+07:00".
            std::ostringstream text;
            value.visit([&text](auto&& node) {
                if constexpr (toml::is_date<decltype(node)> || toml::is_time<decltype(node)> ||
                              toml::is_date_time<decltype(node)>) {
                    text << node.get();
                }
            });
            out[name] = text.str();
            break;
        }
        case toml::node_type::array:
        case toml::node_type::none: break;
        }
    }
}
std::string joinKey(const std::string& prefix, std::string_view key) {
    return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// Every node under `node` (tables, arrays and their elements too), so that a plugin can point at a
// value or, for a missing key, at the table that lacks it.
void recordPositions(const toml::node& node, const std::string& name, const DiagnosticSink& sink,
                     Settings& out) {
    const SourcePos pos = sink.at(node.source());
    out.origins[name] = pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
    out.positions[name] = pos;
    if (const toml::table* table = node.as_table()) {
        for (auto&& [key, value] : *table) {
            recordPositions(value, joinKey(name, key.str()), sink, out);
        }
    } else if (const toml::array* array = node.as_array()) {
        for (size_t i = 0; i < array->size(); ++i) {
            recordPositions(*array->get(i), joinKey(name, std::to_string(i)), sink, out);
        }
    }
}
} // namespace

Settings readSettings(TableReader& reader, std::string_view key) {
    Settings settings;
    const toml::table* table = reader.subTable(key, Need::optional);
    if (table == nullptr) {
        // No settings table: a missing key is then best reported at the entry itself.
        const SourcePos entry = reader.where();
        settings.positions[""] = entry;
        settings.origins[""] = entry.file + ":" + std::to_string(entry.line) + ":" + std::to_string(entry.column);
        return settings;
    }
    recordPositions(*table, {}, reader.sink(), settings);
    flatten(*table, {}, settings.values);
    std::ostringstream json;
    json << toml::json_formatter{static_cast<const toml::node&>(*table)};
    settings.json = json.str();
    return settings;
}

} // namespace ccoc::site::detail

namespace ccoc::site {

const std::string* Settings::originOf(std::string_view key) const {
    std::string name(key);
    while (true) {
        if (auto it = origins.find(name); it != origins.end()) {
            return &it->second;
        }
        if (name.empty()) {
            return nullptr;
        }
        // The enclosing table: "account.1234.key_env" -> "account.1234" -> "account" -> "".
        const size_t dot = name.rfind('.');
        name = dot == std::string::npos ? std::string() : name.substr(0, dot);
    }
}

} // namespace ccoc::site
