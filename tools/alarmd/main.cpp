// ccoc-alarmd --config SITE [--check]: runs the alarm service of sdk/docs/alarms.md on its own,
// connected to the site's bus, until SIGTERM or SIGINT.
#include "alarm_journal.hpp"
#include "alarm_service.hpp"

#include "ccoc/site.hpp"

#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

void printUsage(std::FILE* to) {
    std::fputs("usage: ccoc-alarmd --config SITE.toml [--check]\n"
               "  --config SITE  the site file: [bus] endpoints, [alarms], [[alarm_rule]], [[device]]\n"
               "  --check        check the site file and the journal, then exit (0: usable, 2: not)\n"
               "Stops cleanly on SIGTERM or SIGINT.\n",
               to);
}

void logLine(ccoc::alarm_service::LogLevel level, std::string_view message) {
    using ccoc::alarm_service::LogLevel;
    const char* tag = level == LogLevel::Error ? "error" : level == LogLevel::Warning ? "warning" : "info";
    std::fprintf(stderr, "[%s] alarms: %.*s\n", tag, static_cast<int>(message.size()), message.data());
}

} // namespace

int main(int argc, char** argv) {
    std::string sitePath;
    bool checkOnly = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
            sitePath = argv[++i];
        } else if (arg == "--check") {
            checkOnly = true;
        } else if (arg == "--help" || arg == "-h") {
            printUsage(stdout);
            return 0;
        } else if (arg == "--version") {
            std::printf("ccoc-alarmd %s\n", CCOC_VERSION);
            return 0;
        } else {
            std::fprintf(stderr, "ccoc-alarmd: unknown argument '%s'\n", arg.c_str());
            printUsage(stderr);
            return 2;
        }
    }
    if (sitePath.empty()) {
        std::fputs("ccoc-alarmd: --config SITE is required\n", stderr);
        printUsage(stderr);
        return 2;
    }
    const ccoc::site::LoadResult loaded = ccoc::site::loadSiteFile(sitePath);
    if (!loaded.ok()) {
        for (const auto& error : loaded.errors) {
            std::fprintf(stderr, "%s\n", error.format().c_str());
        }
        return 2;
    }
    const ccoc::site::Site& site = *loaded.site;
    ccoc::alarm_service::AlarmServiceConfig config;
    if (const ccoc::bus::Status read = ccoc::alarm_service::alarmServiceConfigFromSite(site, config); !read.ok()) {
        std::fprintf(stderr, "ccoc-alarmd: %s\n", read.error.c_str());
        return 2;
    }
    config.log = logLine;
    if (site.alarms.service == ccoc::site::AlarmServiceMode::Embedded) {
        logLine(ccoc::alarm_service::LogLevel::Warning,
                "[alarms] service = \"embedded\": the hosts of this site run their own alarm service too; set "
                "service = \"external\" when ccoc-alarmd is the one");
    }
    if (checkOnly) {
        std::string error;
        if (!config.journalPath.empty() && !ccoc::alarm_service::AlarmJournal::open(config.journalPath, error)) {
            std::fprintf(stderr, "ccoc-alarmd: %s\n", error.c_str());
            return 2;
        }
        std::puts("ok");
        return 0;
    }

    // Every thread started from here on inherits a mask without the stop signals, so they reach
    // sigwait() below and never interrupt a socket or SQLite call.
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stops, nullptr);

    ccoc::alarm_service::AlarmService service(site, config);
    if (const ccoc::bus::Status started = service.start(); !started.ok()) {
        std::fprintf(stderr, "ccoc-alarmd: %s\n", started.error.c_str());
        return 1;
    }
    logLine(ccoc::alarm_service::LogLevel::Info, "running on " + config.bus.frontendEndpoint);
    int signal = 0;
    sigwait(&stops, &signal);
    logLine(ccoc::alarm_service::LogLevel::Info, std::string("stopping on ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT"));
    service.stop();
    return 0;
}
