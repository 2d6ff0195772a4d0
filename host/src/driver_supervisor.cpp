#include "driver_supervisor.hpp"

#include "driver_process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>

namespace ccoc::host {
namespace {

double monotonicSeconds()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
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
        slot.status.kind = launch.kind;
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
            log(1, slot.status.kind + " " + slot.status.id + " is hung (" + reason + "): killing process " +
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

void DriverSupervisor::restForCooldown(Slot& slot, DriverRunState state, double now)
{
    // A crash-looping driver is not given up on: the device it serves may come back (a cable, a
    // panel rebooted). The rest doubles at each crash loop so a dead one does not flood the log.
    double restSec = std::max(1, slot.launch.cooldownSec);
    for (int i = 0; i < slot.crashLoops && restSec < slot.launch.cooldownMaxSec; ++i) {
        restSec *= 2.0;
    }
    restSec = std::min<double>(restSec, std::max(slot.launch.cooldownSec, slot.launch.cooldownMaxSec));
    ++slot.crashLoops;
    slot.status.nextStartSec = now + restSec;
    setState(slot, state, now);
    log(2, slot.status.kind + " " + slot.status.id + " is down (" + slot.status.lastExit + "); trying again in " +
               std::to_string(static_cast<int>(restSec)) + " s");
}

bool DriverSupervisor::restartNow(std::string_view id, const std::string& who)
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return false;
        }
        const auto slot = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& s) { return s.status.id == id; });
        if (slot == slots_.end() || slot->status.pid > 0 || slot->status.state == DriverRunState::Starting) {
            return false;
        }
        log(1, slot->status.kind + " " + slot->status.id + ": restart now, asked by " + who + " (was " +
                   std::string(runStateName(slot->status.state)) + ")");
        // A fresh count: the operator has seen the crash loop and wants a new try.
        slot->deathTimes.clear();
        slot->status.recentDeaths = 0;
        slot->consecutiveFailures = 0;
        setState(*slot, DriverRunState::Starting, monotonicSeconds());
    }
    wake_.notify_all();
    return true;
}

void DriverSupervisor::startProcess(Slot& slot, double now)
{
    // Called with mutex_ held; spawnProcess returns as soon as the child has exec'd (or failed
    // to), so this is short.
    std::string error;
    const pid_t pid = spawnProcess(slot.launch, error);
    ++slot.status.starts;
    if (slot.status.starts > 1) {
        ++slot.status.restarts;
    }
    if (pid < 0) {
        slot.status.pid = 0;
        slot.status.lastExit = "cannot start " + slot.launch.argv.front() + ": " + error;
        restForCooldown(slot, DriverRunState::Failed, now);
        return;
    }
    slot.status.pid = pid;
    slot.startedSec = now;
    slot.status.runningSinceSec = now;
    setState(slot, DriverRunState::Running, now);
    log(0, slot.status.kind + " " + slot.status.id + " started (process " + std::to_string(pid) + ", start " +
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
        log(1, slot.status.kind + " " + slot.status.id + " ended (" + slot.status.lastExit + "); its restart policy says not to restart it");
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
    const bool ranStable = (now - slot.startedSec) * 1000.0 >= slot.launch.stableAfterMs;
    if (ranStable) {
        slot.crashLoops = 0;
    }
    if (static_cast<int>(slot.deathTimes.size()) >= slot.launch.crashLimit) {
        log(2, slot.status.kind + " " + slot.status.id + " died " + std::to_string(slot.deathTimes.size()) + " times within " +
                   std::to_string(slot.launch.crashWindowSec) + " s (last: " + slot.status.lastExit + "); crash loop");
        restForCooldown(slot, DriverRunState::CrashLoop, now);
        return;
    }
    slot.consecutiveFailures = ranStable ? 1 : slot.consecutiveFailures + 1;
    double delayMs = slot.launch.restartDelayMs;
    for (int i = 1; i < slot.consecutiveFailures && delayMs < slot.launch.restartMaxDelayMs; ++i) {
        delayMs *= 2.0;
    }
    delayMs = std::min<double>(delayMs, slot.launch.restartMaxDelayMs);
    slot.status.nextStartSec = now + delayMs / 1000.0;
    setState(slot, DriverRunState::Backoff, now);
    log(1, slot.status.kind + " " + slot.status.id + " died (" + slot.status.lastExit + "); restarting in " +
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
            const bool resting = slot.status.state == DriverRunState::Backoff || isDown(slot.status.state);
            const bool due = slot.status.state == DriverRunState::Starting || (resting && slot.status.nextStartSec <= now);
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
                    log(1, slot.status.kind + " " + slot.status.id + " did not stop within " + std::to_string(graceMs) + " ms: killing it");
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
