// DriverSupervisor with real processes: backoff between restarts, the crash-loop cap, restart
// policies, a program that cannot be started, and stop() ending every child.
#include <catch2/catch.hpp>

#include "driver_supervisor.hpp"
#include "temp_dir.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
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

TEST_CASE("driver/supervisor cool-down: a crash loop is tried again after the cool-down, which doubles up to its cap")
{
    auto launch = launchOf({"/bin/sh", "-c", "exit 3"});
    launch.crashLimit = 2;
    launch.cooldownSec = 1;
    launch.cooldownMaxSec = 2;
    DriverSupervisor supervisor({launch}, {});
    supervisor.start();
    const auto first = waitFor(supervisor, [](const DriverStatus& s) { return s.state == DriverRunState::CrashLoop; }, 10s);
    REQUIRE(first.has_value());
    CHECK(first->starts == 2);
    CHECK(first->nextStartSec - first->stateSinceSec == Approx(1.0).margin(0.01));
    // Not given up: after the 1 s rest it runs once more, dies at once (two deaths still in the
    // window) and rests twice as long; then the cap holds.
    const auto second = waitFor(supervisor, [](const DriverStatus& s) { return s.starts == 3 && s.state == DriverRunState::CrashLoop; }, 10s);
    REQUIRE(second.has_value());
    CHECK(second->stateSinceSec - first->stateSinceSec >= 0.95);
    CHECK(second->nextStartSec - second->stateSinceSec == Approx(2.0).margin(0.01));
    const auto third = waitFor(supervisor, [](const DriverStatus& s) { return s.starts == 4 && s.state == DriverRunState::CrashLoop; }, 10s);
    REQUIRE(third.has_value());
    CHECK(third->stateSinceSec - second->stateSinceSec >= 1.95);
    CHECK(third->nextStartSec - third->stateSinceSec == Approx(2.0).margin(0.01));
    CHECK(third->lastExit == "exit 3");
}

TEST_CASE("driver/supervisor restart now: a down driver is started at once on request, a running one is left alone")
{
    const std::string flag = "/tmp/ccoc-supervisor-crash-" + std::to_string(::getpid());
    std::FILE* created = std::fopen(flag.c_str(), "w");
    REQUIRE(created != nullptr);
    std::fclose(created);
    struct RemoveFlag {
        std::string path;
        ~RemoveFlag() { std::remove(path.c_str()); }
    } removeFlag{flag};
    // Dies while the flag exists; then runs until stopped.
    auto launch = launchOf({"/bin/sh", "-c", "test ! -e " + flag + " || exit 4; exec sleep 30"});
    launch.crashLimit = 2;
    launch.cooldownSec = 600;
    launch.cooldownMaxSec = 600;
    DriverSupervisor supervisor({launch}, {});
    CHECK_FALSE(supervisor.restartNow("d1", "the test")); // not started yet
    supervisor.start();
    const auto down = waitFor(supervisor, [](const DriverStatus& s) { return s.state == DriverRunState::CrashLoop; }, 10s);
    REQUIRE(down.has_value());
    CHECK(down->nextStartSec - down->stateSinceSec == Approx(600.0).margin(0.01));

    std::remove(flag.c_str());
    const auto asked = std::chrono::steady_clock::now();
    CHECK_FALSE(supervisor.restartNow("no-such-driver", "the test"));
    REQUIRE(supervisor.restartNow("d1", "the test"));
    const auto running = waitFor(supervisor, [](const DriverStatus& s) { return s.state == DriverRunState::Running; }, 5s);
    REQUIRE(running.has_value());
    CHECK(std::chrono::steady_clock::now() - asked < 2s); // not the 600 s cool-down
    CHECK(running->starts == 3);
    CHECK(running->recentDeaths == 0);
    CHECK_FALSE(supervisor.restartNow("d1", "the test")); // running: nothing to do
    CHECK(supervisor.status().front().pid == running->pid);
}

TEST_CASE("driver/supervisor: a driver dies with its supervisor's process, even killed outright")
{
    // A child process runs the supervisor with a driver that ignores nothing; SIGKILL the child,
    // and the driver (the grandchild) must be gone at once: PR_SET_PDEATHSIG set before exec.
    const std::string pidFile = "/tmp/ccoc-supervisor-pid-" + std::to_string(::getpid());
    struct RemoveFile {
        std::string path;
        ~RemoveFile() { std::remove(path.c_str()); }
    } removePid{pidFile};
    std::remove(pidFile.c_str());
    const pid_t host = ::fork();
    REQUIRE(host >= 0);
    if (host == 0) {
        DriverSupervisor inner({launchOf({"/bin/sh", "-c", "echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " +
                                                               pidFile + " && exec sleep 60"})},
                               {});
        inner.start();
        std::this_thread::sleep_for(60s);
        _exit(0);
    }
    pid_t driver = 0;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (driver == 0 && std::chrono::steady_clock::now() < deadline) {
        if (std::FILE* in = std::fopen(pidFile.c_str(), "r")) {
            int value = 0;
            if (std::fscanf(in, "%d", &value) == 1) {
                driver = value;
            }
            std::fclose(in);
        }
        std::this_thread::sleep_for(10ms);
    }
    struct KillLeft {
        pid_t pid;
        ~KillLeft()
        {
            if (pid > 0) {
                ::kill(pid, SIGKILL);
            }
        }
    } killLeft{driver};
    REQUIRE(driver > 0);
    REQUIRE(::kill(host, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(host, &status, 0) == host);
    // The driver is reparented (to init or a subreaper, which reaps it); gone means no process
    // or a zombie.
    const auto killed = std::chrono::steady_clock::now();
    const auto alive = [&] {
        std::FILE* stat = std::fopen(("/proc/" + std::to_string(driver) + "/stat").c_str(), "r");
        if (stat == nullptr) {
            return false;
        }
        char line[512] = {};
        const bool read = std::fgets(line, sizeof line, stat) != nullptr;
        std::fclose(stat);
        const char* close = read ? std::strrchr(line, ')') : nullptr;
        return close != nullptr && close[1] == ' ' && close[2] != 'Z' && close[2] != 'X';
    };
    while (alive() && std::chrono::steady_clock::now() - killed < 5s) {
        std::this_thread::sleep_for(10ms);
    }
    CHECK_FALSE(alive());
    CHECK(std::chrono::steady_clock::now() - killed < 2s);
}
