#include "site_check.hpp"

#include "declared_settings.hpp"
#include "site_source.hpp"

#include "ccoc/env_name.hpp"

#ifdef CCOC_HOST_BUS
#include "start_checks.hpp"

#include "ccoc/bus/site_config.hpp"
#endif

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace ccoc::host {
namespace {

#ifdef CCOC_HOST_BUS

void add(SiteCheckReport& report, Severity severity, std::string message)
{
    (severity == Severity::Error ? report.errors : report.warnings).push_back(std::move(message));
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out.empty() ? "(none)" : out;
}

// The [bus] key pairs of the broker and of the host itself, as BusRuntime::start reads them.
void checkBusKeys(const site::Site& site, SiteCheckReport& report)
{
    if (site.bus.curve && site.bus.embeddedBroker) {
        bus::BrokerConfig broker;
        if (bus::Status read = brokerConfigForSite(site, broker); !read.ok()) {
            add(report, Severity::Error, read.error + " (the embedded broker would not start)");
        }
    }
    bus::ClientConfig client;
    if (bus::Status read = hostClientConfigForSite(site, client); !read.ok()) {
        add(report, Severity::Error, read.error + " (the host would run without the bus)");
    }
}

// A bus without security that other machines can reach: the warning the host logs when it starts
// the bus, on the same endpoints (the CCOC_BUS_* overrides included).
void checkOpenBus(const site::Site& site, SiteCheckReport& report)
{
    const auto endpoint = [](const char* variable, const std::string& fromSite) {
        const char* value = std::getenv(variable);
        return value != nullptr && *value != '\0' ? std::string(value) : fromSite;
    };
    const auto open = site::openBusNotice(site.bus, site.sourceFile, endpoint("CCOC_BUS_FRONTEND", site.bus.frontend),
                                          endpoint("CCOC_BUS_PUBLISHER", site.bus.publisher));
    if (open && open->warning) {
        add(report, Severity::Warning, open->message);
    }
}

// Each enabled [[driver]]: its key (BusRuntime::addDriverKeys) and, under ccoc-driverd, its .so.
void checkDrivers(const site::Site& site, const std::vector<std::string>& pluginSearchPath, SiteCheckReport& report,
                  std::set<std::string>& peersRunHere)
{
    namespace fs = std::filesystem;
    for (const auto& driver : site.drivers) {
        if (!driver.enabled) {
            continue;
        }
        peersRunHere.insert(driver.id);
        if (const std::optional<StartProblem> problem = checkDriverKeys(site, driver, nullptr)) {
            add(report, problem->severity, problem->message);
        }
        if (!driver.command.empty()) {
            continue;
        }
        const std::string plugin = findDriverPlugin(driver, pluginSearchPath);
        const std::string entry = "driver[" + std::to_string(&driver - site.drivers.data()) + "]";
        std::error_code ec;
        if (plugin.empty()) {
            add(report, Severity::Error,
                formatPosition(keyPosition(site.sourceFile, entry + ".plugin")) + ": [[driver]] '" + driver.id +
                    "': no " + driver.plugin + ".so on the plugin path, so it is not started; expected " +
                    driver.plugin + ".so or drivers/" + driver.plugin + ".so in one of: " + joined(pluginSearchPath) +
                    " (plugin_path of the site, --plugin-path, CCOC_PLUGIN_PATH)");
        } else if (!fs::is_regular_file(plugin, ec)) {
            add(report, Severity::Error,
                formatPosition(keyPosition(site.sourceFile, entry + ".path")) + ": 'path' of [[driver]] '" +
                    driver.id + "' is " + plugin + ", which is not a file; expected the driver's .so (ccoc-driverd would fail at every restart)");
        }
    }
}

// Driver plugins run under ccoc-driverd: without it every such driver fails at every restart.
void checkDriverd(const site::Site& site, const std::string& executablePath, SiteCheckReport& report)
{
    const auto byDriverd = std::find_if(site.drivers.begin(), site.drivers.end(), [](const site::Driver& driver) {
        return driver.enabled && driver.command.empty();
    });
    if (byDriverd == site.drivers.end()) {
        return;
    }
    const std::string driverd = driverdPath(executablePath);
    if (::access(driverd.c_str(), X_OK) != 0) {
        add(report, Severity::Error,
            formatPosition(byDriverd->pos) + ": [[driver]] '" + byDriverd->id + "' runs under ccoc-driverd, and " +
                driverd + " is not an executable file; expected ccoc-driverd installed beside ccoc-host (or "
                          "CCOC_DRIVERD naming it)");
    }
}

// Services run here (run = "local") under ccoc-serviced: its binary, the service plugin, and the
// service's own key on a CURVE bus, as the host checks them when it starts one.
void checkServices(const site::Site& site, const std::vector<std::string>& pluginSearchPath,
                   const std::string& executablePath, SiteCheckReport& report, std::set<std::string>& peersRunHere)
{
    bool servicedChecked = false;
    for (const auto& service : site.services) {
        if (!service.enabled || service.run != site::ServiceRun::Local) {
            continue;
        }
        peersRunHere.insert(service.id);
        const std::string where = formatPosition(service.pos) + ": [[service]] '" + service.id + "'";
        if (findServicePlugin(service, pluginSearchPath).empty()) {
            add(report, Severity::Error,
                where + ": no services/" + service.plugin + ".so on the plugin path; expected the service plugin "
                        "installed (lib/ccoc/plugins/services) or a plugin_path naming its folder");
        }
        if (!servicedChecked) {
            servicedChecked = true;
            const std::string serviced = servicedPath(executablePath);
            if (::access(serviced.c_str(), X_OK) != 0) {
                add(report, Severity::Error,
                    where + " runs under ccoc-serviced, and " + serviced +
                        " is not an executable file; expected ccoc-serviced installed beside ccoc-host (or "
                        "CCOC_SERVICED naming it)");
            }
        }
        if (const std::optional<StartProblem> problem = checkServiceKeys(site, service, nullptr)) {
            add(report, problem->severity, problem->message);
        }
    }
}

// Each camera wall joins the bus as "wall.PANEL" with that entry's key (push to wall needs it).
void checkWalls(const site::Site& site, SiteCheckReport& report, std::set<std::string>& peersRunHere)
{
    for (const std::string& device : site.cameraWallDevices()) {
        peersRunHere.insert(device);
        bus::ClientConfig config;
        const bus::PeerNeeds needs{{"state/" + device + "/", "event/" + device + "/"}, {device}};
        if (bus::Status keys = bus::peerClientConfigFromSite(site.bus, device, config, needs); !keys.ok()) {
            add(report, Severity::Error,
                keys.error + " (camera wall '" + device + "' would stay off the bus: push to wall would not work)");
        }
    }
}

// Entries with a secret_key_file that no peer of this host uses: read with the same function,
// but only a warning, since the file may exist only on the machine that runs that peer.
void checkOtherEntries(const site::Site& site, SiteCheckReport& report, const std::set<std::string>& peersRunHere)
{
    for (const auto& entry : site.bus.allow) {
        if (entry.secretKeyFile.empty() || peersRunHere.count(entry.name) != 0) {
            continue;
        }
        bus::ClientConfig config;
        if (bus::Status keys = bus::peerClientConfigFromSite(site.bus, entry.name, config); !keys.ok()) {
            add(report, Severity::Warning,
                keys.error + " (no peer of this host uses '" + entry.name + "'; fine if the file is on the machine "
                             "that runs it)");
        }
    }
}

#endif // CCOC_HOST_BUS

// Variables that plugins' and drivers' settings name for secrets. The host starts without them;
// the plugin or driver that reads the variable decides, so this can only warn. Runs after the
// declarations' check: a value that is no variable's name is that check's error when the setting
// is declared, else a warning here; either way it is never quoted (it may be the secret itself).
void checkSettingsEnv(const site::Site& site, SiteCheckReport& report)
{
    for (const EnvReference& ref : settingsEnvReferences(site.sourceFile)) {
        const std::string at = formatPosition(ref.pos);
        if (!isEnvName(ref.variable)) {
            const bool reported = std::any_of(report.errors.begin(), report.errors.end(),
                                              [&](const std::string& error) { return error.rfind(at + ":", 0) == 0; });
            if (!reported) {
                report.warnings.push_back(at + ": '" + ref.key + "' in the settings of " + ref.owner +
                                          " is not a name of an environment variable (its value is not shown: it "
                                          "may be a secret); expected " + std::string(kEnvNameExpectation));
            }
            continue;
        }
        if (std::getenv(ref.variable.c_str()) != nullptr) {
            continue;
        }
        report.warnings.push_back(at + ": environment variable '" + ref.variable + "' named by '" + ref.key +
                                  "' in the settings of " + ref.owner +
                                  " is not set; the host starts, but what reads it may refuse its settings; expected "
                                  "the variable set in the environment of ccoc-host");
    }
}

} // namespace

SiteCheckReport checkSiteStart(const site::Site& site, const std::vector<std::string>& pluginSearchPath,
                               const std::string& executablePath)
{
    SiteCheckReport report;
#ifdef CCOC_HOST_BUS
    std::set<std::string> peersRunHere;
    checkOpenBus(site, report);
    checkBusKeys(site, report);
    checkDrivers(site, pluginSearchPath, report, peersRunHere);
    checkDriverd(site, executablePath, report);
    checkServices(site, pluginSearchPath, executablePath, report, peersRunHere);
    if (site.bus.curve) {
        checkWalls(site, report, peersRunHere);
        checkOtherEntries(site, report, peersRunHere);
    }
#else
    (void)pluginSearchPath;
    (void)executablePath;
#endif
    // Every settings table against its plugin's, driver's or service's declaration.
    DeclaredSettingsReport declared = checkDeclaredSettings(site, pluginSearchPath);
    report.errors.insert(report.errors.end(), declared.errors.begin(), declared.errors.end());
    report.warnings.insert(report.warnings.end(), declared.warnings.begin(), declared.warnings.end());
    checkSettingsEnv(site, report);
    return report;
}

int printSiteCheck(const SiteCheckReport& report)
{
    for (const auto& error : report.errors) {
        std::fprintf(stderr, "%s\n", error.c_str());
    }
    for (const auto& warning : report.warnings) {
        std::fprintf(stderr, "warning: %s\n", warning.c_str());
    }
    if (!report.errors.empty()) {
        return 2;
    }
    std::printf("ok\n");
    return 0;
}

} // namespace ccoc::host
