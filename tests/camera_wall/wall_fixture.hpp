// wall_fixture.hpp: a site file with one camera-wall screen, and the real host running it under a
// private Xvfb with private bus endpoints and config directory, for the camera wall tests.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "xvfb_server.hpp"

namespace ccoc::test {

/// One [[camera]] of the test site.
struct TestCamera {
    std::string id;
    std::string url;
    std::string subUrl;
    std::string username;
    std::string password;
};

/// What the wall shows: the panel's settings as TOML inline-table text (without braces).
struct WallSite {
    int width = 960;
    int height = 540;
    std::vector<TestCamera> cameras;
    std::string settings = "layout = \"1\"";
};

/// Writes the site file into the folder `dir` and returns its path.
std::string writeWallSite(const WallSite& site, const std::string& dir);

/// The host running a wall site. Stopped (SIGTERM) when destroyed.
class WallHost {
public:
    /// frames 0: runs until stop(); else renders that many frames and writes screenshots to
    /// shotDir(). `fps` caps the frame rate (0: uncapped).
    WallHost(const WallSite& site, int frames, double fps);
    ChildProcess& process() { return *process_; }
    [[nodiscard]] const std::string& shotDir() const { return shotDir_.path(); }
    [[nodiscard]] const std::string& frontend() const { return frontend_; }
    [[nodiscard]] const std::string& publisher() const { return publisher_; }
    /// The private X display the host draws on (for xdotool).
    [[nodiscard]] std::string display() const { return xvfb_.display(); }

private:
    XvfbServer xvfb_;
    // Removed after the host (declared after them) is stopped.
    TempDir siteDir_{"ccoc-wall-site"};
    TempDir shotDir_{"ccoc-wall-shots"};
    TempDir configDir_{"ccoc-wall-config"};
    std::string frontend_;
    std::string publisher_;
    std::unique_ptr<ChildProcess> process_;
};

/// Runs `ccoc-bus ARGS...` against the given host's broker; returns exit code and output.
struct BusToolResult {
    int exitCode = -1;
    std::string output;
};
BusToolResult runBusTool(const WallHost& host, std::vector<std::string> args);

/// Counts how often `needle` occurs in `text`.
size_t countOf(const std::string& text, const std::string& needle);

}  // namespace ccoc::test
