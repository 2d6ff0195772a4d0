// settings_validator.cpp: one settings table checked against its declaration, every mistake at
// once, each at the FILE:LINE:COL of its value (or of the table that lacks a required key).
#include "ccoc/settings_check.hpp"

#include "settings_messages.hpp"
#include "value_formats.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace ccoc::settings {
namespace {

using namespace detail;
using Json = nlohmann::json;
using Segments = std::vector<std::string>;

Segments split(std::string_view key)
{
    Segments out;
    size_t start = 0;
    while (true) {
        const size_t dot = key.find('.', start);
        out.emplace_back(key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) {
            return out;
        }
        start = dot + 1;
    }
}

// Whether the first path.size() segments of `pattern` match `path` ("*" matches any one).
bool prefixMatches(const Segments& pattern, const Segments& path)
{
    if (pattern.size() < path.size()) {
        return false;
    }
    for (size_t i = 0; i < path.size(); ++i) {
        if (pattern[i] != "*" && pattern[i] != path[i]) {
            return false;
        }
    }
    return true;
}

class Checker {
public:
    Checker(const Declaration& declaration, const site::Settings& settings, const SiteIds& ids, std::string_view owner)
        : settings_(settings), ids_(ids), owner_(owner)
    {
        for (const Setting& setting : declaration.settings()) {
            patterns_.emplace_back(split(setting.key), &setting);
        }
    }

    std::vector<site::Diagnostic> run()
    {
        const Json root = Json::parse(settings_.json, nullptr, false);
        if (!root.is_object()) {
            fail({}, owner_ + ": its settings are not a table", "a TOML table: settings = { KEY = VALUE, ... }");
        } else {
            walkChildren(root, Place{});
        }
        std::stable_sort(out_.begin(), out_.end(), [](const site::Diagnostic& a, const site::Diagnostic& b) {
            return a.where.line != b.where.line ? a.where.line < b.where.line : a.where.column < b.where.column;
        });
        return std::move(out_);
    }

private:
    struct Place {
        Segments path;      // "tours", "0", "tile"
        std::string dotted; // "tours.0.tile": the key of Settings::positions
        std::string shown;  // "tours[0].tile": what messages say
    };

    static Place child(const Place& parent, const std::string& key, bool index)
    {
        Place place{parent.path, parent.dotted.empty() ? key : parent.dotted + "." + key, parent.shown};
        place.path.push_back(key);
        place.shown = index ? parent.shown + "[" + key + "]" : (parent.shown.empty() ? key : parent.shown + "." + key);
        return place;
    }

    site::SourcePos where(std::string dotted) const
    {
        while (true) {
            if (auto it = settings_.positions.find(dotted); it != settings_.positions.end()) {
                return it->second;
            }
            if (dotted.empty()) {
                return {};
            }
            const size_t dot = dotted.rfind('.');
            dotted = dot == std::string::npos ? std::string() : dotted.substr(0, dot);
        }
    }

    void fail(const std::string& dotted, std::string what, std::string expected)
    {
        out_.push_back(site::Diagnostic{where(dotted), std::move(what), std::move(expected)});
    }

    const Setting* find(const Segments& path) const
    {
        for (const auto& [pattern, setting] : patterns_) {
            if (pattern.size() == path.size() && prefixMatches(pattern, path)) {
                return setting;
            }
        }
        return nullptr;
    }

    bool isTableOnTheWay(const Segments& path) const
    {
        return std::any_of(patterns_.begin(), patterns_.end(),
                           [&](const auto& entry) { return entry.first.size() > path.size() && prefixMatches(entry.first, path); });
    }

    std::vector<std::string> knownAt(const Segments& path) const
    {
        std::set<std::string> known;
        for (const auto& [pattern, setting] : patterns_) {
            if (pattern.size() > path.size() && prefixMatches(pattern, path) && pattern[path.size()] != "*") {
                known.insert(pattern[path.size()]);
            }
        }
        return {known.begin(), known.end()};
    }

    void walkChildren(const Json& table, const Place& here)
    {
        for (const auto& [key, value] : table.items()) {
            const Place place = child(here, key, false);
            if (const Setting* setting = find(place.path)) {
                checkValue(*setting, value, place);
            } else if (value.is_object() && isTableOnTheWay(place.path)) {
                walkChildren(value, place);
            } else {
                unknown(key, here, place, value);
            }
        }
        for (const auto& [pattern, setting] : patterns_) {
            if (setting->required && pattern.size() == here.path.size() + 1 && pattern.back() != "*" &&
                prefixMatches(pattern, here.path) && !table.contains(pattern.back())) {
                const std::string shown = here.shown.empty() ? pattern.back() : here.shown + "." + pattern.back();
                fail(here.dotted, owner_ + " has no setting '" + shown + "', which is required",
                     expectation(*setting, false) + ": " + setting->help);
            }
        }
    }

