#include "driver_supervisor.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <map>

extern char** environ;

namespace ccoc::host {
namespace {

double monotonicSeconds()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// The host's environment with `extra` added or replacing entries of the same name.
std::vector<std::string> mergedEnvironment(const std::vector<std::pair<std::string, std::string>>& extra)
{
    std::map<std::string, std::string> values;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string text(*entry);
        const size_t eq = text.find('=');
        if (eq != std::string::npos) {
            values[text.substr(0, eq)] = text.substr(eq + 1);
        }
    }
    for (const auto& [name, value] : extra) {
        values[name] = value;
    }
    std::vector<std::string> result;
    result.reserve(values.size());
    for (const auto& [name, value] : values) {
        result.push_back(name + "=" + value);
    }
    return result;
}

std::vector<char*> pointers(std::vector<std::string>& strings)
{
    std::vector<char*> result;
    result.reserve(strings.size() + 1);
    for (auto& s : strings) {
        result.push_back(s.data());
    }
    result.push_back(nullptr);
    return result;
}

// Starts argv in its own process group, with only stdin/stdout/stderr inherited. Returns the pid,
// or -1 and errno's text in `error`.
pid_t spawnProcess(const DriverLaunch& launch, std::string& error)
{
    std::vector<std::string> argv = launch.argv;
    std::vector<std::string> env = mergedEnvironment(launch.env);
    std::vector<char*> argvPointers = pointers(argv);
    std::vector<char*> envPointers = pointers(env);
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    // The host's sockets, X connection and files are none of the driver's business.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (!launch.workingDirectory.empty()) {
        posix_spawn_file_actions_addchdir_np(&actions, launch.workingDirectory.c_str());
    }
    // Its own process group: a terminal's Ctrl-C reaches the host, which stops drivers in order;
    // and killing the group ends anything the driver started.
    posix_spawnattr_setpgroup(&attributes, 0);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv.front().c_str(), &actions, &attributes, argvPointers.data(), envPointers.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) {
        error = std::strerror(rc);
        return -1;
    }
    return pid;
}

} // namespace

std::string_view runStateName(DriverRunState state) noexcept
{
    switch (state) {
    case DriverRunState::Starting:
        return "starting";
    case DriverRunState::Running:
        return "running";
    case DriverRunState::Backoff:
        return "backoff";
    case DriverRunState::CrashLoop:
        return "crash-loop";
    case DriverRunState::Stopped:
        return "stopped";
    case DriverRunState::Failed:
        return "failed";
    }
    return "unknown";
}

std::string describeWaitStatus(int waitStatus)
{
    if (WIFEXITED(waitStatus)) {
        return "exit " + std::to_string(WEXITSTATUS(waitStatus));
    }
    if (WIFSIGNALED(waitStatus)) {
        const int signalNumber = WTERMSIG(waitStatus);
        const char* name = strsignal(signalNumber);
        return "signal " + std::to_string(signalNumber) + " (" + (name != nullptr ? name : "?") + ")";
    }
    return "status " + std::to_string(waitStatus);
}

DriverSupervisor::DriverSupervisor(std::vector<DriverLaunch> drivers, LogFn log) : log_(std::move(log))
{
    const double now = monotonicSeconds();
    for (auto& launch : drivers) {
        Slot slot;
        slot.status.id = launch.id;
        slot.status.stateSinceSec = now;
        slot.status.nextStartSec = now;
        slot.launch = std::move(launch);
        slots_.push_back(std::move(slot));
    }
}

DriverSupervisor::~DriverSupervisor()
{
    stop();
}

void DriverSupervisor::log(int level, const std::string& message) const
{
    if (log_) {
        log_(level, message);
    }
}

void DriverSupervisor::start()
{
    if (thread_.joinable() || slots_.empty()) {
        return;
    }
    thread_ = std::thread([this] { run(); });
}

std::vector<DriverStatus> DriverSupervisor::status() const
{
    std::lock_guard lock(mutex_);
    std::vector<DriverStatus> result;
    result.reserve(slots_.size());
    for (const auto& slot : slots_) {
        result.push_back(slot.status);
    }
    return result;
}

void DriverSupervisor::killHung(std::string_view id, const std::string& reason)
{
    std::lock_guard lock(mutex_);
    for (auto& slot : slots_) {
        if (slot.status.id == id && slot.status.state == DriverRunState::Running && slot.status.pid > 0) {
            log(1, "driver " + slot.status.id + " is hung (" + reason + "): killing process " +
                       std::to_string(slot.status.pid));
            kill(-slot.status.pid, SIGKILL);
        }
    }
}

void DriverSupervisor::setState(Slot& slot, DriverRunState state, double now)
{
    slot.status.state = state;
    slot.status.stateSinceSec = now;
}

