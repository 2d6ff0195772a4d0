// Small JSON text helpers for the payloads this driver writes (flat objects of strings, numbers
// and booleans). Thread: any.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace ccoc::sia {

// `text` as a JSON string literal, quotes included; control bytes escaped, bytes >= 0x80 that
// are not UTF-8 replaced by '?' (panels send ASCII; the bus refuses invalid UTF-8).
inline std::string jsonString(std::string_view text)
{
    std::string out = "\"";
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
            out += escaped;
        } else if (byte >= 0x80) {
            out += '?';
        } else {
            out += c;
        }
    }
    return out + "\"";
}

inline std::string jsonBool(bool value)
{
    return value ? "true" : "false";
}

} // namespace ccoc::sia
