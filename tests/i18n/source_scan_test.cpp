// No language switch written by hand: outside the SDK's i18n headers, no `thai ? ... : ...`, no
// words(thai, ...) and no comparison of a language with "th". Text differs between languages only
// through the catalogues and ccoc/i18n*.hpp.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// What a hand-made switch looks like; each pattern is shown in the failure message.
const std::vector<std::pair<std::string, std::regex>>& switchPatterns()
{
    static const std::vector<std::pair<std::string, std::regex>> patterns = {
        {"a `thai ?` switch", std::regex(R"(\bthai_?\s*\?)", std::regex::icase)},
        {"a words(thai, ...) call", std::regex(R"(\bwords\s*\(\s*thai)", std::regex::icase)},
        {"a comparison with \"th\"", std::regex(R"([=!]=\s*"th"|"th"\s*[=!]=|strcmp\s*\([^;]*"th")")},
        {"a bool thai", std::regex(R"(\bbool\s+thai_?\b)")},
    };
    return patterns;
}

// "FILE:LINE: what" for every hand-made switch in `text`.
std::vector<std::string> findSwitches(const std::string& file, const std::string& text)
{
    std::vector<std::string> found;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        for (const auto& [what, pattern] : switchPatterns()) {
            if (std::regex_search(line, pattern)) {
                found.push_back(file + ":" + std::to_string(number) + ": " + what + ": " + line);
            }
        }
    }
    return found;
}

bool isSource(const fs::path& path)
{
    const std::string ext = path.extension().string();
    return ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".c";
}

} // namespace

TEST_CASE("i18n/no hand-made language switch: the scanner sees each kind")
{
    CHECK(findSwitches("a.cpp", R"(label = thai ? "ออฟไลน์" : "OFFLINE";)").size() == 1);
    CHECK(findSwitches("a.cpp", R"(x = thai_ ? th : en;)").size() == 1);
    CHECK(findSwitches("a.cpp", R"(ImGui::Checkbox(words(thai, "details", "รายละเอียด"));)").size() == 1);
    CHECK(findSwitches("a.cpp", R"(if (language == "th") {)").size() == 1);
    CHECK(findSwitches("a.cpp", R"(thai_ = std::strcmp(language, "th") == 0;)").size() == 1);
    CHECK(findSwitches("a.cpp", R"(const bool thai = false;)").size() == 1);
    CHECK(findSwitches("a.cpp", R"(ImGui::TextUnformatted(tr("Open alarms"));)").empty());
    CHECK(findSwitches("a.cpp", R"(// a Thai font (thai glyphs) is needed)").empty());
}

TEST_CASE("i18n/no hand-made language switch in the host, the plugins, the tools or the SDK's libraries")
{
    const fs::path root(CCOC_SOURCE_DIR);
    std::vector<std::string> found;
    size_t scanned = 0;
    for (const char* area : {"host", "plugins", "tools", "services", "sdk/src", "sdk/include", "sdk/examples"}) {
        const fs::path dir = root / area;
        if (!fs::is_directory(dir)) {
            continue;
        }
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
            const fs::path& path = entry.path();
            // The SDK's i18n headers are the one place that knows languages apart.
            if (!entry.is_regular_file() || !isSource(path) || path.filename().string().rfind("i18n", 0) == 0) {
                continue;
            }
            std::ifstream in(path);
            std::stringstream text;
            text << in.rdbuf();
            ++scanned;
            const auto hits = findSwitches(fs::relative(path, root).string(), text.str());
            found.insert(found.end(), hits.begin(), hits.end());
        }
    }
    CHECK(scanned > 100);
    std::string report;
    for (const auto& hit : found) {
        report += hit + "\n";
    }
    INFO("move these words to the catalogue (ccoc::tr, po/th.po) or use ccoc/i18n_format.hpp:\n" << report);
    CHECK(found.empty());
}
