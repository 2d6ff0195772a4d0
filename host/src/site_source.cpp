#include "site_source.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <optional>
#include <sstream>

namespace ccoc::host {
namespace {

// The parsed file, or nothing: the loader reports syntax errors, so these look-ups stay quiet.
std::optional<toml::table> parseQuietly(const std::string& siteFile)
{
    std::ifstream in(siteFile, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    try {
        return toml::parse(text.str(), std::string_view{siteFile});
    } catch (const toml::parse_error&) {
        return std::nullopt;
    }
}

site::SourcePos positionOf(const std::string& siteFile, const toml::node& node)
{
    const toml::source_region& region = node.source();
    return {siteFile, region.begin.line, region.begin.column};
}

bool endsWithEnv(std::string_view key)
{
    return key.size() > 4 && key.substr(key.size() - 4) == "_env";
}

void collectEnv(const toml::table& table, const std::string& prefix, const std::string& owner, const std::string& siteFile,
                std::vector<EnvReference>& out)
{
    for (const auto& [key, node] : table) {
        const std::string dotted = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (const toml::table* nested = node.as_table()) {
            collectEnv(*nested, dotted, owner, siteFile, out);
        } else if (const toml::array* list = node.as_array()) {
            // Arrays of tables in settings: [[driver.settings.sensor]] of the MQTT driver.
            for (size_t i = 0; i < list->size(); ++i) {
                if (const toml::table* element = list->get(i)->as_table()) {
                    collectEnv(*element, dotted + "[" + std::to_string(i) + "]", owner, siteFile, out);
                }
            }
        } else if (const auto* text = node.as_string(); text != nullptr && endsWithEnv(key.str())) {
            out.push_back({owner, dotted, text->get(), positionOf(siteFile, node)});
        }
    }
}

} // namespace

site::SourcePos keyPosition(const std::string& siteFile, std::string_view tomlPath)
{
    const std::optional<toml::table> root = parseQuietly(siteFile);
    if (!root) {
        return {siteFile, 0, 0};
    }
    const toml::node* node = root->at_path(tomlPath).node();
    return node == nullptr ? site::SourcePos{siteFile, 0, 0} : positionOf(siteFile, *node);
}

std::string formatPosition(const site::SourcePos& pos)
{
    if (pos.line == 0) {
        return pos.file;
    }
    return pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

std::vector<EnvReference> settingsEnvReferences(const std::string& siteFile)
{
    std::vector<EnvReference> out;
    const std::optional<toml::table> root = parseQuietly(siteFile);
    if (!root) {
        return out;
    }
    for (const char* section : {"driver", "plugin", "panel", "device"}) {
        const toml::array* entries = (*root)[section].as_array();
        if (entries == nullptr) {
            continue;
        }
        for (const toml::node& entry : *entries) {
            const toml::table* table = entry.as_table();
            const toml::table* settings = table == nullptr ? nullptr : (*table)["settings"].as_table();
            if (settings == nullptr) {
                continue;
            }
            const std::string id = (*table)["id"].value_or(std::string());
            collectEnv(*settings, "", "[[" + std::string(section) + "]] '" + id + "'", siteFile, out);
        }
    }
    return out;
}

} // namespace ccoc::host
