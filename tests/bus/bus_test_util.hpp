// Helpers for the bus tests: a private temp dir with ipc:// endpoints (so tests run in
// parallel), a broker on it, and waiting for a condition with a timeout.
#pragma once

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/client.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ccoc::bus::test {

// Polls `condition` every 2 ms until it holds or timeoutMs pass. Returns whether it held.
inline bool waitUntil(const std::function<bool()>& condition, int timeoutMs = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return condition();
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "ccoc-bus-XXXXXX").string();
        path = ::mkdtemp(pattern.data());
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

// Collects log lines from a broker (thread-safe).
struct LogCollector {
    std::mutex mutex;
    std::vector<std::string> lines;
    LogSink sink() {
        return [this](LogLevel, std::string_view line) {
            std::lock_guard lock(mutex);
            lines.emplace_back(line);
        };
    }
    bool contains(std::string_view text) {
        std::lock_guard lock(mutex);
        for (const auto& line : lines) {
            if (line.find(text) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
    std::string all() {
        std::lock_guard lock(mutex);
        std::string out;
        for (const auto& line : lines) {
            out += line + "\n";
        }
        return out;
    }
};

// A broker in a child process, for tests that kill it with SIGKILL as a power cut would: it
// starts from `config` (its log silenced) and runs until kill() or the destructor. Fork it before
// the test starts any thread.
class ForkedBroker {
public:
    explicit ForkedBroker(BrokerConfig config) {
        m_pid = ::fork();
        if (m_pid == 0) {
            config.log = [](LogLevel, std::string_view) {};
            Broker doomed(config);
            if (!doomed.start().ok()) {
                ::_exit(3);
            }
            for (;;) {
                ::pause();
            }
        }
    }
    ~ForkedBroker() { kill(); }
    ForkedBroker(const ForkedBroker&) = delete;
    ForkedBroker& operator=(const ForkedBroker&) = delete;

    [[nodiscard]] bool forked() const { return m_pid > 0; }
    [[nodiscard]] pid_t pid() const { return m_pid; }
    // SIGKILL, then reap it.
    void kill() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
            m_pid = -1;
        }
    }

private:
    pid_t m_pid = -1;
};

// A broker config on ipc endpoints inside `dir`, fast heartbeats for tests.
inline BrokerConfig testBrokerConfig(const TempDir& dir, LogCollector* logs = nullptr) {
    BrokerConfig config;
    config.frontendEndpoint = "ipc://" + (dir.path / "frontend").string();
    config.publisherEndpoint = "ipc://" + (dir.path / "publisher").string();
    config.heartbeatMs = 100;
    config.offlineAfterMs = 400;
    if (logs != nullptr) {
        config.log = logs->sink();
    } else {
        config.log = [](LogLevel, std::string_view) {};
    }
    return config;
}

// What the broker says of driver `source`, or nothing when it does not know it.
inline std::optional<DriverInfo> driverInfo(const Broker& broker, const std::string& source) {
    for (auto& info : broker.drivers()) {
        if (info.source == source) {
            return info;
        }
    }
    return std::nullopt;
}

inline ClientConfig testClientConfig(const Broker& broker, std::string source, Role role) {
    ClientConfig config;
    config.sourceId = std::move(source);
    config.role = role;
    config.frontendEndpoint = broker.frontendEndpoint();
    config.publisherEndpoint = broker.publisherEndpoint();
    config.heartbeatMs = 100;
    return config;
}

} // namespace ccoc::bus::test
