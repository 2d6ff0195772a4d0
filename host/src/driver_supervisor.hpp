// Runs the site's drivers and services as child processes (ccoc-driverd, ccoc-serviced, or a
// program in another language; both are supervised alike, so "driver" below means either),
// restarts a dead one with exponential backoff, and rests one that crash-loops for a cool-down
// (doubling up to a cap) before trying again; an operator may restart a down driver at once.
// Each child is in its own process group and gets SIGTERM when the supervisor's thread ends
// (PR_SET_PDEATHSIG), so no driver outlives the host that started it.
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

// What to run for one [[driver]] or [[service]] and how to restart it.
struct DriverLaunch {
    std::string id;
    std::string kind = "driver";                             // "driver" | "service": for messages and the bus
    std::vector<std::string> argv;                           // argv[0]: a path, or a name looked up on PATH
    std::vector<std::pair<std::string, std::string>> env;    // added to the host's environment
    std::string workingDirectory;                            // empty: the host's
    RestartPolicy restart = RestartPolicy::Always;
    int restartDelayMs = 500;
    int restartMaxDelayMs = 30000;
    int crashLimit = 5;      // deaths within crashWindowSec that stop the restarts
    int crashWindowSec = 60;
    int stableAfterMs = 10000; // a run this long resets the backoff and the cool-down
    int cooldownSec = 30;      // crash loop or failed start: rest this long, then try again
    int cooldownMaxSec = 300;  // each further crash loop doubles the rest, up to this
};

enum class DriverRunState {
    Starting,  // waiting for its first start
    Running,   // the process is alive
    Backoff,   // died; restarts after a delay
    CrashLoop, // died crashLimit times within the window: rests for a cool-down, then tried again
    Stopped,   // ended and its policy says not to restart, or the host is stopping
    Failed     // could not be started at all (program missing): tried again after a cool-down
};

// "running", "backoff", "crash-loop", ...
[[nodiscard]] std::string_view runStateName(DriverRunState state) noexcept;

struct DriverStatus {
    std::string id;
    std::string kind = "driver"; // as launched
    DriverRunState state = DriverRunState::Starting;
    pid_t pid = 0;
    uint32_t starts = 0;        // processes started so far
    uint32_t restarts = 0;      // starts after a death
    uint32_t recentDeaths = 0;  // deaths within the crash window
    std::string lastExit;       // "exit 3", "signal 11 (Segmentation fault)"; empty before any
    double stateSinceSec = 0;   // monotonic seconds
    double nextStartSec = 0;    // Backoff, CrashLoop, Failed: when it is tried again
    double runningSinceSec = 0; // Running: since when (monotonic seconds)
};

// A driver that is down for longer than a restart: crash-looping or not startable. The host
// raises a device-fault alarm for it while this holds.
[[nodiscard]] inline bool isDown(DriverRunState state) noexcept
{
    return state == DriverRunState::CrashLoop || state == DriverRunState::Failed;
}

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
    // Starts a driver that is not running (crash loop, failed, backing off, stopped by its
    // policy) now instead of after its delay; `who` is said in the log. False when there is no
    // such driver, it is running, or the supervisor is stopping. [any-thread]
    bool restartNow(std::string_view id, const std::string& who);

private:
    struct Slot {
        DriverLaunch launch;
        DriverStatus status;
        std::vector<double> deathTimes; // monotonic seconds, within the window
        int consecutiveFailures = 0;
        int crashLoops = 0; // crash loops since the last stable run: the cool-down's exponent
        double startedSec = 0;
    };

    void run();
    void startProcess(Slot& slot, double now);
    void reap(double now);
    void onDeath(Slot& slot, int waitStatus, double now);
    void setState(Slot& slot, DriverRunState state, double now);
    void restForCooldown(Slot& slot, DriverRunState state, double now);
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
