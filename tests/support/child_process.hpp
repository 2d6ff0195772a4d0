// A child process for tests: started with arguments and extra environment, its stdout and stderr
// captured to a file, waited for with a timeout, killed (SIGTERM, then SIGKILL) when the object dies;
// the capture file's folder goes with it.
#pragma once

#include "temp_dir.hpp"

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ccoc::test {

class ChildProcess {
public:
    // Starts `argv[0]` (a path) with argv; `env` entries are added to (or replace) the test's
    // environment. Throws std::runtime_error if it cannot be started.
    explicit ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ChildProcess(ChildProcess&&) = delete;
    ChildProcess& operator=(ChildProcess&&) = delete;

    // Waits for the process to exit; returns its exit code (128+signal if killed by a signal), or
    // nullopt on timeout (the process keeps running).
    std::optional<int> wait(std::chrono::milliseconds timeout);
    // Waits until the captured output contains `text`; false on timeout or if the process exited
    // without printing it.
    bool waitForOutput(const std::string& text, std::chrono::milliseconds timeout);
    // Sends a signal (no-op once the process was reaped).
    void signal(int signalNumber);
    // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit code.
    int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

    [[nodiscard]] std::string output() const; // stdout and stderr so far
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }
    [[nodiscard]] bool running();

private:
    TempDir outputDir_{"ccoc-child"}; // declared first: removed after the process is stopped
    pid_t pid_ = -1;
    std::optional<int> exitCode_;
    std::string outputPath_;
};

// The path of a fresh, empty temporary folder that no scope owns; it is removed when the test
// program exits normally (after a failed test case too: Catch2 returns from main). Prefer a TempDir
// held by the test or its fixture, which is removed as soon as the test is done with it.
std::string makeTempDir(const std::string& prefix);

} // namespace ccoc::test