    // Whether `path` is a table keyed by the integrator ("accounts" of "accounts.*.key_env").
    bool isWildcardTable(const Segments& path) const
    {
        return std::any_of(patterns_.begin(), patterns_.end(), [&](const auto& entry) {
            return entry.first.size() > path.size() + 1 && prefixMatches(entry.first, path) && entry.first[path.size()] == "*";
        });
    }

    void unknown(const std::string& key, const Place& table, const Place& place, const Json& value)
    {
        if (isWildcardTable(table.path)) {
            // Any key is allowed here, but its value must be a table of the declared keys.
            Segments inner = place.path;
            fail(place.dotted, "'" + place.shown + "' of " + owner_ + " is " + describe(value, false),
                 "a table with the keys: " + joined(knownAt(inner), 64));
            return;
        }
        const std::vector<std::string> known = knownAt(table.path);
        std::string nearest;
        size_t best = 3;
        for (const std::string& candidate : known) {
            const size_t distance = editDistance(key, candidate);
            if (distance < best && distance < key.size()) {
                best = distance;
                nearest = candidate;
            }
        }
        std::string what = "unknown setting '" + place.shown + "' in the settings of " + owner_;
        if (!nearest.empty()) {
            what += " (did you mean '" + (table.shown.empty() ? nearest : table.shown + "." + nearest) + "'?)";
        }
        fail(place.dotted, std::move(what), known.empty() ? "no settings here" : "one of: " + joined(known, 64));
    }

    void wrongType(const Setting& setting, const Json& value, const Place& place, bool element)
    {
        fail(place.dotted, "'" + place.shown + "' of " + owner_ + " is " + describe(value, setting.secret),
             expectation(setting, element));
    }

    void checkRange(const Setting& setting, double value, const Json& json, const Place& place, bool element)
    {
        if (setting.min && value < *setting.min) {
            fail(place.dotted, "'" + place.shown + "' of " + owner_ + " is " + describe(json, setting.secret) + ", below " +
                                   number(*setting.min), expectation(setting, element));
        } else if (setting.max && value > *setting.max) {
            fail(place.dotted, "'" + place.shown + "' of " + owner_ + " is " + describe(json, setting.secret) + ", above " +
                                   number(*setting.max), expectation(setting, element));
        } else if (setting.type == Type::Duration && value < 0) {
            fail(place.dotted, "'" + place.shown + "' of " + owner_ + " is " + describe(json, setting.secret) +
                                   ", a negative duration", expectation(setting, element));
        }
    }

    void checkValue(const Setting& setting, const Json& value, const Place& place)
    {
        // The old packed form: the plugin reads and warns about it (it alone knows its syntax).
        if (setting.legacyString && value.is_string()) {
            return;
        }
        switch (setting.type) {
        case Type::Scalar:
            if (value.is_structured() || value.is_null()) {
                wrongType(setting, value, place, false);
            }
            break;
        case Type::String:
        case Type::Choice:
        case Type::Url:
        case Type::EnvName:
        case Type::ListenAddress:
        case Type::IpAddress:
            value.is_string() ? checkText(setting, value, place, false) : wrongType(setting, value, place, false);
            break;
        case Type::Integer:
            value.is_number_integer() ? checkRange(setting, value.get<double>(), value, place, false)
                                      : wrongType(setting, value, place, false);
            break;
        case Type::Number:
        case Type::Duration:
            value.is_number() ? checkRange(setting, value.get<double>(), value, place, false)
                              : wrongType(setting, value, place, false);
            break;
        case Type::Boolean:
            if (!value.is_boolean()) {
                wrongType(setting, value, place, false);
            }
            break;
        case Type::StringArray:
        case Type::IntegerArray:
            checkArray(setting, value, place);
            break;
        case Type::Table:
            value.is_object() ? walkChildren(value, place) : wrongType(setting, value, place, false);
            break;
        case Type::TableArray:
            if (!value.is_array()) {
                wrongType(setting, value, place, false);
                break;
            }
            for (size_t i = 0; i < value.size(); ++i) {
                const Place element = child(place, std::to_string(i), true);
                if (value[i].is_object()) {
                    walkChildren(value[i], element);
                } else {
                    fail(element.dotted, "'" + element.shown + "' of " + owner_ + " is " + describe(value[i], setting.secret),
                         "a table");
                }
            }
            break;
        }
    }

