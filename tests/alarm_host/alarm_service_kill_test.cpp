// The alarm service is its own process: SIGKILL it while the host renders headless. The host keeps
// drawing (its frames advance), its supervisor restarts the service, the open alarms come back
// from the service's journal, and no alarm sent before, during or after the kill is lost or
// stored twice.
#include <catch2/catch.hpp>

#include "driver_test_util.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <thread>

using namespace ccoc::drivertest;

namespace {

std::string writeSite(const std::string& dir)
{
    const std::string path = dir + "/site.toml";
    std::ofstream(path) << "[site]\nname = \"สถานีทดสอบ\"\nname_en = \"Test station\"\nstation_code = \"TST-8\"\n\n"
                           "[[screen]]\nid = \"desk\"\nx = 0\ny = 0\nwidth = 640\nheight = 480\n\n"
                           "[bus]\njournal = \"bus.sqlite\"\n\n"
                           "[alarms]\njournal = \"alarms.sqlite\"\n\n"
                           "[[service]]\nid = \"alarms\"\nplugin = \"alarms\"\nrestart_delay_ms = 200\n";
    return path;
}

bool waitUntilTrue(const std::function<bool()>& condition, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(20ms);
    }
    return condition();
}

int64_t count(const std::string& path, const char* sql)
{
    sqlite3* db = nullptr;
    int64_t n = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK && sqlite3_step(statement) == SQLITE_ROW) {
            n = sqlite3_column_int64(statement, 0);
        }
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return n;
}

// The supervisor's word on the service (state/supervisor.STATION/service/alarms/): its pid while
// it runs and how often it was started.
struct ServiceRun {
    long pid = 0;
    long starts = 0;
    std::string state;
};

ServiceRun serviceRun(ccoc::bus::Client& desk)
{
    ServiceRun run;
    const auto entry = desk.state("supervisor.TST-8/service/alarms");
    if (!entry) {
        return run;
    }
    const auto json = nlohmann::json::parse(entry->value, nullptr, false);
    if (json.is_object()) {
        run.pid = json.value("pid", 0L);
        run.starts = json.value("starts", 0L);
        run.state = json.value("state", "");
    }
    return run;
}

// Open alarms of the test's device on the desk's mirror, as the running service published them
// (not what the broker kept of the killed one, which it marks stale): point -> count.
std::map<std::string, int> openAlarms(ccoc::bus::Client& desk)
{
    std::map<std::string, int> counts;
    for (const auto& entry : desk.stateSnapshot("alarms/item")) {
        if (entry.stale) {
            continue;
        }
        const auto record = nlohmann::json::parse(entry.value, nullptr, false);
        if (record.is_object() && record.value("device", "") == "kill-door") {
            counts[record.value("point", "")] += record.value("count", 0);
        }
    }
    return counts;
}

} // namespace

TEST_CASE("alarm_host/service-sigkill: the wall keeps rendering, the service comes back with its alarms")
{
    BusEndpoints bus;
    const std::string site = writeSite(bus.dir);
    HeadlessHost host(site, bus);
    INFO(host.process.output());
    auto desk = mirrorClient(bus);
    REQUIRE(desk);
    REQUIRE(desk->waitReady(30000));

    ccoc::bus::ClientConfig config;
    config.sourceId = "kill-driver";
    config.role = ccoc::bus::Role::Driver;
    config.devices = {"kill-door"};
    config.frontendEndpoint = bus.frontend;
    config.publisherEndpoint = bus.publisher;
    ccoc::bus::Client driver(config);
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(30000));
    ccoc::bus::PublishOptions reliable;
    reliable.reliable = true;
    auto send = [&](int n) {
        const std::string json = "{\"type\":\"intrusion\",\"active\":true,\"point\":\"" + std::to_string(n) +
                                 "\",\"event_id\":\"svc-kill:" + std::to_string(n) + "\"}";
        return driver.publishEvent("kill-door/alarm", json, reliable).ok();
    };

    // The service joins in its own process some time after the host: alarms sent before its
    // first subscription ever are not its to replay, so wait until it keeps a cursor on the bus.
    REQUIRE(waitUntilTrue([&] { return count(bus.dir + "/alarms.sqlite", "SELECT COUNT(*) FROM cursor") == 1; }, 30s));

    // 100 alarms open before the kill, stored by the service in its own process.
    constexpr int kBefore = 100;
    constexpr int kTotal = 300;
    for (int n = 0; n < kBefore; ++n) {
        REQUIRE(send(n));
    }
    REQUIRE(waitUntilTrue([&] { return openAlarms(*desk).size() == static_cast<size_t>(kBefore); }, 60s));
    REQUIRE(waitUntilTrue([&] { return serviceRun(*desk).state == "running" && serviceRun(*desk).pid > 0; }, 30s));
    const ServiceRun first = serviceRun(*desk);
    REQUIRE(first.pid != host.process.pid());

    // Kill it in the middle of a burst.
    std::atomic<int> sent{kBefore};
    std::thread sender([&] {
        for (int n = kBefore; n < kTotal; ++n) {
            if (send(n)) {
                ++sent;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    REQUIRE(waitUntilTrue([&] { return sent >= kBefore + 40; }, 30s));
    const long framesAtKill = lastNumberAfter(host.process.output(), "frame ");
    REQUIRE(::kill(static_cast<pid_t>(first.pid), SIGKILL) == 0);
    const int sentAtKill = sent;

    // The supervisor saw it die and started it again; the host never stopped drawing.
    REQUIRE(waitUntilTrue([&] {
        const ServiceRun now = serviceRun(*desk);
        return now.state == "running" && now.pid > 0 && now.pid != first.pid;
    }, 30s));
    CHECK(serviceRun(*desk).starts == first.starts + 1);
    sender.join();
    CHECK(sentAtKill < kTotal); // the kill came in the middle of the burst
    REQUIRE(waitUntilTrue([&] { return driver.stats().pendingReliable == 0; }, 60s));
    CHECK(host.process.waitForOutput("service alarms died (signal 9", 10s));
    CHECK(waitUntilTrue([&] { return lastNumberAfter(host.process.output(), "frame ") >= framesAtKill + 100; }, 30s));
    CHECK_FALSE(host.process.wait(0ms).has_value()); // the host is still running

    // Every alarm, before, during and after the kill, is open once on the bus.
    std::map<std::string, int> counts;
    CHECK(waitUntilTrue([&] {
        counts = openAlarms(*desk);
        return counts.size() == static_cast<size_t>(kTotal);
    }, 60s));
    CHECK(counts.size() == static_cast<size_t>(kTotal));
    for (const auto& [point, times] : counts) {
        INFO("point " << point);
        CHECK(times == 1);
    }
    desk->stop();
    driver.stop();
    host.process.signal(SIGTERM);
    REQUIRE(host.process.wait(20s).has_value());

    // And the service's journal holds each event and each alarm once.
    const std::string journal = bus.dir + "/alarms.sqlite";
    CHECK(count(journal, "SELECT COUNT(*) FROM events WHERE event_id LIKE 'svc-kill:%'") == kTotal);
    CHECK(count(journal, "SELECT COUNT(DISTINCT event_id) FROM events WHERE event_id LIKE 'svc-kill:%'") == kTotal);
    CHECK(count(journal, "SELECT COUNT(*) FROM alarms WHERE device = 'kill-door'") == kTotal);
}
