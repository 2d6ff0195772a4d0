// driver_settings_check.cpp: ccoc-driverd checks its driver's settings against their declaration.
#include "driver_settings_check.hpp"

#include "ccoc/settings_check.hpp"
#include "ccoc/site.hpp"

#include <cstdio>

int checkDeclaredSettings(const std::string& siteFile, const ccoc::driverd::RunnerOptions& options)
{
    using ccoc::settings::Subject;
    const ccoc::settings::LoadedDeclarations loaded = ccoc::settings::loadDeclarations(options.pluginPath);
    if (!loaded.declared) {
        return ccoc::driverd::kExitOk;  // not opened: the runner says why when it loads the driver
    }
    if (!loaded.declarations) {
        std::fprintf(stderr, "ccoc-driverd: the settings declarations of %s cannot be read: %s\n", options.pluginPath.c_str(),
                     loaded.error.c_str());
        return ccoc::driverd::kExitDriverFailed;
    }
    const auto site = ccoc::site::loadSiteFile(siteFile);
    if (!site.ok()) {
        return ccoc::driverd::kExitOk;  // the caller already refused a broken file
    }
    const ccoc::settings::SiteIds ids = ccoc::settings::SiteIds::of(*site.site);
    const ccoc::settings::Declaration none(Subject::Driver, {});
    const ccoc::settings::Declaration* driver = loaded.declarations->find(Subject::Driver);
    auto problems = ccoc::settings::check(driver != nullptr ? *driver : none, options.settings, ids,
                                          "[[driver]] '" + options.driverId + "'");
    if (const ccoc::settings::Declaration* device = loaded.declarations->find(Subject::Device)) {
        for (const auto& entry : site.site->devices) {
            if (entry.driver == options.driverId) {
                auto more = ccoc::settings::check(*device, entry.settings, ids, "[[device]] '" + entry.id + "'");
                problems.insert(problems.end(), more.begin(), more.end());
            }
        }
    }
    for (const auto& problem : problems) {
        std::fprintf(stderr, "%s\n", problem.format().c_str());
    }
    if (!problems.empty()) {
        std::fprintf(stderr, "ccoc-driverd: driver '%s' has %zu settings error(s); not started\n", options.driverId.c_str(),
                     problems.size());
        return ccoc::driverd::kExitUsage;
    }
    return ccoc::driverd::kExitOk;
}
