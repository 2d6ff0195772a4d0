// DriverSupervisor with real processes: backoff between restarts, the crash-loop cap, restart
// policies, a program that cannot be started, and stop() ending every child.
#include <catch2/catch.hpp>

#include "driver_supervisor.hpp"
#include "temp_dir.hpp"

#include <signal.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <thread>

using namespace std::chrono_literals;
using ccoc::host::DriverLaunch;
using ccoc::host::DriverRunState;
using ccoc::host::DriverStatus;
using ccoc::host::DriverSupervisor;
using ccoc::host::RestartPolicy;

namespace {

DriverLaunch launchOf(std::vector<std::string> argv)
{
    DriverLaunch launch;
    launch.id = "d1";
    launch.argv = std::move(argv);
    launch.restartDelayMs = 20;
    launch.restartMaxDelayMs = 80;
    launch.crashLimit = 4;
    return launch;
}

// Polls the supervisor's status until `accept` holds or the timeout passes.
std::optional<DriverStatus> waitFor(const DriverSupervisor& supervisor, const std::function<bool(const DriverStatus&)>& accept,
                                    std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto status = supervisor.status();
        if (!status.empty() && accept(status.front())) {
            return status.front();
        }
        std::this_thread::sleep_for(10ms); // polling a snapshot, bounded by the deadline
    }
    return std::nullopt;
}

} // namespace

TEST_CASE("driver/supervisor: a failing program is restarted with backoff, then capped as a crash loop")
{
    DriverSupervisor supervisor({launchOf({"/bin/sh", "-c", "exit 7"})}, {});
    const auto start = std::chrono::steady_clock::now();
    supervisor.start();
    const auto status = waitFor(supervisor, [](const DriverStatus& s) { return s.state == DriverRunState::CrashLoop; }, 10s);
    REQUIRE(status.has_value());
    CHECK(status->starts == 4);
    CHECK(status->restarts == 3);
    CHECK(status->recentDeaths == 4);
    CHECK(status->lastExit == "exit 7");
    // Backoff 20 + 40 + 80 ms at least between the four starts.
    CHECK(std::chrono::steady_clock::now() - start >= 140ms);
}

TEST_CASE("driver/supervisor: restart policies on-failure and never, and a program that does not exist")
{
    SECTION("on-failure: a clean exit is not restarted")
    {
        auto launch = launchOf({"/bin/sh", "-c", "exit 0"});
        launch.restart = RestartPolicy::OnFailure;
        DriverSupervisor supervisor({launch}, {});
        supervisor.start();
        const auto status = waitFor(supervisor, [](const DriverStatus& s) { return s.state == DriverRunState::Stopped; }, 10s);
        REQUIRE(status.has_value());
        CHECK(status->starts == 1);
        CHECK(status->lastExit == "exit 0");
    }
    SECTION("never: a killed driver stays down")
    {
        auto launch = launchOf({"/bin/sh", "-c", "kill -9 $$"});
        launch.restart = RestartPolicy::Never;
        DriverSupervisor supervisor({launch}, {});
        supervisor.start();
        const auto status = waitFor(supervisor, [](const DriverStatus& s) { return s.state == DriverRunState::Stopped; }, 10s);
        REQUIRE(status.has_value());
        CHECK(status->starts == 1);
        CHECK(status->lastExit.rfind("signal 9", 0) == 0);
    }
    SECTION("a missing program is reported as failed")
    {
        DriverSupervisor supervisor({launchOf({"/nonexistent/driver"})}, {});
        supervisor.start();
        const auto status = waitFor(supervisor, [](const DriverStatus& s) {
            return s.state == DriverRunState::Failed || s.state == DriverRunState::CrashLoop;
        }, 10s);
        REQUIRE(status.has_value());
        // posix_spawn reports exec failures either as an error (Failed) or as exit 127.
        CHECK((status->state == DriverRunState::Failed || status->lastExit == "exit 127"));
    }
}

TEST_CASE("driver/supervisor: stop ends a running driver, and one that ignores SIGTERM is killed")
{
    const ccoc::test::TempDir readyDir("ccoc-supervisor");
    const std::string ready = readyDir + "/ready";
    DriverSupervisor supervisor({launchOf({"/bin/sh", "-c", "trap '' TERM; touch " + ready + "; exec sleep 30"})}, {});
    supervisor.start();
    const auto running = waitFor(supervisor, [](const DriverStatus& s) { return s.state == DriverRunState::Running; }, 10s);
    REQUIRE(running.has_value());
    const pid_t pid = running->pid;
    REQUIRE(pid > 0);
    // The shell has set its trap once the file exists.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!std::filesystem::exists(ready) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    REQUIRE(std::filesystem::exists(ready));
    std::remove(ready.c_str());
    const auto before = std::chrono::steady_clock::now();
    supervisor.stop(300);
    // It ignores SIGTERM (an ignored signal stays ignored across exec): only SIGKILL after the
    // grace period ends it.
    CHECK(std::chrono::steady_clock::now() - before >= 300ms);
    CHECK(std::chrono::steady_clock::now() - before < 5s);
    CHECK(supervisor.status().front().lastExit.rfind("signal 9", 0) == 0);
    CHECK(::kill(pid, 0) != 0); // reaped: the pid is gone
    CHECK(supervisor.status().front().state == DriverRunState::Stopped);
}
