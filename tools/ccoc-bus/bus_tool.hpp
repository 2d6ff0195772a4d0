// ccoc-bus: a command-line tool for the bus, in the spirit of `ros2 topic`. Each sub-command is
// one function; they share the connection options parsed by main().
#pragma once

#include "ccoc/bus/client.hpp"

#include <string>
#include <vector>

namespace ccoc::bustool {

struct ToolOptions {
    std::string frontend = "tcp://127.0.0.1:5570";
    std::string publisher = "tcp://127.0.0.1:5571";
    bool endpointsGiven = false;  // --frontend/--publisher or the environment set them
    std::string sourceId = "ccoc-bus";
    int timeoutMs = 3000;         // waiting for the broker, or for a reply (call)
    double seconds = 0;           // tap/hz: stop after this long (0: until Ctrl-C)
    int count = 0;                // tap: stop after this many messages (0: no limit)
    bool reliable = false;        // pub event
    std::string config;           // --config FILE: endpoints and keys from its [bus]
    std::string as;               // --as NAME: with --config, the [[bus.allow]] entry (id and key pair)
    std::vector<std::string> args; // the sub-command's positional arguments
};

// Exit codes: 0 ok, 1 the bus said no (command not ok, nothing received), 2 usage, 3 no broker.
inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;
inline constexpr int kUsage = 2;
inline constexpr int kNoBroker = 3;

int runTap(const ToolOptions& options);
int runPub(const ToolOptions& options);
int runCall(const ToolOptions& options);
int runState(const ToolOptions& options);
int runList(const ToolOptions& options);
int runHz(const ToolOptions& options);
int runKeygen(const ToolOptions& options);
int runBroker(const ToolOptions& options);

// Client config for this tool's options: endpoints (and, with CURVE, the host's keys and the
// name its key has in the allow-list) from --config's [bus], unless endpoints were given. Returns
// false after printing why when the site file or its key file cannot be used.
[[nodiscard]] bool clientConfig(const ToolOptions& options, bool mirrorState, bus::ClientConfig& config);
// JSON text indented for people; the text itself when it is not valid JSON.
[[nodiscard]] std::string prettyJson(const std::string& json);
// True once SIGINT/SIGTERM arrived.
[[nodiscard]] bool interrupted() noexcept;

} // namespace ccoc::bustool
