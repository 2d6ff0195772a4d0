// Reading the tables that ccoc-bus prints (std::regex is avoided: GCC 12 warns inside it under
// the sanitizers).
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace ccoc::tooltest {

// The whitespace-separated words of the first line of `output` whose first word is `first`;
// empty when there is none.
inline std::vector<std::string> rowOf(const std::string& output, const std::string& first)
{
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::vector<std::string> row;
        for (std::string word; words >> word;) {
            row.push_back(word);
        }
        if (!row.empty() && row.front() == first) {
            return row;
        }
    }
    return {};
}

// True for 16 lowercase hexadecimal digits (a session id of the SDK).
inline bool isSessionId(const std::string& text)
{
    if (text.size() != 16) {
        return false;
    }
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

} // namespace ccoc::tooltest
