// declared_settings.cpp: a site's settings tables against their shared objects' declarations.
#include "declared_settings.hpp"

#include "site_source.hpp"
#ifdef CCOC_HOST_BUS
#include "start_checks.hpp"
#endif

#include "ccoc/settings_check.hpp"

#include <filesystem>
#include <map>

namespace ccoc::host {
namespace {

using settings::Declaration;
using settings::Subject;

// Each shared object opened and read once, however many entries name it.
class DeclarationCache {
public:
    const settings::LoadedDeclarations& of(const std::string& path)
    {
        auto it = byPath_.find(path);
        if (it == byPath_.end()) {
            it = byPath_.emplace(path, settings::loadDeclarations(path)).first;
        }
        return it->second;
    }

private:
    std::map<std::string, settings::LoadedDeclarations> byPath_;
};

std::string pluginFile(const site::Plugin& plugin, const std::vector<std::string>& searchPath)
{
    namespace fs = std::filesystem;
    if (!plugin.path.empty()) {
        return plugin.path;  // made absolute by the site reader
    }
    for (const auto& dir : searchPath) {
        const fs::path candidate = fs::path(dir) / (plugin.id + ".so");
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) {
            return candidate.string();
        }
    }
    return {};
}

bool hasSettings(const site::Settings& settings)
{
    return settings.json != "{}" && !settings.json.empty();
}

class Checker {
public:
    Checker(const site::Site& site, DeclaredSettingsReport& report) : ids_(settings::SiteIds::of(site)), report_(report) {}

    // A subject's settings against the declaration; a shared object that declares other subjects
    // but not this one takes no settings here, so anything written is an unknown setting.
    void check(const settings::Declarations& declarations, Subject subject, const site::Settings& table,
               const std::string& owner, bool emptyWhenUndeclared = true)
    {
        const Declaration* declaration = declarations.find(subject);
        const Declaration none(subject, {});
        if (declaration == nullptr && !emptyWhenUndeclared) {
            return;
        }
        checkAgainst(declaration != nullptr ? *declaration : none, table, owner);
    }

    void checkAgainst(const Declaration& declaration, const site::Settings& table, const std::string& owner)
    {
        for (const site::Diagnostic& problem : settings::check(declaration, table, ids_, owner)) {
            report_.errors.push_back(problem.format());
        }
    }

    // What a shared object gave; false when there is nothing to check with (reported).
    bool usable(const settings::LoadedDeclarations& loaded, const site::SourcePos& pos, const std::string& owner,
                const std::string& path)
    {
        if (!loaded.opened) {
            report_.warnings.push_back(formatPosition(pos) + ": settings of " + owner + " not checked: " + loaded.error);
            return false;
        }
        if (!loaded.declared) {
            report_.warnings.push_back(formatPosition(pos) + ": settings of " + owner + " not checked (no declaration): " +
                                       path + " exports no " CCOC_SETTINGS_DECLARATIONS_SYMBOL);
            return false;
        }
        if (!loaded.declarations) {
            report_.errors.push_back(formatPosition(pos) + ": the settings declarations of " + path + " (" + owner +
                                     ") cannot be read: " + loaded.error + "; expected a plugin built against this SDK");
            return false;
        }
        return true;
    }

private:
    settings::SiteIds ids_;
    DeclaredSettingsReport& report_;
};

} // namespace

DeclaredSettingsReport checkDeclaredSettings(const site::Site& site, const std::vector<std::string>& pluginSearchPath)
{
    DeclaredSettingsReport report;
    Checker checker(site, report);
    DeclarationCache cache;

    std::map<std::string, const Declaration*> panelTypes;  // pointers into the cache's declarations
    for (const auto& plugin : site.plugins) {
        if (!plugin.enabled) {
            continue;
        }
        const std::string owner = "[[plugin]] '" + (plugin.id.empty() ? plugin.path : plugin.id) + "'";
        const std::string path = pluginFile(plugin, pluginSearchPath);
        if (path.empty()) {
            continue;  // the loader refuses it with the folders it tried
        }
        const settings::LoadedDeclarations& loaded = cache.of(path);
        if (!checker.usable(loaded, plugin.pos, owner, path)) {
            continue;
        }
        for (const Declaration& declaration : loaded.declarations->all()) {
            if (declaration.subject() == Subject::Panel) {
                panelTypes.emplace(declaration.id(), &declaration);
            }
        }
        checker.check(*loaded.declarations, Subject::Plugin, plugin.settings, owner);
    }
    for (const auto& panel : site.panels) {
        const std::string owner = "[[panel]] '" + panel.id + "'";
        if (const auto it = panelTypes.find(panel.type); it != panelTypes.end()) {
            checker.checkAgainst(*it->second, panel.settings, owner);
        } else if (hasSettings(panel.settings)) {
            report.warnings.push_back(formatPosition(panel.pos) + ": settings of " + owner + " not checked (no declaration): "
                                      "no plugin of the site declares panel type '" + panel.type + "'");
        }
    }
#ifdef CCOC_HOST_BUS
    for (const auto& driver : site.drivers) {
        if (!driver.enabled || !driver.command.empty()) {
            continue;  // a program of its own checks its own settings
        }
        const std::string owner = "[[driver]] '" + driver.id + "'";
        const std::string path = findDriverPlugin(driver, pluginSearchPath);
        if (path.empty()) {
            continue;  // --check reports the missing .so; the supervisor logs it
        }
        const settings::LoadedDeclarations& loaded = cache.of(path);
        if (!checker.usable(loaded, driver.pos, owner, path)) {
            continue;
        }
        checker.check(*loaded.declarations, Subject::Driver, driver.settings, owner);
        for (const auto& device : site.devices) {
            if (device.driver == driver.id) {
                // Devices are checked only against a declaration of device settings.
                checker.check(*loaded.declarations, Subject::Device, device.settings, "[[device]] '" + device.id + "'", false);
            }
        }
    }
    for (const auto& service : site.services) {
        if (!service.enabled || service.run != site::ServiceRun::Local) {
            continue;  // one that runs on another machine is checked by the host that runs it
        }
        const std::string owner = "[[service]] '" + service.id + "'";
        const std::string path = findServicePlugin(service, pluginSearchPath);
        if (path.empty()) {
            continue;  // --check reports the missing .so; the supervisor logs it
        }
        const settings::LoadedDeclarations& loaded = cache.of(path);
        if (!checker.usable(loaded, service.pos, owner, path)) {
            continue;
        }
        checker.check(*loaded.declarations, Subject::Service, service.settings, owner);
    }
#endif
    return report;
}

void checkSharedObjectSettings(const site::Site& site, const std::string& path, settings::Subject subject,
                               const site::Settings& table, const std::string& owner, const site::SourcePos& entryPos,
                               DeclaredSettingsReport& report)
{
    Checker checker(site, report);
    const settings::LoadedDeclarations loaded = settings::loadDeclarations(path);
    if (checker.usable(loaded, entryPos, owner, path)) {
        checker.check(*loaded.declarations, subject, table, owner);
    }
}

} // namespace ccoc::host
