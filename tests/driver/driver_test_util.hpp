// Helpers of the driver tests: a headless host running the sim driver on a private bus, and a
// test client that waits for retained state.
#pragma once

#include "child_process.hpp"
#include "xvfb_server.hpp"

#include "ccoc/bus/client.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace ccoc::drivertest {

using namespace std::chrono_literals;

inline const std::string kHost = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-host";
inline const std::string kBusTool = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-bus";
inline const std::string kDriverd = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-driverd";
inline const std::string kSimDriver = std::string(CCOC_PLUGIN_DIR) + "/sim.so";
inline const std::string kDataDir = std::string(CCOC_SOURCE_DIR) + "/tests/driver/data";

// A private bus: ipc endpoints in a fresh folder, so tests run side by side.
struct BusEndpoints {
    test::TempDir dir{"ccoc-drv"};
    std::string frontend = "ipc://" + dir + "/frontend";
    std::string publisher = "ipc://" + dir + "/publisher";
};

// ccoc-host rendering headless (25 frames/s for at most 120 s, so it cannot outlive a crashed
// test for long; a log line every 50 frames) under its own Xvfb,
// with its embedded broker on `bus`.
struct HeadlessHost {
    HeadlessHost(const std::string& site, const BusEndpoints& bus, std::map<std::string, std::string> extraEnv = {})
        : xvfb(1280, 720), process({kHost, "--config", site, "--frames", "3000"}, environment(bus, std::move(extraEnv)))
    {
    }
    std::map<std::string, std::string> environment(const BusEndpoints& bus, std::map<std::string, std::string> env) const
    {
        env["DISPLAY"] = xvfb.display();
        env["CCOC_BUS_FRONTEND"] = bus.frontend;
        env["CCOC_BUS_PUBLISHER"] = bus.publisher;
        env["CCOC_HEADLESS_FPS"] = "25";
        env["CCOC_LOG_FRAMES"] = "1";
        // The host's own temporary files (an in-memory alarm journal is a file) go into the test's
        // folder, which is removed even when a test SIGKILLs the host and it cannot clean up.
        env["TMPDIR"] = bus.dir.path();
        return env;
    }
    test::XvfbServer xvfb;
    test::ChildProcess process;
};

// The number written right after each occurrence of `marker` in `output`, the last one; -1 when
// none. (std::regex is avoided: GCC 12 warns inside it under the sanitizers.)
inline long lastNumberAfter(const std::string& output, const std::string& marker)
{
    long last = -1;
    for (size_t at = output.find(marker); at != std::string::npos; at = output.find(marker, at + 1)) {
        size_t digits = at + marker.size();
        long value = 0;
        bool any = false;
        while (digits < output.size() && output[digits] >= '0' && output[digits] <= '9') {
            value = value * 10 + (output[digits] - '0');
            any = true;
            ++digits;
        }
        if (any) {
            last = value;
        }
    }
    return last;
}

// The last "frame N" the host logged; -1 when none.
inline long lastFrame(const std::string& output)
{
    return lastNumberAfter(output, "[host] frame ");
}

// Number of times `text` occurs in `output`.
inline size_t occurrences(const std::string& output, const std::string& text)
{
    size_t count = 0;
    for (size_t at = output.find(text); at != std::string::npos; at = output.find(text, at + text.size())) {
        ++count;
    }
    return count;
}

// A console on the test's bus that mirrors retained state.
inline std::unique_ptr<bus::Client> mirrorClient(const BusEndpoints& endpoints, const std::string& id = "test-console")
{
    bus::ClientConfig config;
    config.sourceId = id;
    config.role = bus::Role::Console;
    config.frontendEndpoint = endpoints.frontend;
    config.publisherEndpoint = endpoints.publisher;
    config.mirrorState = true;
    auto client = std::make_unique<bus::Client>(config);
    if (!client->start().ok()) {
        return nullptr;
    }
    return client;
}

// Polls the client's mirror until `accept` holds for the entry at `path`, or the timeout passes.
inline std::optional<bus::StateEntry> waitForState(const bus::Client& client, const std::string& path,
                                                   const std::function<bool(const bus::StateEntry&)>& accept,
                                                   std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto entry = client.state(path); entry && accept(*entry)) {
            return entry;
        }
        std::this_thread::sleep_for(20ms); // polling a local mirror, bounded by the deadline
    }
    return std::nullopt;
}

} // namespace ccoc::drivertest
