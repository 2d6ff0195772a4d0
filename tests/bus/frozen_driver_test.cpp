// A real driver process (ccoc-driverd with the sim driver) frozen with SIGSTOP and thawed with
// SIGCONT, against a broker in the test: a command the caller was told had timed out is never
// executed afterwards (protocol section 7.3), and the broker says so when a silent driver is
// heard again (section 9).
#include <catch2/catch.hpp>

#include "bus_test_util.hpp"
#include "child_process.hpp"

#include <signal.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

using namespace ccoc::bus;
using namespace ccoc::bus::test;
using namespace std::chrono_literals;
using ccoc::test::ChildProcess;

namespace {

const std::string kDriverd = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-driverd";
const std::string kSimDriver = std::string(CCOC_PLUGIN_DIR) + "/sim.so";

// The sim driver with one street light, light-1, under ccoc-driverd. Thawed and stopped when
// the test ends, whatever happened.
struct SimDriverProcess {
    std::unique_ptr<ChildProcess> process;
    SimDriverProcess(const Broker& broker, int heartbeatMs) {
        process = std::make_unique<ChildProcess>(std::vector<std::string>{
            kDriverd, "--id", "sim-1", "--plugin", kSimDriver, "--frontend", broker.frontendEndpoint(), "--publisher",
            broker.publisherEndpoint(), "--heartbeat-ms", std::to_string(heartbeatMs), "--set", "doors=", "--set",
            "motion=", "--set", "panic=", "--set", "lights=light-1", "--set", "seed=3"});
    }
    ~SimDriverProcess() {
        process->signal(SIGCONT);
        process->stop();
    }
    SimDriverProcess(const SimDriverProcess&) = delete;
    SimDriverProcess& operator=(const SimDriverProcess&) = delete;
};

// The light's level as the broker retains it, or -1.
int lightLevel(const Client& console) {
    const auto entry = console.state("light-1/light");
    if (!entry) {
        return -1;
    }
    const size_t at = entry->value.find("\"level\":");
    return at == std::string::npos ? -1 : std::atoi(entry->value.c_str() + at + 8);
}

struct Answer {
    std::mutex mutex;
    std::optional<Reply> reply;
    int count = 0;
    ReplyHandler handler() {
        return [this](const Reply& r) {
            std::lock_guard lock(mutex);
            reply = r;
            ++count;
        };
    }
    std::optional<Reply> get() {
        std::lock_guard lock(mutex);
        return reply;
    }
};

bool brokerSaysOnline(const Broker& broker, bool online) {
    for (const auto& driver : broker.drivers()) {
        if (driver.source == "sim-1") {
            return driver.online == online;
        }
    }
    return false;
}

} // namespace

TEST_CASE("bus/command-deadline-frozen-driver") {
    TempDir dir;
    BrokerConfig brokerConfig = testBrokerConfig(dir);
    brokerConfig.heartbeatMs = 1000;
    brokerConfig.offlineAfterMs = 20000; // the freeze must not make it offline: the command must reach it
    Broker broker(brokerConfig);
    REQUIRE(broker.start().ok());
    ClientConfig consoleConfig = testClientConfig(broker, "console-1", Role::Console);
    consoleConfig.mirrorState = true;
    Client console(consoleConfig);
    REQUIRE(console.start().ok());
    REQUIRE(console.waitReady(10000));

    SimDriverProcess driver(broker, 1000);
    REQUIRE(driver.process->waitForOutput("running 1 devices", 20s));
    REQUIRE(waitUntil([&] { return lightLevel(console) == 100; }, 20000)); // lights start at full level

    // Every level the light is published with from now on.
    std::mutex levelsMutex;
    std::vector<std::string> published;
    console.subscribe("state/light-1/light", [&](const Message& message) {
        std::lock_guard lock(levelsMutex);
        published.push_back(message.payload);
    });
    REQUIRE(console.waitSubscribed(10000));

    driver.process->signal(SIGSTOP);
    Answer dim;
    Command command;
    command.device = "light-1";
    command.action = "light.dim";
    command.argsJson = R"({"level":5})";
    command.ttlMs = 1000; // long enough that a driver counting it from its own receipt would act
    REQUIRE(console.sendCommand(command, dim.handler()).ok());
    REQUIRE(waitUntil([&] { return dim.get().has_value(); }, 10000));
    CHECK(dim.get()->status == CommandStatus::Timeout);
    CHECK(dim.get()->message.find("sim-1") != std::string::npos); // the broker's own answer

    // Thawed well after the deadline, the driver reads the command: its answer (timeout) comes
    // too late for the caller and is dropped by the broker, and the light is not dimmed.
    std::this_thread::sleep_for(500ms); // the freeze itself: nothing to wait for
    driver.process->signal(SIGCONT);
    REQUIRE(waitUntil([&] { return broker.stats().lateReplies >= 1; }, 20000));
    // Still alive and serving: a fresh command is executed, and its state arrives after any
    // state the dropped one could have caused, so the level proves what happened in between.
    Answer fresh;
    command.argsJson = R"({"level":40})";
    command.ttlMs = 10000;
    REQUIRE(console.sendCommand(command, fresh.handler()).ok());
    REQUIRE(waitUntil([&] { return fresh.get().has_value(); }, 20000));
    CHECK(fresh.get()->status == CommandStatus::Ok);
    CHECK(fresh.get()->resultJson.find("\"level\":40") != std::string::npos);
    REQUIRE(waitUntil([&] { return lightLevel(console) == 40; }, 20000));
    CHECK(dim.count == 1);
    std::lock_guard lock(levelsMutex);
    for (const auto& payload : published) {
        INFO("published after the timeout: " << payload);
        CHECK(payload.find("\"level\":5,") == std::string::npos);
        CHECK(payload.find("\"level\":5}") == std::string::npos);
    }
}

TEST_CASE("bus/driver-back-online-logged") {
    TempDir dir;
    LogCollector logs;
    BrokerConfig brokerConfig = testBrokerConfig(dir, &logs);
    brokerConfig.heartbeatMs = 200;
    brokerConfig.offlineAfterMs = 1000;
    Broker broker(brokerConfig);
    REQUIRE(broker.start().ok());
    SimDriverProcess driver(broker, 200);
    REQUIRE(waitUntil([&] { return brokerSaysOnline(broker, true); }, 20000));

    driver.process->signal(SIGSTOP);
    REQUIRE(waitUntil([&] { return brokerSaysOnline(broker, false); }, 20000));
    CHECK(logs.contains("driver 'sim-1' silent for 1000 ms"));
    CHECK_FALSE(logs.contains("'sim-1' heard again"));
    driver.process->signal(SIGCONT);
    REQUIRE(waitUntil([&] { return brokerSaysOnline(broker, true); }, 20000));
    // The operator reads both halves in the log, not only that it went away.
    REQUIRE(waitUntil([&] { return logs.contains("driver 'sim-1' heard again; its devices are back online"); }, 5000));
}
