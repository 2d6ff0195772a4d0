// ccoc-driverd: runs ONE driver shared object in its own process, connected to the bus.
// The host starts one per [[driver]] of the site file and restarts it when it dies.
#include "driver_keys.hpp"
#include "driver_runner.hpp"
#include "driver_settings_check.hpp"

#include <pthread.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

// How long an orphaned ccoc-driverd waits for its driver to stop before it exits regardless.
constexpr int kOrphanGraceMs = 1000;

constexpr const char* kUsage =
    "usage: ccoc-driverd --id ID (--plugin PATH) [--site FILE] [--set KEY=VALUE]...\n"
    "                    [--frontend ENDPOINT] [--publisher ENDPOINT] [--heartbeat-ms N] [--watchdog-ms N]\n"
    "\n"
    "Runs one CCOC driver (a plugin offering \"ccoc.driver/1\") and connects it to the bus broker.\n"
    "  --id ID            the driver's bus source id ([[driver]] id)\n"
    "  --plugin PATH      the driver shared object\n"
    "  --site FILE        take the settings of [[driver]] ID (and the endpoints of [bus]) from FILE\n"
    "  --set KEY=VALUE    one setting (true/false, integer, number, else text); after --site\n"
    "  --frontend EP      broker ROUTER endpoint (default tcp://127.0.0.1:5570)\n"
    "  --publisher EP     broker PUB endpoint (default tcp://127.0.0.1:5571)\n"
    "  --watchdog-ms N    exit (status 5) when the driver is stuck in one call this long (5000)\n"
    "  --secret-key-file FILE  on a CURVE bus: the file with the driver's secret key (by default the\n"
    "                     secret_key_file of the site's [[bus.allow]] entry named ID)\n"
    "  --public-key KEY   on a CURVE bus: the driver's public key (default: that entry's public_key)\n"
    "  --server-public-key KEY  on a CURVE bus: the broker's (default: [bus] server_public_key)\n"
    "Environment: CCOC_BUS_FRONTEND, CCOC_BUS_PUBLISHER, CCOC_DRIVER_WATCHDOG_MS,\n"
    "CCOC_BUS_SECRET_KEY_FILE, CCOC_BUS_PUBLIC_KEY, CCOC_BUS_SERVER_PUBLIC_KEY are used when the\n"
    "options are absent.\n"
    "Exit status: 0 stopped by SIGTERM/SIGINT, 2 usage, 3 driver failed to load/init/start, 4 bus failed\n"
    "(also: no usable key on a CURVE bus),\n"
    "5 the driver hung.\n";

ccoc::site::SettingValue parseValue(const std::string& text)
{
    if (text == "true" || text == "false") {
        return text == "true";
    }
    char* end = nullptr;
    const long long integer = std::strtoll(text.c_str(), &end, 10);
    if (!text.empty() && end != nullptr && *end == '\0') {
        return static_cast<int64_t>(integer);
    }
    const double number = std::strtod(text.c_str(), &end);
    if (!text.empty() && end != nullptr && *end == '\0') {
        return number;
    }
    return text;
}

std::string jsonEscape(const std::string& text)
{
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
            out += buffer;
        } else {
            out += c;
        }
    }
    return out;
}

// The settings table as JSON when it came from --set only (flat, dotted keys kept as they are).
std::string flatJson(const ccoc::site::Settings& settings)
{
    std::string json = "{";
    for (const auto& [key, value] : settings.values) {
        json += json.size() > 1 ? "," : "";
        json += "\"" + jsonEscape(key) + "\":";
        if (const auto* s = std::get_if<std::string>(&value)) {
            json += "\"" + jsonEscape(*s) + "\"";
        } else if (const auto* i = std::get_if<int64_t>(&value)) {
            json += std::to_string(*i);
        } else if (const auto* d = std::get_if<double>(&value)) {
            json += std::to_string(*d);
        } else if (const auto* b = std::get_if<bool>(&value)) {
            json += *b ? "true" : "false";
        }
    }
    return json + "}";
}

