// `ccoc-host --check SITE.toml`: everything the host would refuse or fail on at start, checked
// without starting anything: the site file itself (ccoc::site::loadSiteFile, which also refuses a
// camera's password_env that is not set), then what the file only names, through the functions
// start-up calls (start_checks.hpp): the CURVE key files of [bus] and of the [[bus.allow]] entries
// of every peer this host runs (its drivers and services, each camera wall), the driver and
// service plugins, ccoc-driverd and ccoc-serviced, and every settings table against its plugin's,
// driver's or service's declaration (declared_settings.hpp).
//
// Errors: what start-up refuses (the bus, a service, a wall or a driver would not run).
// Warnings: what start-up lets through but may fail later: a key of an entry this host does not
// run (a peer on another machine reads it there), a `command` driver without a key, a settings
// key ending in "_env" naming a variable that is not set (the host starts; the plugin or driver
// that reads it may refuse its settings).
//
// Thread: main thread; reads the environment (not concurrently with setenv).
#pragma once

#include "ccoc/site.hpp"

#include <string>
#include <vector>

namespace ccoc::host {

struct SiteCheckReport {
    std::vector<std::string> errors;   // each: where (FILE:LINE:COL), what, what was expected
    std::vector<std::string> warnings; // same form
};

// The start-up checks of a loaded site. `pluginSearchPath`: where the host would look for driver
// plugins (HostApp::pluginSearchPath()); `executablePath`: the host's argv[0], to find
// ccoc-driverd beside it. No message contains a key or a password.
SiteCheckReport checkSiteStart(const site::Site& site, const std::vector<std::string>& pluginSearchPath,
                               const std::string& executablePath);

// Prints the report of `checkSiteStart` to stderr, errors first, warnings as "warning: ...", and
// "ok" to stdout when there is no error. Returns the exit code: 2 with errors, else 0.
int printSiteCheck(const SiteCheckReport& report);

} // namespace ccoc::host
