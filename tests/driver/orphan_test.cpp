// A driver dies with the host that started it: the host killed outright (SIGKILL, no chance to
// stop its drivers) leaves no ccoc-driverd behind to join the next host's bus under the same id,
// even when the driver is stuck in a call and would not stop in order.
#include <catch2/catch.hpp>

#include "driver_test_util.hpp"

#include <csignal>
#include <fstream>

using namespace ccoc::drivertest;

namespace {

// True while `pid` is a live process (a zombie waiting for its new parent to reap it is dead).
bool processAlive(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
        return false;
    }
    const size_t close = line.rfind(')'); // the command name may hold spaces and parentheses
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z' && line[close + 2] != 'X';
}

// Kills a process left behind when a check fails, so a failing test does not leak it.
struct KillOnExit {
    pid_t pid = 0;
    ~KillOnExit()
    {
        if (pid > 0 && processAlive(pid)) {
            ::kill(pid, SIGKILL);
        }
    }
};

} // namespace

TEST_CASE("driver/orphan: a driver stuck in a call is gone within 2 s of its host being killed")
{
    BusEndpoints bus;
    // The watchdog is far away, so only dying with the host can end the stuck driver in time.
    HeadlessHost host(kDataDir + "/sim_site.toml", bus, {{"CCOC_DRIVER_WATCHDOG_MS", "60000"}});
    INFO(host.process.output());
    REQUIRE(host.process.waitForOutput("driver sim-1 started (process", 20s));
    const pid_t driver = static_cast<pid_t>(lastNumberAfter(host.process.output(), "driver sim-1 started (process "));
    REQUIRE(driver > 0);
    KillOnExit cleanup{driver};
    auto client = mirrorClient(bus);
    REQUIRE(client);
    REQUIRE(client->waitReady(10000));
    REQUIRE(waitForState(*client, "door-1/info", [](const ccoc::bus::StateEntry& e) { return !e.stale; }, 15s));

    // The driver thread blocks for good in the command (sim.hang), as a driver in traffic may.
    ccoc::bus::Command hang;
    hang.device = "door-1";
    hang.action = "sim.hang";
    hang.ttlMs = 5000;
    REQUIRE(client->sendCommand(hang, [](const ccoc::bus::Reply&) {}).ok());
    REQUIRE(host.process.waitForOutput("sim.hang asked by", 10s));
    std::this_thread::sleep_for(300ms); // the driver's 200 ms pause before it blocks for good

    REQUIRE(processAlive(driver));
    host.process.signal(SIGKILL);
    REQUIRE(host.process.wait(10s).has_value());
    const auto killed = std::chrono::steady_clock::now();
    while (processAlive(driver) && std::chrono::steady_clock::now() - killed < 10s) {
        std::this_thread::sleep_for(20ms); // polling /proc, bounded by the deadline
    }
    const auto gone = std::chrono::steady_clock::now() - killed;
    INFO("the host's and its driver's output:\n" << host.process.output());
    INFO("driver process " << driver << " still alive after "
                           << std::chrono::duration_cast<std::chrono::milliseconds>(gone).count() << " ms");
    CHECK_FALSE(processAlive(driver));
    CHECK(gone < 2s);
}
