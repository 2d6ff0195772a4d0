// A small validating JSON scanner: the decoder's pre-pass (syntax, UTF-8, depth) and a reader for
// flat objects whose nested values are kept as raw text. Internal to ccoc_bus.
//
// Thread: any; no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccoc::bus::detail {

struct JsonValue {
    enum class Type { String, Integer, Number, Bool, Null, Object, Array };
    Type type = Type::Null;
    std::string string;    // String: decoded
    int64_t integer = 0;   // Integer
    bool boolean = false;  // Bool
    std::string_view raw;  // the value's text, for every type
};

using JsonMembers = std::vector<std::pair<std::string, JsonValue>>;

// Validates `json` (one value, surrounding white space allowed). Returns "" or the reason.
std::string scanJson(std::string_view json, size_t maxDepth);

// Reads the members of a JSON object. Nested values are validated (depth counted from the
// object) and returned raw. Returns "" or the reason; `out` is cleared first.
std::string readObject(std::string_view json, size_t maxDepth, JsonMembers& out);

// Splits a JSON array into its elements' raw text. Returns "" or the reason.
std::string readArray(std::string_view json, size_t maxDepth, std::vector<std::string_view>& out);

// Appends `text` as a JSON string literal (with quotes) to `out`.
void appendQuoted(std::string& out, std::string_view text);

// Finds a member by key; nullptr when absent.
const JsonValue* findMember(const JsonMembers& members, std::string_view key) noexcept;

} // namespace ccoc::bus::detail
