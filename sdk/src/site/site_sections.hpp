// Internal: what the readers of the site file's sections share.
//
// Each top-level key of a site file has one reader function (declared here) and one entry in the
// table kSections in site_loader.cpp. A reader checks its own keys with a TableReader, fills its
// part of the Site, declares the ids it defines and records the ids it refers to in the
// IdRegistry; references are resolved once every section has been read, so sections may appear
// in any order.
#pragma once

#include "ccoc/site.hpp"
#include "diagnostics.hpp"
#include "table_reader.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::site::detail {

// Ids by section: each section ("[[screen]]", "[[camera]]", ...) is its own id space.
class IdRegistry {
public:
    // Records `id` for `section`. A duplicate is reported at `where`, naming the first's line, and
    // yields false.
    bool declare(std::string_view section, const std::string& id, const SourcePos& where, DiagnosticSink& sink);
    // Records that the value at `where` (the value of key `key`) must be the id of a `section`.
    void refer(std::string_view section, std::string id, SourcePos where, std::string_view key);
    [[nodiscard]] bool contains(std::string_view section, std::string_view id) const;
    // Reports every recorded reference to an id that no `section` declared.
    void resolve(DiagnosticSink& sink) const;

private:
    struct Reference {
        std::string section;
        std::string id;
        SourcePos where;
        std::string key;
    };
    struct Space {
        std::map<std::string, SourcePos, std::less<>> firstSeen;
        std::vector<std::string> inOrder; // to list the known ids in file order
    };
    std::map<std::string, Space, std::less<>> spaces_;
    std::vector<Reference> references_;
};

// Where the references of one [[alarm_rule]] were written, for checks after the whole file is read.
struct AlarmRuleRefs {
    size_t rule = 0; // index in Site::alarmRules
    SourcePos screenPos;
    SourcePos panelPos;
};

struct LoadContext {
    DiagnosticSink& sink;
    IdRegistry& ids;
    Site& site;
    std::filesystem::path baseDir; // absolute directory of the site file
    std::vector<AlarmRuleRefs> alarmRuleRefs = {};
    std::vector<Diagnostic> warnings = {}; // deprecated forms, read anyway

    // `path` made absolute against the site file's directory (unchanged when already absolute).
    [[nodiscard]] std::string resolvePath(std::string_view path) const;
};

// The value of a top-level key must be a table (`[name]`); reports otherwise and returns null.
const toml::table* sectionTable(const toml::node& value, std::string_view key, LoadContext& ctx);
// The value of a top-level key must be an array of tables (`[[name]]`); reports each element
// that is not a table and returns the ones that are.
std::vector<const toml::table*> sectionTables(const toml::node& value, std::string_view key, LoadContext& ctx);

// A settings table flattened (see Settings); an absent key gives empty settings.
Settings readSettings(TableReader& reader, std::string_view key);

// What a site needs at least of [[screen]]s, said when there is none.
inline constexpr std::string_view kScreenExpectation =
    "at least one [[screen]] section, e.g. [[screen]] id = \"wall-1\" width = 1920 height = 1080";

// Readers of the top-level keys, one per key (section_*.cpp).
void readSiteInfo(const toml::node& value, LoadContext& ctx);   // [site]
void readUi(const toml::node& value, LoadContext& ctx);         // [ui]
void readPluginPath(const toml::node& value, LoadContext& ctx); // plugin_path = [...]
void readPlugins(const toml::node& value, LoadContext& ctx);    // [[plugin]]
void readBus(const toml::node& value, LoadContext& ctx);        // [bus] and [[bus.allow]]
void readScreens(const toml::node& value, LoadContext& ctx);    // [[screen]]
void readLayouts(const toml::node& value, LoadContext& ctx);    // [[layout]] and [[layout.region]]
void readPanels(const toml::node& value, LoadContext& ctx);     // [[panel]]
void readCameras(const toml::node& value, LoadContext& ctx);    // [[camera]]
void readDevices(const toml::node& value, LoadContext& ctx);    // [[device]]
void readDrivers(const toml::node& value, LoadContext& ctx);    // [[driver]]
void readServices(const toml::node& value, LoadContext& ctx);   // [[service]]
void readAlarms(const toml::node& value, LoadContext& ctx);     // [alarms] and [alarms.priority]
void readAlarmRules(const toml::node& value, LoadContext& ctx); // [[alarm_rule]]

// The [[service]] the deprecated [alarms] service key (or its default) implies, with the warning
// that shows the [[service]] form (section_services.cpp). After every section was read.
void addImpliedServices(LoadContext& ctx);

// Checks that need the whole file: references to ids (site_validate.cpp).
void validateSite(LoadContext& ctx);
// Checks of [[alarm_rule]]s that need layouts and panels: each rule that pushes cameras reaches a
// camera.wall panel (section_alarms.cpp).
void validateAlarms(LoadContext& ctx);

} // namespace ccoc::site::detail
