// TableReader: the one place that turns TOML values into checked C++ values with messages.
#include "table_reader.hpp"

#include <algorithm>
#include <sstream>

namespace ccoc::site::detail {

const std::string_view kIdExpectation =
    "an id of lowercase letters, digits, '_', '.' and '-' that starts with a letter or digit, at "
    "most 64 characters";

std::string_view typeNoun(toml::node_type type) noexcept {
    switch (type) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
    }
    return "nothing";
}

bool isValidId(std::string_view id) noexcept {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    auto lowerOrDigit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!lowerOrDigit(id.front())) {
        return false;
    }
    return std::all_of(id.begin(), id.end(),
                       [&](char c) { return lowerOrDigit(c) || c == '_' || c == '.' || c == '-'; });
}

std::string formatNumber(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

namespace {
std::string joinKeys(const std::vector<std::string_view>& keys) {
    std::string text;
    for (auto key : keys) {
        text += text.empty() ? "" : ", ";
        text += key;
    }
    return text;
}

std::string quotedStringExpectation(std::string_view key) {
    return "a quoted string, e.g. " + std::string(key) + " = \"...\"";
}
} // namespace

TableReader::TableReader(const toml::table& table, std::string tableName,
                         std::vector<std::string_view> allowedKeys, DiagnosticSink& sink)
    : table_(table), name_(std::move(tableName)), allowed_(std::move(allowedKeys)), sink_(sink) {
    for (auto&& [key, value] : table_) {
        if (std::find(allowed_.begin(), allowed_.end(), key.str()) == allowed_.end()) {
            sink_.add(sink_.at(key.source()), "unknown key '" + std::string(key.str()) + "' in " + name_,
                      "one of: " + joinKeys(allowed_));
        }
    }
}

const toml::node* TableReader::node(std::string_view key) const noexcept { return table_.get(key); }

SourcePos TableReader::posOf(std::string_view key) const {
    const toml::node* value = node(key);
    return value != nullptr ? sink_.at(value->source()) : where();
}

void TableReader::reportMissing(std::string_view key, std::string_view expected) {
    sink_.add(where(), "missing required key '" + std::string(key) + "' in " + name_, std::string(expected));
}

void TableReader::reportWrongType(std::string_view key, const toml::node& value, std::string_view wanted,
                                  std::string_view expected) {
    sink_.add(sink_.at(value.source()),
              "'" + std::string(key) + "' must be " + std::string(wanted) + ", not " +
                  std::string(typeNoun(value.type())),
              std::string(expected));
}

const toml::node* TableReader::fetch(std::string_view key, std::initializer_list<toml::node_type> types,
                                     std::string_view wanted, std::string_view expected, Need need) {
    const toml::node* value = node(key);
    if (value == nullptr) {
        if (need == Need::required) {
            reportMissing(key, expected);
        }
        return nullptr;
    }
    if (std::find(types.begin(), types.end(), value->type()) == types.end()) {
        reportWrongType(key, *value, wanted, expected);
        return nullptr;
    }
    return value;
}

std::optional<std::string> TableReader::string(std::string_view key, Need need) {
    const std::string expected = quotedStringExpectation(key);
    const toml::node* value = fetch(key, {toml::node_type::string}, "a string", expected, need);
    if (value == nullptr) {
        return std::nullopt;
    }
    std::string text = value->as_string()->get();
    if (need == Need::required && text.empty()) {
        sink_.add(sink_.at(value->source()), "'" + std::string(key) + "' must not be empty",
                  "a non-empty string");
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> TableReader::choice(std::string_view key,
                                               const std::vector<std::string_view>& choices, Need need) {
    const std::string expected = "one of: " + joinKeys(choices);
    const toml::node* value = fetch(key, {toml::node_type::string}, "a string", expected, need);
    if (value == nullptr) {
        return std::nullopt;
    }
    const std::string& text = value->as_string()->get();
    if (std::find(choices.begin(), choices.end(), text) == choices.end()) {
        sink_.add(sink_.at(value->source()), "'" + std::string(key) + "' is '" + text + "', which is not allowed",
                  expected);
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> TableReader::id(std::string_view key, Need need) {
    const toml::node* value = fetch(key, {toml::node_type::string}, "a string", kIdExpectation, need);
    if (value == nullptr) {
        return std::nullopt;
    }
    const std::string& text = value->as_string()->get();
    if (!isValidId(text)) {
        sink_.add(sink_.at(value->source()), "'" + std::string(key) + "' is '" + text + "', which is not a valid id",
                  std::string(kIdExpectation));
        return std::nullopt;
    }
    return text;
}

std::optional<int64_t> TableReader::integer(std::string_view key, int64_t min, int64_t max, Need need) {
    const std::string expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    const toml::node* value = fetch(key, {toml::node_type::integer}, "an integer", expected, need);
    if (value == nullptr) {
        return std::nullopt;
    }
    const int64_t number = value->as_integer()->get();
    if (number < min || number > max) {
        sink_.add(sink_.at(value->source()),
                  "'" + std::string(key) + "' is " + std::to_string(number) + ", out of range", expected);
        return std::nullopt;
    }
    return number;
}

std::optional<double> TableReader::number(std::string_view key, double min, double max, Need need) {
    const std::string expected = "a number from " + formatNumber(min) + " to " + formatNumber(max);
    const toml::node* value = fetch(key, {toml::node_type::integer, toml::node_type::floating_point},
                                    "a number", expected, need);
    if (value == nullptr) {
        return std::nullopt;
    }
    const double number = value->value<double>().value_or(0.0);
    // Written this way round so NaN is out of range too.
    if (!(number >= min && number <= max)) {
        sink_.add(sink_.at(value->source()), "'" + std::string(key) + "' is " + formatNumber(number) + ", out of range",
                  expected);
        return std::nullopt;
    }
    return number;
}

std::optional<bool> TableReader::boolean(std::string_view key, Need need) {
    const toml::node* value = fetch(key, {toml::node_type::boolean}, "a boolean", "true or false", need);
    if (value == nullptr) {
        return std::nullopt;
    }
    return value->as_boolean()->get();
}

const toml::table* TableReader::subTable(std::string_view key, Need need) {
    const std::string expected = "a table, e.g. " + std::string(key) + " = { name = \"value\" }";
    const toml::node* value = fetch(key, {toml::node_type::table}, "a table", expected, need);
    return value != nullptr ? value->as_table() : nullptr;
}

std::optional<std::vector<std::pair<std::string, SourcePos>>> TableReader::stringList(std::string_view key,
                                                                                     Need need) {
    const std::string expected = "an array of strings, e.g. " + std::string(key) + " = [\"a\", \"b\"]";
    const toml::node* value = fetch(key, {toml::node_type::array}, "an array", expected, need);
    if (value == nullptr) {
        return std::nullopt;
    }
    // Elements that are strings are returned even when others are not, so that their references
    // are still checked.
    std::vector<std::pair<std::string, SourcePos>> items;
    for (const toml::node& element : *value->as_array()) {
        if (const auto* text = element.as_string()) {
            items.emplace_back(text->get(), sink_.at(element.source()));
        } else {
            sink_.add(sink_.at(element.source()),
                      "elements of '" + std::string(key) + "' must be strings, not " +
                          std::string(typeNoun(element.type())),
                      expected);
        }
    }
    return items;
}

std::optional<std::pair<double, double>> TableReader::pair(std::string_view key, const PairSpec& spec, Need need) {
    const std::string_view elementNoun = spec.integral ? "an integer" : "a number";
    const std::string expected = "[" + std::string(spec.firstName) + ", " + std::string(spec.secondName) +
                                 "] with " + std::string(spec.firstName) + " from " + formatNumber(spec.firstMin) +
                                 " to " + formatNumber(spec.firstMax) + " and " + std::string(spec.secondName) +
                                 " from " + formatNumber(spec.secondMin) + " to " + formatNumber(spec.secondMax);
    const toml::node* value = fetch(key, {toml::node_type::array}, "an array", expected, need);
    if (value == nullptr) {
        return std::nullopt;
    }
    const toml::array& items = *value->as_array();
    if (items.size() != 2) {
        sink_.add(sink_.at(value->source()),
                  "'" + std::string(key) + "' has " + std::to_string(items.size()) + " elements, not 2", expected);
        return std::nullopt;
    }
    double numbers[2] = {0.0, 0.0};
    bool good = true;
    for (std::size_t i = 0; i < 2; ++i) {
        const toml::node& element = items[i];
        const std::string_view elementName = i == 0 ? spec.firstName : spec.secondName;
        const bool typeOk = element.is_integer() || (!spec.integral && element.is_floating_point());
        if (!typeOk) {
            sink_.add(sink_.at(element.source()),
                      std::string(elementName) + " in '" + std::string(key) + "' must be " +
                          std::string(elementNoun) + ", not " + std::string(typeNoun(element.type())),
                      expected);
            good = false;
            continue;
        }
        numbers[i] = element.value<double>().value_or(0.0);
        const double min = i == 0 ? spec.firstMin : spec.secondMin;
        const double max = i == 0 ? spec.firstMax : spec.secondMax;
        if (!(numbers[i] >= min && numbers[i] <= max)) {
            sink_.add(sink_.at(element.source()),
                      std::string(elementName) + " in '" + std::string(key) + "' is " + formatNumber(numbers[i]) +
                          ", out of range",
                      expected);
            good = false;
        }
    }
    if (!good) {
        return std::nullopt;
    }
    return std::make_pair(numbers[0], numbers[1]);
}

} // namespace ccoc::site::detail