void DriverSupervisor::startProcess(Slot& slot, double now)
{
    // Called with mutex_ held; posix_spawn uses vfork semantics and returns as soon as the child
    // has exec'd, so this is short.
    std::string error;
    const pid_t pid = spawnProcess(slot.launch, error);
    ++slot.status.starts;
    if (slot.status.starts > 1) {
        ++slot.status.restarts;
    }
    if (pid < 0) {
        slot.status.pid = 0;
        slot.status.lastExit = "cannot start " + slot.launch.argv.front() + ": " + error;
        setState(slot, DriverRunState::Failed, now);
        log(2, "driver " + slot.status.id + ": " + slot.status.lastExit);
        return;
    }
    slot.status.pid = pid;
    slot.startedSec = now;
    setState(slot, DriverRunState::Running, now);
    log(0, "driver " + slot.status.id + " started (process " + std::to_string(pid) + ", start " +
               std::to_string(slot.status.starts) + ")");
}

void DriverSupervisor::onDeath(Slot& slot, int waitStatus, double now)
{
    slot.status.pid = 0;
    slot.status.lastExit = describeWaitStatus(waitStatus);
    if (stopping_) {
        setState(slot, DriverRunState::Stopped, now);
        return;
    }
    const bool clean = WIFEXITED(waitStatus) && WEXITSTATUS(waitStatus) == 0;
    const RestartPolicy policy = slot.launch.restart;
    if (policy == RestartPolicy::Never || (policy == RestartPolicy::OnFailure && clean)) {
        log(1, "driver " + slot.status.id + " ended (" + slot.status.lastExit + "); its restart policy says not to restart it");
        setState(slot, DriverRunState::Stopped, now);
        return;
    }
    // Crash-loop window: count deaths in the last crashWindowSec.
    slot.deathTimes.push_back(now);
    const double windowStart = now - slot.launch.crashWindowSec;
    slot.deathTimes.erase(std::remove_if(slot.deathTimes.begin(), slot.deathTimes.end(),
                                         [&](double t) { return t < windowStart; }),
                          slot.deathTimes.end());
    slot.status.recentDeaths = static_cast<uint32_t>(slot.deathTimes.size());
    if (static_cast<int>(slot.deathTimes.size()) >= slot.launch.crashLimit) {
        log(2, "driver " + slot.status.id + " died " + std::to_string(slot.deathTimes.size()) + " times within " +
                   std::to_string(slot.launch.crashWindowSec) + " s (last: " + slot.status.lastExit +
                   "); crash loop: not restarting it any more");
        setState(slot, DriverRunState::CrashLoop, now);
        return;
    }
    const bool ranStable = (now - slot.startedSec) * 1000.0 >= slot.launch.stableAfterMs;
    slot.consecutiveFailures = ranStable ? 1 : slot.consecutiveFailures + 1;
    double delayMs = slot.launch.restartDelayMs;
    for (int i = 1; i < slot.consecutiveFailures && delayMs < slot.launch.restartMaxDelayMs; ++i) {
        delayMs *= 2.0;
    }
    delayMs = std::min<double>(delayMs, slot.launch.restartMaxDelayMs);
    slot.status.nextStartSec = now + delayMs / 1000.0;
    setState(slot, DriverRunState::Backoff, now);
    log(1, "driver " + slot.status.id + " died (" + slot.status.lastExit + "); restarting in " +
               std::to_string(static_cast<int>(delayMs)) + " ms");
}

void DriverSupervisor::reap(double now)
{
    for (auto& slot : slots_) {
        if (slot.status.pid <= 0) {
            continue;
        }
        int waitStatus = 0;
        const pid_t done = waitpid(slot.status.pid, &waitStatus, WNOHANG);
        if (done == slot.status.pid) {
            onDeath(slot, waitStatus, now);
        } else if (done < 0 && errno == ECHILD) {
            onDeath(slot, 0, now);
        }
    }
}

void DriverSupervisor::run()
{
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const double now = monotonicSeconds();
        reap(now);
        for (auto& slot : slots_) {
            const bool due = slot.status.state == DriverRunState::Starting ||
                             (slot.status.state == DriverRunState::Backoff && slot.status.nextStartSec <= now);
            if (due) {
                startProcess(slot, now);
            }
        }
        // Reaping by polling keeps SIGCHLD out of the host's signal handling; 50 ms is well
        // below any restart delay.
        wake_.wait_for(lock, std::chrono::milliseconds(50));
    }
}

void DriverSupervisor::stop(int graceMs)
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    std::lock_guard lock(mutex_);
    for (auto& slot : slots_) {
        if (slot.status.pid > 0) {
            kill(-slot.status.pid, SIGTERM);
        }
    }
    const double deadline = monotonicSeconds() + graceMs / 1000.0;
    for (;;) {
        const double now = monotonicSeconds();
        reap(now);
        const bool anyAlive = std::any_of(slots_.begin(), slots_.end(), [](const Slot& s) { return s.status.pid > 0; });
        if (!anyAlive) {
            break;
        }
        if (now >= deadline) {
            for (auto& slot : slots_) {
                if (slot.status.pid > 0) {
                    log(1, "driver " + slot.status.id + " did not stop within " + std::to_string(graceMs) + " ms: killing it");
                    kill(-slot.status.pid, SIGKILL);
                    int waitStatus = 0;
                    waitpid(slot.status.pid, &waitStatus, 0);
                    onDeath(slot, waitStatus, monotonicSeconds());
                }
            }
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

} // namespace ccoc::host
