// settings_fields.hpp (private): typed optional fields of a settings table, shared by the readers
// of the broker link, the TLS keys and the sensors, so a wrong type reads the same everywhere.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace ccoc::mqtt::detail {

/// Where a key of the settings table was written ("FILE:LINE:COL", from the settings service's
/// `where`), or of its nearest table when the key is absent; empty when unknown. Keys are dotted
/// paths, array elements by 0-based index ("sensor.0.format").
using SettingsWhere = std::function<std::string(const std::string& key)>;

/// "FILE:LINE:COL: " for `key`, to start a message with; empty when `where` knows nothing.
inline std::string wherePrefix(const SettingsWhere& where, const std::string& key)
{
    const std::string origin = where ? where(key) : std::string();
    return origin.empty() ? std::string() : origin + ": ";
}

/// Reports a mistake about `key`: what was found ("'port' is \"x\"") and what was expected ("a string").
using FieldFail = std::function<void(const std::string& key, const std::string& what, const std::string& expected)>;

/// The string at `key`; `fallback` when it is absent, or when it is not a string (reported).
inline std::string textField(const nlohmann::json& table, const char* key, const std::string& fallback,
                             const FieldFail& fail)
{
    if (!table.contains(key)) {
        return fallback;
    }
    if (!table[key].is_string()) {
        fail(key, "'" + std::string(key) + "' is " + table[key].dump(), "a string");
        return fallback;
    }
    return table[key].get<std::string>();
}

/// The boolean at `key`; `fallback` when it is absent, or when it is not a boolean (reported).
inline bool flagField(const nlohmann::json& table, const char* key, const FieldFail& fail, bool fallback = false)
{
    if (table.contains(key) && !table[key].is_boolean()) {
        fail(key, "'" + std::string(key) + "' is " + table[key].dump(), "true or false");
        return fallback;
    }
    return table.value(key, fallback);
}

} // namespace ccoc::mqtt::detail
