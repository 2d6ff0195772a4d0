// ccoc-serviced's core: loads ONE service shared object ("ccoc.service/1"), gives it the services
// "ccoc.log/1", "ccoc.settings/1" and "ccoc.bus/1" (a bus client made when first asked for), and
// runs it between start and stop on the service thread (the thread that calls run()).
//
// Thread: construct, check() and run() on one thread; requestStop() from any thread.
#pragma once

#include "ccoc/bus/client.hpp"
#include "ccoc/service.h"
#include "ccoc/site.hpp"

#include <memory>
#include <optional>
#include <string>

namespace ccoc::serviced {

struct RunnerOptions {
    std::string serviceId;  // the [[service]] id, also the bus source id
    std::string pluginPath; // the service .so
    std::string siteFile;   // absolute
    std::string stateDir;   // absolute; made when missing
    std::string frontendEndpoint;
    std::string publisherEndpoint;
    int heartbeatMs = 1000;
    site::Settings settings;                    // the [[service]] settings table
    std::string secretKeyFile;                  // CURVE: the service's key file; empty: none
    std::string publicKey;
    std::string serverPublicKey;
    std::optional<bus::CurveClientKeys> curve;  // the same pair, read, for "ccoc.bus/1"
};

// Exit codes of ccoc-serviced (documented in its --help).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;          // also: --check found a problem
inline constexpr int kExitServiceFailed = 3;  // load, init or start failed
inline constexpr int kExitBusFailed = 4;      // no usable key on a CURVE bus

class ServiceRunner {
public:
    explicit ServiceRunner(RunnerOptions options);
    ~ServiceRunner();
    ServiceRunner(const ServiceRunner&) = delete;
    ServiceRunner& operator=(const ServiceRunner&) = delete;
    ServiceRunner(ServiceRunner&&) = delete;
    ServiceRunner& operator=(ServiceRunner&&) = delete;

    // Loads the service and runs its check (--check). Returns the exit code; prints "ok" on success.
    int check();
    // Loads and starts the service, waits for requestStop(), then stops it (it drains). Returns
    // the process exit code.
    int run();
    // Asks run() to stop the service. Async-signal-safe. `signalName` must be a literal.
    static void requestStop(const char* signalName) noexcept;

    // Used by the C callbacks of the host services (host_data points at this runner).
    void log(ccoc_log_level level, const char* message) const;
    [[nodiscard]] const site::Settings& settings() const noexcept { return options_.settings; }
    // "ccoc.bus/1", made on first use. [any-thread]
    [[nodiscard]] const void* busService();

    struct Impl;

private:
    // Loads the plugin and finds its "ccoc.service/1"; an error message, empty on success.
    std::string load();

    RunnerOptions options_;
    std::unique_ptr<Impl> impl_;
};

} // namespace ccoc::serviced
