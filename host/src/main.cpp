// ccoc-host: the control-room wall.
//   ccoc-host --config SITE.toml [--frames N --screenshot-dir DIR] [--plugin-path DIR]... [--language CODE]
//   ccoc-host --check SITE.toml [--plugin-path DIR]...
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "ccoc/site.hpp"
#include "host_app.hpp"
#include "log.hpp"
#include "site_check.hpp"

namespace {

void printUsage(std::FILE* out)
{
    std::fprintf(out,
                 "usage: ccoc-host --config SITE.toml [options]\n"
                 "       ccoc-host --check SITE.toml [--plugin-path DIR]...\n"
                 "options:\n"
                 "  --config FILE          run the site described by FILE\n"
                 "  --check FILE           check FILE, the key files and driver plugins it names, and every\n"
                 "                         settings table against what its plugin or driver declares, as the\n"
                 "                         host would at start; print 'ok' (exit 0) or every error (exit 2)\n"
                 "  --frames N             render N frames, then exit (headless runs), at most 20 a second\n"
                 "                         (CCOC_HEADLESS_FPS=R sets the rate, 0 lifts the cap)\n"
                 "  --screenshot-dir DIR   with --frames: write DIR/<screen-id>.png of the last frame\n"
                 "  --plugin-path DIR      also look for plugins in DIR (repeatable)\n"
                 "  --language CODE        the interface language instead of [ui] language (th, en)\n"
                 "  --version              print the version\n");
}

// Deprecated forms the site file still uses: said at every load, by --check and at start.
void printWarnings(const ccoc::site::LoadResult& result)
{
    for (const auto& warning : result.warnings) {
        std::fprintf(stderr, "warning: %s\n", warning.format().c_str());
    }
}

int printErrors(const ccoc::site::LoadResult& result)
{
    for (const auto& error : result.errors) {
        std::fprintf(stderr, "%s\n", error.format().c_str());
    }
    return 2;
}

void onSignal(int /*signal*/)
{
    ccoc::host::requestStop();
}

} // namespace

int main(int argc, char** argv)
{
    std::string config;
    std::string check;
    std::string language;  // --language: instead of the site's [ui] language
    ccoc::host::HostOptions options;
    options.executablePath = argv[0];
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](const char* name) -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "ccoc-host: %s needs a value\n", name);
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--config") {
            config = value("--config");
        } else if (arg == "--check") {
            check = value("--check");
        } else if (arg == "--frames") {
            const std::string text = value("--frames");
            char* end = nullptr;
            const long frames = std::strtol(text.c_str(), &end, 10);
            if (end == text.c_str() || *end != '\0' || frames <= 0 || frames > 1000000) {
                std::fprintf(stderr, "ccoc-host: --frames takes a whole number from 1 to 1000000, not '%s'\n", text.c_str());
                return 2;
            }
            options.frames = static_cast<int>(frames);
        } else if (arg == "--screenshot-dir") {
            options.screenshotDir = value("--screenshot-dir");
        } else if (arg == "--language") {
            language = value("--language");
            // A language code ("th", "en"); one without a catalogue reads English.
            const bool valid = language.size() >= 2 && language.size() <= 3 &&
                               std::all_of(language.begin(), language.end(), [](char c) { return c >= 'a' && c <= 'z'; });
            if (!valid) {
                std::fprintf(stderr, "ccoc-host: --language takes a language code such as th or en, not '%s'\n", language.c_str());
                return 2;
            }
        } else if (arg == "--plugin-path") {
            options.pluginPaths.push_back(value("--plugin-path"));
        } else if (arg == "--version") {
            std::printf("ccoc-host %s (plugin ABI %u.%u)\n", CCOC_VERSION, CCOC_ABI_MAJOR, CCOC_ABI_MINOR);
            return 0;
        } else if (arg == "--help" || arg == "-h") {
            printUsage(stdout);
            return 0;
        } else {
            std::fprintf(stderr, "ccoc-host: unknown argument '%s'\n", arg.c_str());
            printUsage(stderr);
            return 2;
        }
    }

    if (!check.empty()) {
        // The file first; what it only names (key files, driver plugins) needs a valid Site.
        auto result = ccoc::site::loadSiteFile(check);
        printWarnings(result);
        if (!result.ok()) {
            return printErrors(result);
        }
        const ccoc::site::Site site = *result.site;
        const std::string executablePath = options.executablePath;
        const ccoc::host::HostApp app(std::move(*result.site), std::move(options));
        return ccoc::host::printSiteCheck(ccoc::host::checkSiteStart(site, app.pluginSearchPath(), executablePath));
    }
    if (config.empty()) {
        printUsage(stderr);
        return 2;
    }
    if (!options.screenshotDir.empty() && options.frames == 0) {
        std::fprintf(stderr, "ccoc-host: --screenshot-dir needs --frames N (screenshots are taken of the last frame)\n");
        return 2;
    }
    auto result = ccoc::site::loadSiteFile(config);
    printWarnings(result);
    if (!result.ok()) {
        printErrors(result);
        std::fprintf(stderr, "ccoc-host: %s has %zu error(s); refusing to start\n", config.c_str(), result.errors.size());
        return 2;
    }
    if (!language.empty()) {
        result.site->ui.language = language;
    }
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    ccoc::host::HostApp app(std::move(*result.site), std::move(options));
    return app.run();
}
