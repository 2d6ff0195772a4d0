// A driver that is down (crash-looping) is not given up on: the host raises a reliable
// device-fault alarm for it (sdk/docs/alarms.md), tries it again after the cool-down (doubling),
// and publishes the restore once it runs again.
#include <catch2/catch.hpp>

#include "driver_test_util.hpp"

#include <filesystem>
#include <fstream>
#include <mutex>
#include <vector>

using namespace ccoc::drivertest;

namespace {

// The alarm events the test console received, in order, with when they came.
struct AlarmEvents {
    std::mutex mutex;
    std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> received;

    void add(const std::string& payload)
    {
        std::lock_guard lock(mutex);
        received.emplace_back(std::chrono::steady_clock::now(), payload);
    }
    // Waits until `count` events have come; the last one's payload and time.
    std::optional<std::pair<std::chrono::steady_clock::time_point, std::string>> waitFor(size_t count,
                                                                                         std::chrono::milliseconds timeout)
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(mutex);
                if (received.size() >= count) {
                    return received[count - 1];
                }
            }
            std::this_thread::sleep_for(20ms); // polling what the I/O thread stored, bounded by the deadline
        }
        return std::nullopt;
    }
};

// A temporary folder removed at the end of the test, passed or not.
struct TempFolder {
    std::string path = ccoc::test::makeTempDir("ccoc-down");
    ~TempFolder()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

} // namespace

TEST_CASE("driver/down alarm: a crash-looping driver raises a device-fault alarm, is retried after the cool-down, "
          "and the alarm is restored when it runs")
{
    TempFolder folder;
    const std::string flag = folder.path + "/crash";
    std::ofstream(flag) << "crash\n";
    BusEndpoints bus;
    HeadlessHost host(kDataDir + "/flaky_site.toml", bus,
                      {{"CCOC_TEST_CRASH_FLAG", flag},
                       {"CCOC_TEST_DRIVERD", kDriverd},
                       {"CCOC_TEST_SIM", kSimDriver},
                       {"CCOC_TEST_SITE", kDataDir + "/flaky_site.toml"}});
    INFO(host.process.output());

    // A console that replays the broker's whole journal, so it sees an alarm sent before it joined.
    AlarmEvents events;
    ccoc::bus::ClientConfig config;
    config.sourceId = "test-alarms";
    config.frontendEndpoint = bus.frontend;
    config.publisherEndpoint = bus.publisher;
    config.receiveReliableEvents = true;
    config.mirrorState = true;
    config.eventCursorJournal = "another-journal";
    ccoc::bus::Client client(config);
    REQUIRE(client.subscribe("event/supervisor.TEST-4/alarm",
                             [&](const ccoc::bus::Message& m) { events.add(m.payload); }) != 0);
    REQUIRE(host.process.waitForOutput("driver sim-flaky started (process", 20s));
    REQUIRE(client.start().ok());

    // Two quick deaths: a crash loop, and the alarm with the driver's id and last exit.
    const auto raised = events.waitFor(1, 30s);
    REQUIRE(raised.has_value());
    CHECK(raised->second.find("\"type\":\"device_fault\"") != std::string::npos);
    CHECK(raised->second.find("\"active\":true") != std::string::npos);
    CHECK(raised->second.find("\"point\":\"sim-flaky\"") != std::string::npos);
    CHECK(raised->second.find("exit 3") != std::string::npos);
    CHECK(host.process.output().find("driver sim-flaky is down (exit 3); trying again in 2 s") != std::string::npos);
    // The host's embedded alarm service made it an alarm every desk sees.
    const auto openAlarm = [&](const std::string& also) {
        for (const auto& entry : client.stateSnapshot("alarms/item")) {
            if (entry.value.find("\"device\":\"supervisor.TEST-4\"") != std::string::npos &&
                entry.value.find("\"type\":\"device_fault\"") != std::string::npos &&
                entry.value.find("\"point\":\"sim-flaky\"") != std::string::npos &&
                entry.value.find(also) != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    const auto waitAlarm = [&](const std::string& also) {
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        while (!openAlarm(also) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(20ms); // polling the local mirror, bounded by the deadline
        }
        return openAlarm(also);
    };
    CHECK(waitAlarm("\"cleared\":false"));

    // Tried again after the 2 s cool-down: it dies at once (the window still holds two deaths),
    // so the next rest is doubled.
    REQUIRE(host.process.waitForOutput("driver sim-flaky started (process", 1s));
    REQUIRE(host.process.waitForOutput("start 3)", 15s));
    CHECK(host.process.waitForOutput("trying again in 4 s", 10s));
    CHECK(occurrences(host.process.output(), "driver sim-flaky started (process") == 3);

    // The cause goes away: the next try runs, the broker hears it, and the alarm is restored.
    std::filesystem::remove(flag);
    const auto restored = events.waitFor(2, 30s);
    REQUIRE(restored.has_value());
    CHECK(restored->second.find("\"active\":false") != std::string::npos);
    CHECK(restored->second.find("\"point\":\"sim-flaky\"") != std::string::npos);
    CHECK(host.process.output().find("start 4)") != std::string::npos);
    CHECK(waitAlarm("\"cleared\":true")); // the alarm stays for an operator to close, marked cleared
    CHECK(host.process.running());
    client.stop();
}
