// Internal: typed, checked access to one TOML table of a site file.
#pragma once

#include "diagnostics.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccoc::site::detail {

enum class Need { optional, required };

// "a string", "an integer", ... for messages.
[[nodiscard]] std::string_view typeNoun(toml::node_type type) noexcept;
// Ids of screens, panels, cameras, ...: [a-z0-9][a-z0-9_.-]*, at most 64 characters.
[[nodiscard]] bool isValidId(std::string_view id) noexcept;
extern const std::string_view kIdExpectation;
// Prints 8, -90, 0.5 without trailing zeros.
[[nodiscard]] std::string formatNumber(double value);

// Reads one table. The constructor reports every key that is not in `allowedKeys` (a typo must
// never be ignored). Each getter reports a missing required key at the table's position, and a
// wrong type or a value out of range at the value's position, then returns nullopt; it never
// throws. The reader keeps references to `table` and `sink`: both must outlive it.
class TableReader {
public:
    TableReader(const toml::table& table, std::string tableName,
                std::vector<std::string_view> allowedKeys, DiagnosticSink& sink);

    [[nodiscard]] const toml::table& table() const noexcept { return table_; }
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] DiagnosticSink& sink() const noexcept { return sink_; }
    // Position of the table itself (its [header], or '{' of an inline table).
    [[nodiscard]] SourcePos where() const { return sink_.at(table_.source()); }
    [[nodiscard]] const toml::node* node(std::string_view key) const noexcept;
    [[nodiscard]] bool has(std::string_view key) const noexcept { return node(key) != nullptr; }
    // Position of the key's value; the table's position when the key is absent.
    [[nodiscard]] SourcePos posOf(std::string_view key) const;

    // A string; a required one must also be non-empty.
    std::optional<std::string> string(std::string_view key, Need need);
    // A string that must be one of `choices`.
    std::optional<std::string> choice(std::string_view key, const std::vector<std::string_view>& choices,
                                      Need need);
    // A string that must be a valid id (see isValidId).
    std::optional<std::string> id(std::string_view key, Need need);
    std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max, Need need);
    // An integer or a float.
    std::optional<double> number(std::string_view key, double min, double max, Need need);
    std::optional<bool> boolean(std::string_view key, Need need);
    const toml::table* subTable(std::string_view key, Need need);
    // An array of strings; each element that is not a string is reported and left out.
    std::optional<std::vector<std::pair<std::string, SourcePos>>> stringList(std::string_view key,
                                                                            Need need);

    // An array of exactly two numbers, e.g. cell = [column, row] or position = [lat, lon]. Each
    // element is named in messages (`firstName`, `secondName`) and checked against its range.
    struct PairSpec {
        std::string_view firstName;
        double firstMin;
        double firstMax;
        std::string_view secondName;
        double secondMin;
        double secondMax;
        bool integral; // both elements must be integers
    };
    std::optional<std::pair<double, double>> pair(std::string_view key, const PairSpec& spec, Need need);

    // Reports that `key` was expected but absent.
    void reportMissing(std::string_view key, std::string_view expected);

private:
    // Finds the key and checks its type; reports a missing required key or a wrong type.
    const toml::node* fetch(std::string_view key, std::initializer_list<toml::node_type> types,
                            std::string_view wanted, std::string_view expected, Need need);
    void reportWrongType(std::string_view key, const toml::node& value, std::string_view wanted,
                         std::string_view expected);

    const toml::table& table_;
    std::string name_;
    std::vector<std::string_view> allowed_;
    DiagnosticSink& sink_;
};

} // namespace ccoc::site::detail
