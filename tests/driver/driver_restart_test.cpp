// The host keeps rendering while its driver dies (SIGKILL, a segfault), restarts it, and the
// driver's state is back on the bus under a new session; a crash-looping driver is given up on.
#include <catch2/catch.hpp>

#include "driver_test_util.hpp"

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>

using namespace ccoc::drivertest;

namespace {

// The process id in the host's latest "driver ID started (process N, start K)" line.
pid_t lastDriverPid(const std::string& output, const std::string& id)
{
    return static_cast<pid_t>(std::max(0L, lastNumberAfter(output, "driver " + id + " started (process ")));
}

std::string frameLine(long frame)
{
    return "] frame " + std::to_string(frame) + "\n";
}

// After a death: the host logged it, restarted the driver, rendered on, and the driver's state
// is back under a new session and not stale.
void expectRestartedWithState(HeadlessHost& host, ccoc::bus::Client& client, const std::string& died,
                              const std::string& firstSession)
{
    INFO(host.process.output());
    REQUIRE(host.process.waitForOutput(died, 10s));
    const long frameAtDeath = lastFrame(host.process.output());
    REQUIRE(host.process.waitForOutput("driver sim-1 started (process", 1s)); // the first start's line
    REQUIRE(host.process.waitForOutput("start 2)", 10s));
    const auto back = waitForState(
        client, "door-1/info", [&](const ccoc::bus::StateEntry& e) { return e.session != firstSession && !e.stale; }, 15s);
    REQUIRE(back.has_value());
    CHECK(back->source == "sim-1");
    // Every device's state is back, not only the one we looked at.
    for (const char* path : {"door-1/contact", "door-2/contact", "light-1/light", "panic-1/button"}) {
        const auto entry = waitForState(
            client, path, [&](const ccoc::bus::StateEntry& e) { return e.session == back->session && !e.stale; }, 5s);
        CHECK(entry.has_value());
    }
    // Frames kept coming: at least 100 more (4 s at 25 frames/s) after the death.
    const long target = ((std::max(frameAtDeath, 0L) / 50) + 2) * 50;
    CHECK(host.process.waitForOutput(frameLine(target), 20s));
}

} // namespace

TEST_CASE("driver/sigkill: the host renders on, restarts the driver, and its state is back")
{
    BusEndpoints bus;
    HeadlessHost host(kDataDir + "/sim_site.toml", bus);
    INFO(host.process.output());
    REQUIRE(host.process.waitForOutput("driver sim-1 started (process", 20s));
    auto client = mirrorClient(bus);
    REQUIRE(client);
    REQUIRE(client->waitReady(10000));
    const auto first = waitForState(*client, "door-1/info", [](const ccoc::bus::StateEntry& e) { return !e.stale; }, 10s);
    REQUIRE(first.has_value());
    REQUIRE(host.process.waitForOutput(frameLine(50), 20s));

    const pid_t pid = lastDriverPid(host.process.output(), "sim-1");
    REQUIRE(pid > 0);
    REQUIRE(::kill(pid, SIGKILL) == 0);
    expectRestartedWithState(host, *client, "driver sim-1 died (signal 9", first->session);

    CHECK(host.process.running());
    host.process.signal(SIGTERM);
    const auto code = host.process.wait(20s);
    REQUIRE(code.has_value());
    CHECK(*code == 0);
}

TEST_CASE("driver/segfault: a driver that segfaults is restarted while the host renders on")
{
    BusEndpoints bus;
    HeadlessHost host(kDataDir + "/sim_site.toml", bus);
    INFO(host.process.output());
    REQUIRE(host.process.waitForOutput("driver sim-1 started (process", 20s));
    auto client = mirrorClient(bus);
    REQUIRE(client);
    REQUIRE(client->waitReady(10000));
    const auto first = waitForState(*client, "door-1/info", [](const ccoc::bus::StateEntry& e) { return !e.stale; }, 10s);
    REQUIRE(first.has_value());

    // The sim driver answers, then writes to an unmapped page.
    std::mutex mutex;
    std::condition_variable answered;
    std::optional<ccoc::bus::Reply> reply;
    ccoc::bus::Command crash;
    crash.device = "door-1";
    crash.action = "sim.crash";
    crash.ttlMs = 5000;
    REQUIRE(client->sendCommand(crash, [&](const ccoc::bus::Reply& r) {
        std::lock_guard lock(mutex);
        reply = r;
        answered.notify_one();
    }).ok());
    {
        std::unique_lock lock(mutex);
        REQUIRE(answered.wait_for(lock, 10s, [&] { return reply.has_value(); }));
    }
    CHECK(reply->status == ccoc::bus::CommandStatus::Ok);
    expectRestartedWithState(host, *client, "driver sim-1 died (signal 11", first->session);
    CHECK(host.process.running());
}

