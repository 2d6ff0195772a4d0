// Reading the sim driver's settings (see sim_settings.hpp).
#include "sim_settings.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>

namespace ccoc::sim {

namespace {

using Json = nlohmann::json;

// Unknown keys, types and ranges are the declaration's (sim_declaration.cpp), refused before the
// driver starts; what is read here falls back to the default when a value (from --set) is unusable.
constexpr const char* kDeviceIdExpectation = "a device id of 1-64 letters, digits, '-', '_', '.', ':'";

// A bus topic segment, as the broker requires of device ids.
bool isDeviceId(const std::string& text)
{
    if (text.empty() || text.size() > 64 || text == "." || text == ".." || text.front() == '_') {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || c == ':';
    });
}

std::vector<std::string> splitIds(std::string_view text)
{
    std::vector<std::string> ids;
    std::string current;
    for (char c : text) {
        if (c == ',' || c == ' ') {
            if (!current.empty()) {
                ids.push_back(current);
            }
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) {
        ids.push_back(current);
    }
    return ids;
}

// `doors = ["a", "b"]`: what to paste instead of the old string.
std::string arrayText(const std::string& key, const std::vector<std::string>& ids)
{
    std::string text = key + " = [";
    for (size_t i = 0; i < ids.size(); ++i) {
        text += (i == 0 ? "\"" : ", \"") + ids[i] + "\"";
    }
    return text + "]";
}

class Reader {
public:
    Reader(const Json& table, const SettingsWhere& where, SimSettings& out) : table_(table), where_(where), out_(out) {}

    void fail(const std::string& key, const std::string& what, const std::string& expected)
    {
        out_.errors.push_back(prefix(key) + "settings: " + what + "; expected " + expected);
    }

    void list(const std::string& key, std::vector<std::string>& out)
    {
        if (!table_.contains(key)) {
            return;
        }
        const Json& value = table_[key];
        if (value.is_string()) {
            out = splitIds(value.get<std::string>());
            checkIds(key, out, false);
            // A command line has no arrays: --set doors=a,b stays the way to give a list there.
            if (prefix(key).rfind("--set", 0) != 0) {
                out_.warnings.push_back(prefix(key) + "settings: '" + key +
                                        "' as a comma-separated string is read for this release only; write it "
                                        "as an array: " + arrayText(key, out));
            }
            return;
        }
        if (!value.is_array()) {
            fail(key, "'" + key + "' is " + value.dump(), "an array of device ids, e.g. " + arrayText(key, {"id-1", "id-2"}));
            return;
        }
        out.clear();
        for (size_t i = 0; i < value.size(); ++i) {
            const std::string element = key + "." + std::to_string(i);
            if (!value[i].is_string()) {
                fail(element, "element " + std::to_string(i + 1) + " of '" + key + "' is " + value[i].dump(),
                     kDeviceIdExpectation);
                continue;
            }
            out.push_back(value[i].get<std::string>());
        }
        checkIds(key, out, true);
    }

    void number(const std::string& key, double& out, double low, double high, bool lowOpen)
    {
        if (!table_.contains(key)) {
            return;
        }
        const Json& value = table_[key];
        const bool ok = value.is_number() && (lowOpen ? value.get<double>() > low : value.get<double>() >= low) &&
                        value.get<double>() <= high;
        if (!ok) {
            fail(key, "'" + key + "' is " + value.dump(),
                 std::string("a number ") + (lowOpen ? "above " : "from ") + Json(low).dump() +
                     (lowOpen ? " and at most " : " to ") + Json(high).dump());
            return;
        }
        out = value.get<double>();
    }

    void flag(const std::string& key, bool& out)
    {
        if (!table_.contains(key)) {
            return;
        }
        if (!table_[key].is_boolean()) {
            fail(key, "'" + key + "' is " + table_[key].dump(), "true or false");
            return;
        }
        out = table_[key].get<bool>();
    }

    void seed()
    {
        if (!table_.contains("seed")) {
            return;
        }
        const Json& value = table_["seed"];
        if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 4294967295LL) {
            fail("seed", "'seed' is " + value.dump(), "an integer 0..4294967295 (0: a random seed)");
            return;
        }
        out_.config.seed = static_cast<uint32_t>(value.get<int64_t>());
    }

private:
    std::string prefix(const std::string& key) const
    {
        const std::string origin = where_ ? where_(key) : std::string();
        return origin.empty() ? std::string() : origin + ": ";
    }

    void checkIds(const std::string& key, const std::vector<std::string>& ids, bool perElement)
    {
        for (size_t i = 0; i < ids.size(); ++i) {
            if (!isDeviceId(ids[i])) {
                fail(perElement ? key + "." + std::to_string(i) : key, "'" + ids[i] + "' in '" + key + "' is not a device id",
                     kDeviceIdExpectation);
            }
        }
    }

    const Json& table_;
    const SettingsWhere& where_;
    SimSettings& out_;
};

} // namespace

SimSettings readSimSettings(const std::string& settingsJson, const SettingsWhere& where)
{
    SimSettings settings;
    const Json table = Json::parse(settingsJson, nullptr, false);
    if (!table.is_object()) {
        settings.errors.emplace_back("settings: not a table; expected the [[driver]] settings table");
        return settings;
    }
    Reader reader(table, where, settings);
    reader.list("doors", settings.config.doors);
    reader.list("motion", settings.config.motion);
    reader.list("panic", settings.config.panic);
    reader.list("lights", settings.config.lights);
    reader.number("mean_interval_s", settings.config.meanIntervalSec, 0.0, 86400.0, true);
    reader.number("fault_chance", settings.config.faultChance, 0.0, 1.0, false);
    reader.seed();
    reader.flag("allow_crash", settings.config.allowCrash);
    reader.flag("crash_on_start", settings.crashOnStart);
    return settings;
}

} // namespace ccoc::sim
