// settings_messages.cpp: the words of the validator's messages.
#include "settings_messages.hpp"

#include <sstream>

namespace ccoc::settings::detail {
namespace {

using Json = nlohmann::json;

// What a JSON value is, in the words of TOML.
const char* kindOf(const Json& value)
{
    switch (value.type()) {
    case Json::value_t::string: return "a string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a floating-point number";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "a table";
    default: return "a value";
    }
}

} // namespace

std::string number(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
}

std::string joined(const std::vector<std::string>& items, size_t most)
{
    std::string out;
    for (size_t i = 0; i < items.size() && i < most; ++i) {
        out += (i == 0 ? "" : ", ") + items[i];
    }
    if (items.size() > most) {
        out += ", ... (" + std::to_string(items.size()) + " in all)";
    }
    return out.empty() ? "(none)" : out;
}

// "1, an integer"; only the kind when the value must not be echoed.
std::string describe(const nlohmann::json& value, bool hide)
{
    if (hide || value.is_object()) {
        return kindOf(value);
    }
    std::string text = value.dump();
    if (text.size() > 60) {
        text = text.substr(0, 57) + "...";
    }
    return text + ", " + kindOf(value);
}

// What a value of `setting` must be, in words: "a [[camera]] id (a string)", "an integer from 1 to 8".
std::string expectation(const Setting& setting, bool element)
{
    const bool array = setting.type == Type::StringArray || setting.type == Type::IntegerArray;
    std::string what;
    if (setting.reference != Reference::None) {
        what = std::string(referenceName(setting.reference)) + " (a string)";
        if (array && !element) {
            what = "an array of strings, each " + what.substr(0, what.size() - std::string(" (a string)").size());
        }
    } else if (setting.type == Type::Choice) {
        what = "one of: " + joined(setting.choices, 64);
    } else if (array && element) {
        what = setting.type == Type::StringArray ? "a string" : "an integer";
    } else {
        what = typeName(setting.type);
    }
    if (setting.type == Type::Url && !setting.choices.empty()) {
        what += " with scheme " + joined(setting.choices);
    }
    const bool numeric = setting.type == Type::Integer || setting.type == Type::Number || setting.type == Type::Duration ||
                         setting.type == Type::IntegerArray;
    if (numeric && (setting.min || setting.max) && (!array || element)) {
        if (setting.min && setting.max) {
            what += " from " + number(*setting.min) + " to " + number(*setting.max);
        } else if (setting.min) {
            what += " from " + number(*setting.min);
        } else {
            what += " of at most " + number(*setting.max);
        }
    }
    return what;
}

// What a reference names, as the site file calls it.
std::string entryName(Reference reference)
{
    switch (reference) {
    case Reference::Camera: return "[[camera]]";
    case Reference::Device: return "[[device]]";
    case Reference::Driver: return "[[driver]]";
    case Reference::Screen: return "[[screen]]";
    case Reference::Panel: return "[[panel]]";
    case Reference::Wall: return "camera wall (\"wall.\" + a camera.wall [[panel]] id)";
    case Reference::None: break;
    }
    return "entry";
}

} // namespace ccoc::settings::detail
