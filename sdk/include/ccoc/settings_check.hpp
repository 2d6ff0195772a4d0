// Settings checked against their declaration (ccoc/settings.hpp), and read typed with the
// declared defaults applied. In the SDK's settings library (CMake target CCOC::settings), which
// the host, ccoc-driverd, the service runner, ccoc-settings-doc and plugins link.
//
//   check():            every mistake of one settings table at once, each a Diagnostic with the
//                       FILE:LINE:COL of the value (from site::Settings::positions), or of its table
//                       when a key is missing
//   loadDeclarations(): a shared object's declarations, read with dlopen and dlsym only: nothing
//                       of the plugin runs but its static initialisers
//   Values:             what a plugin reads instead of parsing its settings JSON by hand
//
// Thread: any; no shared state (loadDeclarations: dlopen is thread-safe).
#pragma once

#include "ccoc/settings.hpp"
#include "ccoc/site.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::settings {

/// The ids of a site that a reference may name (Reference). `walls`: ids of camera.wall panels.
struct SiteIds {
    std::vector<std::string> cameras;
    std::vector<std::string> devices;
    std::vector<std::string> drivers;
    std::vector<std::string> screens;
    std::vector<std::string> panels;
    std::vector<std::string> walls;

    /// The ids of `site`, in file order.
    [[nodiscard]] static SiteIds of(const site::Site& site);
};

/// Checks one settings table against its declaration. `owner` names the entry in messages
/// ("[[panel]] 'wall-1'"). Returns every mistake, in file order (empty: all good):
///  - unknown keys, with the keys known at that level and a "did you mean" for a near miss;
///  - wrong types (`cameras = [1, 2]` where camera ids, strings, are declared);
///  - values out of range, not among the choices, malformed URLs, env-var names, listen addresses;
///  - required keys that are missing (reported at their table);
///  - references to ids the site does not have (an unknown camera in `cameras`).
/// Values of secret settings and env-var names are never echoed. Never throws but std::bad_alloc.
[[nodiscard]] std::vector<site::Diagnostic> check(const Declaration& declaration, const site::Settings& settings,
                                                  const SiteIds& ids, std::string_view owner);

/// What loadDeclarations found in a shared object.
struct LoadedDeclarations {
    bool opened = false;                       // dlopen succeeded
    bool declared = false;                     // it exports ccoc_settings_declarations
    std::optional<Declarations> declarations;  // set when declared and readable
    std::string error;                         // why not opened, or why unreadable; empty otherwise
};

/// Opens `path` with dlopen (RTLD_NOW | RTLD_LOCAL, never closed: a plugin may run static code
/// that outlives a close) and reads its declarations through CCOC_SETTINGS_DECLARATIONS_SYMBOL.
/// Does not call ccoc_plugin_entry or anything else of the plugin.
[[nodiscard]] LoadedDeclarations loadDeclarations(const std::string& path);

/// Likewise, from a shared object already open (a dlopen handle). `handle` is not closed.
[[nodiscard]] LoadedDeclarations declarationsOf(void* handle);

/// A settings table read through its declaration: each accessor gives the value written in the
/// file when it has the declared type, else the declared default, else the type's empty value
/// ("", 0, false, {}). Build it from the JSON the host hands a plugin (ccoc_panel_type_v1::create's
/// settings_json, "ccoc.settings/1"'s get_json). Cheap to copy.
class Values {
public:
    /// Reads `json` (a JSON object) for `declaration`. Text that is not a JSON object reads as
    /// empty (every key then has its default).
    static Values read(const Declaration& declaration, std::string_view json);

    /// Whether `key` was written (with any type), as opposed to coming from the default.
    [[nodiscard]] bool has(std::string_view key) const;
    /// String, Choice, Url, EnvName and ListenAddress settings.
    [[nodiscard]] std::string text(std::string_view key) const;
    [[nodiscard]] int64_t integer(std::string_view key) const;
    /// Number and Duration settings (an integer reads as a number).
    [[nodiscard]] double number(std::string_view key) const;
    [[nodiscard]] bool flag(std::string_view key) const;
    [[nodiscard]] std::vector<std::string> strings(std::string_view key) const;
    [[nodiscard]] std::vector<int64_t> integers(std::string_view key) const;
    /// The elements of a TableArray (or the values of a Table keyed by the integrator), each read
    /// with the settings declared under "KEY.*." as its own keys.
    [[nodiscard]] std::vector<Values> tables(std::string_view key) const;
    /// The keys written in a Table, in the JSON's order.
    [[nodiscard]] std::vector<std::string> keys(std::string_view key) const;

    struct Node;  // the JSON value, opaque here (the library uses nlohmann::json)

private:
    std::shared_ptr<const Node> node_;
    std::shared_ptr<const Declaration> declaration_;
    std::string prefix_;  // "tours.*." for an element of tours
};

/// The edit distance (insertions, deletions, substitutions, swaps of neighbours) between two
/// keys, as "did you mean" uses it. Pure.
[[nodiscard]] size_t editDistance(std::string_view a, std::string_view b);

} // namespace ccoc::settings