// The site file's settings table (JSON, nested) with the --set values put in, so a driver that
// reads the JSON sees them as one that reads single keys does. A dotted key goes into its nested
// table (made when missing); a number in the path picks an existing array element.
std::string withSetValues(const std::string& siteJson, const ccoc::site::Settings& settings,
                          const std::vector<std::string>& setKeys)
{
    nlohmann::json root = nlohmann::json::parse(siteJson, nullptr, false);
    if (!root.is_object()) {
        root = nlohmann::json::object();
    }
    for (const std::string& key : setKeys) {
        const auto found = settings.values.find(key);
        if (found == settings.values.end()) {
            continue;
        }
        nlohmann::json* node = &root;
        size_t start = 0;
        for (size_t dot = key.find('.'); ; dot = key.find('.', start)) {
            const std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            const bool last = dot == std::string::npos;
            char* end = nullptr;
            const unsigned long index = std::strtoul(part.c_str(), &end, 10);
            if (node->is_array() && !part.empty() && *end == '\0' && index < node->size()) {
                node = &(*node)[index];
            } else {
                if (!node->is_object()) {
                    *node = nlohmann::json::object();
                }
                node = &(*node)[part];
            }
            if (last) {
                break;
            }
            start = dot + 1;
        }
        std::visit([&](const auto& value) { *node = value; }, found->second);
    }
    return root.dump();
}

} // namespace

