// Site files: reading the text, dispatching top-level keys to their section readers.
//
// How to add a section (e.g. [[driver]] for the bus issue):
//   1. write `void readDrivers(const toml::node& value, LoadContext& ctx)` in a section_*.cpp file
//      and declare it in site_sections.hpp; inside, use sectionTable()/sectionTables() for the
//      shape, one TableReader per table (its allowed keys list is the section's schema), and
//      ctx.ids.declare()/refer() for ids;
//   2. add one line to kSections below (the key, the reader, whether it is required);
//   3. add its fields to ccoc::site::Site and document the keys in configs/README.md.
// Unknown keys, wrong types, missing keys and dangling references are then reported like the
// others', and the top-level "allowed keys" list in messages includes the new key by itself.
#include "site_sections.hpp"

#include <cerrno>
#include <cstdio>
#include <exception>
#include <system_error>

namespace ccoc::site {

namespace detail {
namespace {

using SectionReader = void (*)(const toml::node& value, LoadContext& ctx);

struct SectionEntry {
    std::string_view key;
    SectionReader read;
    bool required;
    std::string_view shown;    // how messages name a missing section: "[site]", "[[screen]]"
    std::string_view expected; // said when a required section is missing
};

// Every top-level key a site file may have. Order is the order listed in messages.
constexpr SectionEntry kSections[] = {
    {"site", readSiteInfo, true, "[site]", "a [site] table with name, name_en and station_code"},
    {"ui", readUi, false, {}, {}},
    {"plugin_path", readPluginPath, false, {}, {}},
    {"screen", readScreens, true, "[[screen]]", kScreenExpectation},
    {"layout", readLayouts, false, {}, {}},
    {"panel", readPanels, false, {}, {}},
    {"camera", readCameras, false, {}, {}},
    {"device", readDevices, false, {}, {}},
    {"plugin", readPlugins, false, {}, {}},
    {"driver", readDrivers, false, {}, {}},
    {"service", readServices, false, {}, {}},
    {"bus", readBus, false, {}, {}},
    {"alarms", readAlarms, false, {}, {}},
    {"alarm_rule", readAlarmRules, false, {}, {}},
};

std::string knownTopLevelKeys() {
    std::string text;
    for (const SectionEntry& entry : kSections) {
        text += text.empty() ? "" : ", ";
        text += entry.key;
    }
    return text;
}

const SectionEntry* findSection(std::string_view key) {
    for (const SectionEntry& entry : kSections) {
        if (entry.key == key) {
            return &entry;
        }
    }
    return nullptr;
}

std::filesystem::path baseDirectoryOf(const std::string& sourceName) {
    std::error_code ignored;
    std::filesystem::path file(sourceName);
    std::filesystem::path absolute = std::filesystem::absolute(file, ignored);
    if (absolute.empty()) {
        absolute = file;
    }
    return absolute.parent_path().lexically_normal();
}

void readRoot(const toml::table& root, LoadContext& ctx) {
    for (auto&& [key, value] : root) {
        const SectionEntry* entry = findSection(key.str());
        if (entry == nullptr) {
            ctx.sink.add(ctx.sink.at(key.source()), "unknown top-level key '" + std::string(key.str()) + "'",
                         "one of: " + knownTopLevelKeys());
            continue;
        }
        entry->read(value, ctx);
    }
    for (const SectionEntry& entry : kSections) {
        if (entry.required && !root.contains(entry.key)) {
            ctx.sink.add(ctx.sink.fileStart(), "missing required section " + std::string(entry.shown),
                         std::string(entry.expected));
        }
    }
}

} // namespace

std::string LoadContext::resolvePath(std::string_view path) const {
    std::filesystem::path given{std::string(path)};
    std::filesystem::path resolved = given.is_absolute() ? given.lexically_normal() : (baseDir / given).lexically_normal();
    // "plugins/" and "plugins" name the same directory; keep one spelling for comparisons.
    if (!resolved.has_filename() && resolved.has_relative_path()) {
        resolved = resolved.parent_path();
    }
    return resolved.string();
}

const toml::table* sectionTable(const toml::node& value, std::string_view key, LoadContext& ctx) {
    if (const auto* table = value.as_table()) {
        return table;
    }
    ctx.sink.add(ctx.sink.at(value.source()),
                 "'" + std::string(key) + "' must be a table, not " + std::string(typeNoun(value.type())),
                 "a [" + std::string(key) + "] section");
    return nullptr;
}

std::vector<const toml::table*> sectionTables(const toml::node& value, std::string_view key, LoadContext& ctx) {
    std::vector<const toml::table*> tables;
    const std::string expected = "[[" + std::string(key) + "]] sections, one per item";
    const auto* array = value.as_array();
    if (array == nullptr) {
        ctx.sink.add(ctx.sink.at(value.source()),
                     "'" + std::string(key) + "' must be an array of tables, not " +
                         std::string(typeNoun(value.type())),
                     expected);
        return tables;
    }
    for (const toml::node& element : *array) {
        if (const auto* table = element.as_table()) {
            tables.push_back(table);
        } else {
            ctx.sink.add(ctx.sink.at(element.source()),
                         "elements of '" + std::string(key) + "' must be tables, not " +
                             std::string(typeNoun(element.type())),
                         expected);
        }
    }
    return tables;
}

} // namespace detail

LoadResult parseSite(std::string_view text, const std::string& sourceName) {
    LoadResult result;
    detail::DiagnosticSink sink(sourceName);
    try {
        toml::table root = toml::parse(text, std::string_view{sourceName});
        Site site;
        site.sourceFile = sourceName;
        detail::IdRegistry ids;
        detail::LoadContext ctx{sink, ids, site, detail::baseDirectoryOf(sourceName)};
        detail::readRoot(root, ctx);
        detail::addImpliedServices(ctx);
        detail::validateSite(ctx);
        result.warnings = std::move(ctx.warnings);
        if (sink.empty()) {
            result.site = std::move(site);
        }
    } catch (const toml::parse_error& error) {
        sink.add(sink.at(error.source()), "invalid TOML: " + std::string(error.description()));
    } catch (const std::exception& error) {
        // Out of memory or a bug: still a value, never an exception out of the library.
        sink.add(sink.fileStart(), std::string("cannot load: ") + error.what());
    }
    result.errors = sink.take();
    return result;
}

LoadResult loadSiteFile(const std::string& path) {
    std::string text;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    int readError = file == nullptr ? errno : 0;
    if (file != nullptr) {
        errno = 0;
        char buffer[65536];
        std::size_t got = 0;
        while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
            text.append(buffer, got);
        }
        if (std::ferror(file) != 0) {
            // e.g. EISDIR: opening a directory succeeds, reading it does not.
            readError = errno != 0 ? errno : EIO;
        }
        std::fclose(file);
    }
    if (readError != 0) {
        LoadResult result;
        result.errors.push_back(Diagnostic{SourcePos{path, 0, 0},
                                           "cannot read: " + std::error_code(readError, std::generic_category()).message(),
                                           {}});
        return result;
    }
    return parseSite(text, path);
}

} // namespace ccoc::site
