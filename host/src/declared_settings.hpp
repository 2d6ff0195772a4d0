// The settings of a site's [[panel]]s, [[plugin]]s, [[driver]]s and [[device]]s checked against
// what their shared objects declare (ccoc/settings.h), without starting anything: each shared
// object is dlopen()ed and only its ccoc_settings_declarations is called. `ccoc-host --check`
// reports the result; the host refuses to start on any error (ARCHITECTURE.md, principle 5).
//
// Errors: every mistake the validator finds (ccoc/settings_check.hpp), "FILE:LINE:COL: ...", and
// a declaration that cannot be read. Warnings: a plugin or driver that declares nothing ("settings
// not checked (no declaration)"), a panel whose type no plugin of the site declares, a shared
// object that cannot be opened (the loader or ccoc-driverd reports that one itself).
//
// Thread: main thread (dlopen of plugins: their static initialisers run).
#pragma once

#include "ccoc/settings.hpp"
#include "ccoc/site.hpp"

#include <string>
#include <vector>

namespace ccoc::host {

struct DeclaredSettingsReport {
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
};

// `pluginSearchPath`: where the host looks for plugins and driver plugins (HostApp::pluginSearchPath()).
DeclaredSettingsReport checkDeclaredSettings(const site::Site& site, const std::vector<std::string>& pluginSearchPath);

// The same in a child process (fork), for the host's start: a shared object that crashes while
// its declaration is read takes only the child down; the report then carries what the child
// sent before it died and a warning that says so. Call it before the host starts any thread.
DeclaredSettingsReport checkDeclaredSettingsIsolated(const site::Site& site, const std::vector<std::string>& pluginSearchPath);

// One settings table of `subject` against what the shared object at `path` declares, added to
// `report` as checkDeclaredSettings does: for entries it does not walk itself, such as a
// [[service]] (Subject::Service) run by the service runner. `owner` names the entry in messages
// ("[[service]] 'alarms'"); `entryPos` is where the entry starts, for the warnings.
void checkSharedObjectSettings(const site::Site& site, const std::string& path, settings::Subject subject,
                               const site::Settings& table, const std::string& owner, const site::SourcePos& entryPos,
                               DeclaredSettingsReport& report);

} // namespace ccoc::host
