// ccoc-serviced: runs ONE service shared object in its own process, connected to the bus. The
// host starts one per [[service]] with run = "local" and restarts it when it dies; another
// machine runs it by hand (or from its init system) for run = "remote".
#include "service_runner.hpp"

#include "ccoc/bus/site_config.hpp"

#include <pthread.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>

namespace {

constexpr const char* kUsage =
    "usage: ccoc-serviced --id ID --plugin PATH --site FILE [--state-dir DIR] [--check]\n"
    "                     [--frontend ENDPOINT] [--publisher ENDPOINT]\n"
    "\n"
    "Runs one CCOC service (a plugin offering \"ccoc.service/1\") and connects it to the bus broker.\n"
    "  --id ID          the [[service]] id, also its bus source id\n"
    "  --plugin PATH    the service shared object (default: the entry's path, else\n"
    "                   ../plugins/services/PLUGIN.so beside this program)\n"
    "  --site FILE      the site file: its [[service]] ID (settings, state_dir), [bus] and the\n"
    "                   sections the service reads\n"
    "  --state-dir DIR  the service's folder for state and journal (default: the entry's state_dir)\n"
    "  --check          load the service and check its configuration, then exit (0: usable, 2: not)\n"
    "  --frontend EP    broker ROUTER endpoint (default: [bus] frontend)\n"
    "  --publisher EP   broker PUB endpoint (default: [bus] publisher)\n"
    "Environment: CCOC_BUS_FRONTEND, CCOC_BUS_PUBLISHER are used when the options are absent; on a\n"
    "CURVE bus the key pair is the [[bus.allow]] entry named ID (CCOC_BUS_SECRET_KEY_FILE replaces\n"
    "its secret_key_file).\n"
    "Exit status: 0 stopped by SIGTERM/SIGINT (or --check ok), 2 usage or a bad site file, 3 the\n"
    "service failed to load/init/start, 4 no usable key on a CURVE bus.\n";

std::string envOr(const char* name, const std::string& fallback)
{
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace ccoc::serviced;
    // Die with the supervisor, as ccoc-driverd does: an orphaned service would keep its id on
    // the bus and join the next host's bus under the same id.
    const pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) {
        return kExitOk;
    }
    RunnerOptions options;
    std::string frontend;
    std::string publisher;
    std::string stateDir;
    bool checkOnly = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return kExitOk;
        }
        if (arg == "--version") {
            std::printf("ccoc-serviced %s\n", CCOC_VERSION);
            return kExitOk;
        }
        if (arg == "--check") {
            checkOnly = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "ccoc-serviced: %s needs a value\n%s", argv[i], kUsage);
            return kExitUsage;
        }
        const std::string value = argv[++i];
        if (arg == "--id") {
            options.serviceId = value;
        } else if (arg == "--plugin") {
            options.pluginPath = value;
        } else if (arg == "--site") {
            options.siteFile = value;
        } else if (arg == "--state-dir") {
            stateDir = value;
        } else if (arg == "--frontend") {
            frontend = value;
        } else if (arg == "--publisher") {
            publisher = value;
        } else {
            std::fprintf(stderr, "ccoc-serviced: unknown option '%s'\n%s", argv[i - 1], kUsage);
            return kExitUsage;
        }
    }
    if (options.serviceId.empty() || options.siteFile.empty()) {
        std::fprintf(stderr, "ccoc-serviced: --id and --site are required\n%s", kUsage);
        return kExitUsage;
    }
    std::error_code ec;
    options.siteFile = std::filesystem::absolute(options.siteFile, ec).string();
    const ccoc::site::LoadResult loaded = ccoc::site::loadSiteFile(options.siteFile);
    for (const auto& warning : loaded.warnings) {
        std::fprintf(stderr, "warning: %s\n", warning.format().c_str());
    }
    if (!loaded.ok()) {
        for (const auto& error : loaded.errors) {
            std::fprintf(stderr, "%s\n", error.format().c_str());
        }
        return kExitUsage;
    }
    const ccoc::site::Site& site = *loaded.site;
    const ccoc::site::Service* entry = site.findService(options.serviceId);
    if (entry == nullptr) {
        std::fprintf(stderr, "ccoc-serviced: %s has no [[service]] with id '%s'\n", options.siteFile.c_str(),
                     options.serviceId.c_str());
        return kExitUsage;
    }
    if (options.pluginPath.empty()) {
        const std::filesystem::path exeDir = std::filesystem::canonical("/proc/self/exe", ec).parent_path();
        options.pluginPath = !entry->path.empty()
                                 ? entry->path
                                 : (exeDir.parent_path() / "plugins" / "services" / (entry->plugin + ".so")).string();
    }
    options.settings = entry->settings;
    options.stateDir = stateDir.empty() ? entry->stateDir : std::filesystem::absolute(stateDir, ec).string();
    options.frontendEndpoint = frontend.empty() ? envOr("CCOC_BUS_FRONTEND", site.bus.frontend) : frontend;
    options.publisherEndpoint = publisher.empty() ? envOr("CCOC_BUS_PUBLISHER", site.bus.publisher) : publisher;
    options.heartbeatMs = site.bus.heartbeatMs;
    if (site.bus.curve && !checkOnly) {
        // The key of the service's own [[bus.allow]] entry; the host hands over its file again.
        ccoc::site::BusSettings bus = site.bus;
        const std::string givenFile = envOr("CCOC_BUS_SECRET_KEY_FILE", "");
        for (auto& allow : bus.allow) {
            if (allow.name == options.serviceId && !givenFile.empty()) {
                allow.secretKeyFile = givenFile;
            }
        }
        ccoc::bus::ClientConfig keys;
        if (const ccoc::bus::Status read = ccoc::bus::peerClientConfigFromSite(bus, options.serviceId, keys); !read.ok()) {
            std::fprintf(stderr, "ccoc-serviced: service '%s' stays off the bus: %s\n", options.serviceId.c_str(),
                         read.error.c_str());
            return kExitBusFailed;
        }
        const ccoc::site::BusAllow* allow = ccoc::bus::findAllowEntry(bus, options.serviceId);
        options.curve = keys.curve;
        options.secretKeyFile = allow != nullptr ? allow->secretKeyFile : std::string();
        options.publicKey = allow != nullptr ? allow->publicKey : std::string();
        options.serverPublicKey = bus.serverPublicKey;
    }
    if (checkOnly) {
        ServiceRunner runner(std::move(options));
        return runner.check();
    }

    // The stop signals are blocked in every thread (all start after this) and taken by one
    // waiting thread, so they never interrupt a socket or SQLite call with EINTR.
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
        ServiceRunner::requestStop(signalNumber == SIGTERM ? "SIGTERM" : signalNumber == SIGINT ? "SIGINT" : "SIGHUP");
        // Orphaned (the host died, the death signal brought us here): end at once rather than
        // drain. A draining service would reconnect to the next host's broker under the same id,
        // beside the service that host starts; and nothing is lost by ending now, since a
        // service keeps in its journal all it acknowledged (it must survive SIGKILL anyway) and
        // the next one takes the rest from the broker's journal. The death signal may come while
        // the host is still ending, so the parent is watched, not checked once.
        for (;;) {
            if (getppid() != parent) {
                std::fprintf(stderr, "ccoc-serviced: the host that started it is gone: exiting without a drain\n");
                std::_Exit(kExitOk);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }).detach();

    ServiceRunner runner(std::move(options));
    return runner.run();
}