    void checkArray(const Setting& setting, const Json& value, const Place& place)
    {
        if (!value.is_array()) {
            wrongType(setting, value, place, false);
            return;
        }
        for (size_t i = 0; i < value.size(); ++i) {
            const Place element = child(place, std::to_string(i), true);
            const Json& item = value[i];
            if (setting.type == Type::StringArray) {
                item.is_string() ? checkText(setting, item, element, true) : wrongType(setting, item, element, true);
            } else {
                item.is_number_integer() ? checkRange(setting, item.get<double>(), item, element, true)
                                         : wrongType(setting, item, element, true);
            }
        }
    }

    const std::vector<std::string>* idsOf(Reference reference) const
    {
        switch (reference) {
        case Reference::Camera: return &ids_.cameras;
        case Reference::Device: return &ids_.devices;
        case Reference::Driver: return &ids_.drivers;
        case Reference::Screen: return &ids_.screens;
        case Reference::Panel: return &ids_.panels;
        case Reference::Wall: return &ids_.walls;
        case Reference::None: break;
        }
        return nullptr;
    }

    void checkText(const Setting& setting, const Json& json, const Place& place, bool element)
    {
        const std::string text = json.get<std::string>();
        const std::string subject = "'" + place.shown + "' of " + owner_;
        const bool hide = setting.secret || setting.type == Type::EnvName;
        if (text.empty()) {
            if (setting.notEmpty || setting.type == Type::Url || setting.type == Type::EnvName ||
                setting.type == Type::ListenAddress || setting.type == Type::IpAddress || setting.type == Type::Choice) {
                fail(place.dotted, subject + " is empty", expectation(setting, element));
            }
            return;
        }
        switch (setting.type) {
        case Type::Choice:
            if (std::find(setting.choices.begin(), setting.choices.end(), text) == setting.choices.end()) {
                // A near miss of a word ("normaly_open"), not of a short code ("4x4" is no typo of "3x3").
                std::string hint;
                for (const std::string& choice : setting.choices) {
                    if (editDistance(text, choice) <= std::max<size_t>(1, text.size() / 4) && text.size() > 3) {
                        hint = " (did you mean \"" + choice + "\"?)";
                        break;
                    }
                }
                fail(place.dotted, subject + " is " + describe(json, hide) + ", not one of the choices" + hint,
                     expectation(setting, element));
            }
            return;
        case Type::Url:
            if (const std::string problem = detail::urlProblem(text, setting.choices); !problem.empty()) {
                fail(place.dotted, subject + " is not a URL it takes: " + problem, expectation(setting, element));
            }
            return;
        case Type::EnvName:
            if (!detail::isEnvName(text)) {
                fail(place.dotted, subject + " is not the name of an environment variable (its value is not shown: it may be "
                                             "a secret typed where the variable's name goes)",
                     "a name such as CAMERA_PASSWORD: capital letters, digits and _, not starting with a digit; the secret "
                     "itself goes into that variable");
            }
            return;
        case Type::ListenAddress:
            if (const std::string problem = detail::listenAddressProblem(text); !problem.empty()) {
                fail(place.dotted, subject + " is " + describe(json, hide) + ": " + problem, expectation(setting, element));
            }
            return;
        case Type::IpAddress:
            if (const std::string problem = detail::ipAddressProblem(text); !problem.empty()) {
                fail(place.dotted, subject + " is " + describe(json, hide) + ": " + problem, expectation(setting, element));
            }
            return;
        default: break;
        }
        if (const std::vector<std::string>* known = idsOf(setting.reference)) {
            if (std::find(known->begin(), known->end(), text) == known->end()) {
                fail(place.dotted, subject + " is " + describe(json, hide) + ", which is no " + entryName(setting.reference) +
                                       " of the site",
                     "one of: " + joined(*known));
            }
        }
    }

    const site::Settings& settings_;
    const SiteIds& ids_;
    std::string owner_;
    std::vector<std::pair<Segments, const Setting*>> patterns_;
    std::vector<site::Diagnostic> out_;
};

} // namespace

std::vector<site::Diagnostic> check(const Declaration& declaration, const site::Settings& settings, const SiteIds& ids,
                                    std::string_view owner)
{
    return Checker(declaration, settings, ids, owner).run();
}

} // namespace ccoc::settings
