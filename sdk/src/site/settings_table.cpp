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
} // namespace

Settings readSettings(TableReader& reader, std::string_view key) {
    Settings settings;
    const toml::table* table = reader.subTable(key, Need::optional);
    if (table == nullptr) {
        return settings;
    }
    flatten(*table, {}, settings.values);
    std::ostringstream json;
    json << toml::json_formatter{static_cast<const toml::node&>(*table)};
    settings.json = json.str();
    return settings;
}

} // namespace ccoc::site::detail
