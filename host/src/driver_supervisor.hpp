// Runs the site's drivers as child processes (ccoc-driverd, or a program in another language),
// restarts a dead one with exponential backoff, and stops restarting one that crash-loops.
//
// Everything happens on the supervisor's own thread: starting processes, reaping them, waiting
// out the backoff. The render thread only calls status(), which copies a small vector under a
// mutex that is never held across a system call that can block, so it never waits on a driver.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace ccoc::host {

enum class RestartPolicy { Always, OnFailure, Never };

// What to run for one [[driver]] and how to restart it.
struct DriverLaunch {
    std::string id;
    std::vector<std::string> argv;                           // argv[0]: a path, or a name looked up on PATH
    std::vector<std::pair<std::string, std::string>> env;    // added to the host's environment
    std::string workingDirectory;                            // empty: the host's
    RestartPolicy restart = RestartPolicy::Always;
    int restartDelayMs = 500;
    int restartMaxDelayMs = 30000;
    int crashLimit = 5;      // deaths within crashWindowSec that stop the restarts
    int crashWindowSec = 60;
    int stableAfterMs = 10000; // a run this long resets the backoff
};

enum class DriverRunState {
    Starting,  // waiting for its first start
    Running,   // the process is alive
    Backoff,   // died; restarts after a delay
    CrashLoop, // died crashLimit times within the window: not restarted any more
    Stopped,   // ended and its policy says not to restart, or the host is stopping
    Failed     // could not be started at all (program missing)
};

// "running", "backoff", "crash-loop", ...
[[nodiscard]] std::string_view runStateName(DriverRunState state) noexcept;

struct DriverStatus {
    std::string id;
    DriverRunState state = DriverRunState::Starting;
    pid_t pid = 0;
    uint32_t starts = 0;        // processes started so far
    uint32_t restarts = 0;      // starts after a death
    uint32_t recentDeaths = 0;  // deaths within the crash window
    std::string lastExit;       // "exit 3", "signal 11 (Segmentation fault)"; empty before any
    double stateSinceSec = 0;   // monotonic seconds
    double nextStartSec = 0;    // Backoff: when it restarts
};

class DriverSupervisor {
public:
    using LogFn = std::function<void(int level, const std::string& message)>; // 0 info, 1 warning, 2 error

    DriverSupervisor(std::vector<DriverLaunch> drivers, LogFn log);
    ~DriverSupervisor(); // stop()
    DriverSupervisor(const DriverSupervisor&) = delete;
    DriverSupervisor& operator=(const DriverSupervisor&) = delete;
    DriverSupervisor(DriverSupervisor&&) = delete;
    DriverSupervisor& operator=(DriverSupervisor&&) = delete;

    // Starts the supervisor thread, which starts every driver. [main-thread]
    void start();
    // Asks every driver to stop (SIGTERM), kills those still alive after `graceMs` (SIGKILL),
    // reaps them and ends the thread. Idempotent. [main-thread]
    void stop(int graceMs = 3000);

    // A copy of every driver's status, in site order. [any-thread], never blocks on a process.
    [[nodiscard]] std::vector<DriverStatus> status() const;
    // Kills a driver that is alive but hung (SIGKILL); it is then restarted like any death.
    // [any-thread]
    void killHung(std::string_view id, const std::string& reason);

private:
    struct Slot {
        DriverLaunch launch;
        DriverStatus status;
        std::vector<double> deathTimes; // monotonic seconds, within the window
        int consecutiveFailures = 0;
        double startedSec = 0;
    };

    void run();
    void startProcess(Slot& slot, double now);
    void reap(double now);
    void onDeath(Slot& slot, int waitStatus, double now);
    void setState(Slot& slot, DriverRunState state, double now);
    void log(int level, const std::string& message) const;

    LogFn log_;
    mutable std::mutex mutex_; // guards slots_ (status fields) and stopping_
    std::condition_variable wake_;
    std::vector<Slot> slots_;
    bool stopping_ = false;
    std::thread thread_;
};

// "exit 3", "signal 9 (Killed)" for a waitpid status.
[[nodiscard]] std::string describeWaitStatus(int waitStatus);

} // namespace ccoc::host
