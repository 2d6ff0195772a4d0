// The host: loads the site's plugins, opens one window per screen, and runs the frame loop.
//
// Thread: main thread only.
#pragma once

#include <string>
#include <vector>

#include "ccoc/site.hpp"

namespace ccoc::host {

struct HostOptions {
    int frames = 0;                       // > 0: render this many frames then exit (headless runs)
    std::string screenshotDir;            // write <screen-id>.png of the last frame here
    std::vector<std::string> pluginPaths; // extra folders searched for plugins, before the defaults
    std::string executablePath;           // argv[0], to find the plugins beside the binary
};

class HostApp {
public:
    HostApp(site::Site site, HostOptions options);
    // Runs until the operator confirms quitting, a signal arrives, or `frames` were drawn.
    // Returns the process exit code.
    int run();
    // Where plugins are looked up: --plugin-path folders, the site's plugin_path, CCOC_PLUGIN_PATH,
    // then the folders beside the binary. Also used by --check to find driver plugins.
    [[nodiscard]] std::vector<std::string> pluginSearchPath() const;

private:

    site::Site site_;
    HostOptions options_;
};

// Asks the running host to stop after the current frame ([any-thread], async-signal-safe).
void requestStop() noexcept;

} // namespace ccoc::host
