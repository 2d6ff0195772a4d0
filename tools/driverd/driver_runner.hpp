// ccoc-driverd's core: loads ONE driver shared object ("ccoc.driver/1"), gives it the services
// "ccoc.bus/1", "ccoc.log/1" and "ccoc.settings/1", connects it to the broker and runs it on the
// driver thread (the thread that calls run()) until stop is requested.
//
// Thread: construct and run() on one thread; requestStop() from any thread or a signal handler.
#pragma once

#include "ccoc/bus/client.hpp"
#include "ccoc/driver.h"
#include "ccoc/site.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ccoc::driverd {

struct RunnerOptions {
    std::string driverId;          // bus source id
    std::string pluginPath;        // the driver .so
    std::string frontendEndpoint = "tcp://127.0.0.1:5570";
    std::string publisherEndpoint = "tcp://127.0.0.1:5571";
    int heartbeatMs = 1000;
    // The driver thread stuck in one call this long: exit 5 (and be restarted). The same 5 s as the
    // host allows a driver the broker does not hear, so a stuck driver thread behind a healthy
    // heartbeat is not shown live for longer than a stopped process.
    int watchdogMs = 5000;
    site::Settings settings;       // the [[driver]] settings table
    std::optional<bus::CurveClientKeys> curve; // the driver's own key pair on a CURVE bus
};

// Exit codes of ccoc-driverd (documented in its --help).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDriverFailed = 3; // load, init or start failed
inline constexpr int kExitBusFailed = 4;    // the bus client did not start (bad endpoint)
inline constexpr int kExitDriverHung = 5;   // the driver thread did not come back (watchdog)

class DriverRunner {
public:
    explicit DriverRunner(RunnerOptions options);
    ~DriverRunner();
    DriverRunner(const DriverRunner&) = delete;
    DriverRunner& operator=(const DriverRunner&) = delete;
    DriverRunner(DriverRunner&&) = delete;
    DriverRunner& operator=(DriverRunner&&) = delete;

    // Loads, starts and runs the driver until requestStop(). Returns the process exit code.
    int run();
    // Asks run() to return soon. Async-signal-safe.
    static void requestStop() noexcept;

    // Used by the C callbacks of the services (host_data points at this runner).
    void log(ccoc_log_level level, const char* message) const;
    [[nodiscard]] const site::Settings& settings() const noexcept { return options_.settings; }
    // Queues a function for the driver thread. Bounded: beyond 10000 waiting tasks new ones are
    // dropped and counted (a driver that cannot keep up loses subscriptions' messages, never
    // commands, which time out at the broker instead).
    void post(std::function<void()> task);

    struct Impl;

private:
    RunnerOptions options_;
    std::unique_ptr<Impl> impl_;
};

} // namespace ccoc::driverd