TEST_CASE("driver/hang: a driver stuck in a call is ended by ccoc-driverd's watchdog and restarted")
{
    BusEndpoints bus;
    HeadlessHost host(kDataDir + "/sim_site.toml", bus, {{"CCOC_DRIVER_WATCHDOG_MS", "1000"}});
    INFO(host.process.output());
    REQUIRE(host.process.waitForOutput("driver sim-1 started (process", 20s));
    auto client = mirrorClient(bus);
    REQUIRE(client);
    REQUIRE(client->waitReady(10000));
    const auto first = waitForState(*client, "door-1/info", [](const ccoc::bus::StateEntry& e) { return !e.stale; }, 10s);
    REQUIRE(first.has_value());

    ccoc::bus::Command hang;
    hang.device = "door-1";
    hang.action = "sim.hang";
    hang.ttlMs = 5000;
    std::atomic<bool> answered{false};
    REQUIRE(client->sendCommand(hang, [&](const ccoc::bus::Reply&) { answered = true; }).ok());
    REQUIRE(host.process.waitForOutput("watchdog 1000 ms): exiting", 15s));
    expectRestartedWithState(host, *client, "driver sim-1 died (exit 5)", first->session);
    CHECK(answered.load());
    CHECK(host.process.running());
}

TEST_CASE("driver/crash loop: a driver that dies at every start rests for the cool-down, the host runs on")
{
    BusEndpoints bus;
    HeadlessHost host(kDataDir + "/crash_loop.toml", bus);
    INFO(host.process.output());
    REQUIRE(host.process.waitForOutput("); trying again in 30 s", 30s));
    CHECK(occurrences(host.process.output(), "driver sim-crash started (process") == 3);
    CHECK(host.process.output().find("died (signal 11") != std::string::npos);

    // The supervisor's view is on the bus for panels and `ccoc-bus list`.
    auto client = mirrorClient(bus);
    REQUIRE(client);
    REQUIRE(client->waitReady(10000));
    const auto status = waitForState(
        *client, "supervisor.TEST-2/driver/sim-crash",
        [](const ccoc::bus::StateEntry& e) { return e.value.find("\"crash-loop\"") != std::string::npos; }, 10s);
    REQUIRE(status.has_value());
    CHECK(status->value.find("\"starts\":3") != std::string::npos);

    // No further start within the 30 s cool-down: wait ten times the longest backoff (200 ms)
    // while frames keep coming.
    const long frame = lastFrame(host.process.output());
    REQUIRE(host.process.waitForOutput(frameLine(((std::max(frame, 0L) / 50) + 2) * 50), 20s));
    CHECK(occurrences(host.process.output(), "driver sim-crash started (process") == 3);
    CHECK(host.process.running());
}

TEST_CASE("driver/program: the host runs a driver in another language and restarts it when killed")
{
    BusEndpoints bus;
    HeadlessHost host(kDataDir + "/python_site.toml", bus);
    INFO(host.process.output());
    REQUIRE(host.process.waitForOutput("driver py-gates started (process", 20s));
    auto client = mirrorClient(bus);
    REQUIRE(client);
    REQUIRE(client->waitReady(10000));
    // The Python driver got its endpoints and id from the host's environment for it.
    const auto first = waitForState(*client, "gate-9/barrier", [](const ccoc::bus::StateEntry& e) { return !e.stale; }, 20s);
    REQUIRE(first.has_value());
    CHECK(first->source == "py-gates");

    const pid_t pid = lastDriverPid(host.process.output(), "py-gates");
    REQUIRE(pid > 0);
    REQUIRE(::kill(pid, SIGKILL) == 0);
    REQUIRE(host.process.waitForOutput("driver py-gates died (signal 9", 10s));
    REQUIRE(host.process.waitForOutput("start 2)", 10s));
    const auto back = waitForState(
        *client, "gate-9/barrier", [&](const ccoc::bus::StateEntry& e) { return e.session != first->session && !e.stale; },
        20s);
    CHECK(back.has_value());
    CHECK(host.process.running());
}
