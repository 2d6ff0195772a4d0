// Helpers shared by the site-file tests.
#pragma once

#include "ccoc/site.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ccoc::site::test {

// Every error of `text` (parsed as "site.toml"), formatted.
inline std::vector<std::string> errorsOf(std::string_view text) {
    std::vector<std::string> lines;
    for (const Diagnostic& error : parseSite(text, "site.toml").errors) {
        lines.push_back(error.format());
    }
    return lines;
}

inline std::vector<std::string> formatted(const LoadResult& result) {
    std::vector<std::string> lines;
    for (const Diagnostic& error : result.errors) {
        lines.push_back(error.format());
    }
    return lines;
}

// A valid file's first lines (lines 1-9); tests append the part they are about from line 10 on.
inline constexpr std::string_view kValidHead = R"([site]
name = "สถานีตำรวจทดสอบ"
name_en = "Test Police Station"
station_code = "TST-0001"

[[screen]]
id = "main"
width = 800
height = 600
)";

inline std::string withHead(std::string_view rest) { return std::string(kValidHead) + std::string(rest); }

} // namespace ccoc::site::test