int main(int argc, char** argv)
{
    using namespace ccoc::driverd;
    // Die with the supervisor: an orphaned driver would keep its devices and its id on the bus,
    // and join the next host's bus under the same id. The host's supervisor sets this in the
    // child before exec already; set here too for a ccoc-driverd started by other means.
    const pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) {
        return kExitOk; // the parent died before the signal was armed: none will come
    }
    RunnerOptions options;
    bool endpointsGiven = false;
    if (const char* env = std::getenv("CCOC_BUS_FRONTEND"); env != nullptr && *env != '\0') {
        options.frontendEndpoint = env;
        endpointsGiven = true;
    }
    if (const char* env = std::getenv("CCOC_BUS_PUBLISHER"); env != nullptr && *env != '\0') {
        options.publisherEndpoint = env;
        endpointsGiven = true;
    }
    if (const char* env = std::getenv("CCOC_DRIVER_WATCHDOG_MS"); env != nullptr && std::atoi(env) > 0) {
        options.watchdogMs = std::atoi(env);
    }
    KeyOptions keys;
    for (auto [name, target] : {std::pair{"CCOC_BUS_SECRET_KEY_FILE", &keys.secretKeyFile},
                                std::pair{"CCOC_BUS_PUBLIC_KEY", &keys.publicKey},
                                std::pair{"CCOC_BUS_SERVER_PUBLIC_KEY", &keys.serverPublicKey}}) {
        if (const char* env = std::getenv(name); env != nullptr) {
            *target = env;
        }
    }
    std::string siteFile;
    std::vector<std::string> sets;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return kExitOk;
        }
        if (!hasValue) {
            std::fprintf(stderr, "ccoc-driverd: %s needs a value\n%s", argv[i], kUsage);
            return kExitUsage;
        }
        const std::string value = argv[++i];
        if (arg == "--id") {
            options.driverId = value;
        } else if (arg == "--plugin") {
            options.pluginPath = value;
        } else if (arg == "--site") {
            siteFile = value;
        } else if (arg == "--set") {
            sets.push_back(value);
        } else if (arg == "--frontend") {
            options.frontendEndpoint = value;
            endpointsGiven = true;
        } else if (arg == "--publisher") {
            options.publisherEndpoint = value;
            endpointsGiven = true;
        } else if (arg == "--watchdog-ms") {
            options.watchdogMs = std::max(100, std::atoi(value.c_str()));
        } else if (arg == "--secret-key-file") {
            keys.secretKeyFile = value;
        } else if (arg == "--public-key") {
            keys.publicKey = value;
        } else if (arg == "--server-public-key") {
            keys.serverPublicKey = value;
        } else if (arg == "--heartbeat-ms") {
            options.heartbeatMs = std::atoi(value.c_str());
        } else {
            std::fprintf(stderr, "ccoc-driverd: unknown option '%s'\n%s", argv[i - 1], kUsage);
            return kExitUsage;
        }
    }
    if (options.driverId.empty() || options.pluginPath.empty()) {
        std::fprintf(stderr, "ccoc-driverd: --id and --plugin are required\n%s", kUsage);
        return kExitUsage;
    }
    if (!siteFile.empty()) {
        const auto loaded = ccoc::site::loadSiteFile(siteFile);
        if (!loaded.ok()) {
            for (const auto& error : loaded.errors) {
                std::fprintf(stderr, "%s\n", error.format().c_str());
            }
            return kExitUsage;
        }
        const auto& drivers = loaded.site->drivers;
        const auto it = std::find_if(drivers.begin(), drivers.end(), [&](const auto& d) { return d.id == options.driverId; });
        if (it == drivers.end()) {
            std::fprintf(stderr, "ccoc-driverd: %s has no [[driver]] with id '%s'\n", siteFile.c_str(),
                         options.driverId.c_str());
            return kExitUsage;
        }
        options.settings = it->settings;
        if (!endpointsGiven) {
            options.frontendEndpoint = loaded.site->bus.frontend;
            options.publisherEndpoint = loaded.site->bus.publisher;
        }
        options.heartbeatMs = loaded.site->bus.heartbeatMs;
        if (const std::string error = resolveDriverKeys(&loaded.site->bus, keys, options); !error.empty()) {
            std::fprintf(stderr, "ccoc-driverd: driver '%s' stays off the bus: %s\n", options.driverId.c_str(),
                         error.c_str());
            return kExitBusFailed;
        }
    } else if (const std::string error = resolveDriverKeys(nullptr, keys, options); !error.empty()) {
        std::fprintf(stderr, "ccoc-driverd: driver '%s' stays off the bus: %s\n", options.driverId.c_str(), error.c_str());
        return kExitBusFailed;
    }
    std::vector<std::string> setKeys;
    for (const auto& set : sets) {
        const size_t eq = set.find('=');
        if (eq == std::string::npos || eq == 0) {
            std::fprintf(stderr, "ccoc-driverd: --set '%s' is not KEY=VALUE\n", set.c_str());
            return kExitUsage;
        }
        const std::string key = set.substr(0, eq);
        setKeys.push_back(key);
        options.settings.values[key] = parseValue(set.substr(eq + 1));
        // The value now comes from the command line: messages about it point there, not at the file.
        // A position with no line formats as its "file" alone: "--set port: 'port' of ...".
        options.settings.positions[key] = ccoc::site::SourcePos{"--set " + key, 0, 0};
        options.settings.origins[key] = "--set " + key;
    }
    if (siteFile.empty()) {
        options.settings.json = flatJson(options.settings);
    } else if (!setKeys.empty()) {
        options.settings.json = withSetValues(options.settings.json, options.settings, setKeys);
    }
    if (!siteFile.empty()) {
        // The settings against the driver's declaration (ccoc/settings.h), as the host checks
        // them before it starts this process: a driver run on its own is held to the same file.
        if (const int refused = checkDeclaredSettings(siteFile, options); refused != kExitOk) {
            return refused;
        }
    }

    // The stop signals are blocked in every thread (all start after this) and taken by one
    // waiting thread, so they never interrupt a socket call of the bus client with EINTR.
    signal(SIGPIPE, SIG_IGN);
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stops, nullptr);
    std::thread([stops, parent] {
        int signalNumber = 0;
        sigwait(&stops, &signalNumber);
        DriverRunner::requestStop();
        // Orphaned (the host died): nobody will SIGKILL a stop that hangs (a driver stuck in a
        // call, a publish waiting for a broker that is gone), so end it ourselves after a grace.
        // Watched, not checked once: the death signal comes when the host's forking thread
        // ends, possibly while its other threads (still our parent process) are ending too.
        // A normal stop ends the process before this loop matters.
        for (;;) {
            if (getppid() != parent) {
                std::this_thread::sleep_for(std::chrono::milliseconds(kOrphanGraceMs));
                std::fprintf(stderr, "ccoc-driverd: the host that started it is gone and the driver did not stop "
                                     "within %d ms: exiting\n", kOrphanGraceMs);
                std::_Exit(kExitOk);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50)); // the parent's exit takes no longer
        }
    }).detach();

    DriverRunner runner(std::move(options));
    return runner.run();
}
