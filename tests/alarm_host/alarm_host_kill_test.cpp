// The host is killed (SIGKILL) in the middle of a burst of alarms and started again on the same
// site: every alarm the driver sent is there exactly once, on the bus and in the journal.
#include <catch2/catch.hpp>

#include "driver_test_util.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <thread>

using namespace ccoc::drivertest;

namespace {

std::string writeSite(const std::string& dir)
{
    const std::string path = dir + "/site.toml";
    std::ofstream(path) << "[site]\nname = \"สถานีทดสอบ\"\nname_en = \"Test station\"\nstation_code = \"TST-9\"\n\n"
                           "[[screen]]\nid = \"desk\"\nx = 0\ny = 0\nwidth = 640\nheight = 480\n\n"
                           "[bus]\njournal = \"bus.sqlite\"\n\n"
                           "[alarms]\nservice = \"embedded\"\njournal = \"alarms.sqlite\"\n";
    return path;
}

// Polls `condition` (a local mirror or counter) until it holds or the timeout passes.
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

} // namespace

TEST_CASE("alarm_host/sigkill-mid-burst: every alarm is there exactly once after the restart")
{
    BusEndpoints bus;
    const std::string site = writeSite(bus.dir);
    auto host = std::make_unique<HeadlessHost>(site, bus);
    INFO(host->process.output());

    ccoc::bus::ClientConfig config;
    config.sourceId = "burst-driver";
    config.role = ccoc::bus::Role::Driver;
    config.devices = {"burst-door"};
    config.frontendEndpoint = bus.frontend;
    config.publisherEndpoint = bus.publisher;
    ccoc::bus::Client driver(config);
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(30000));
    // The alarm service runs in its own process, which the host starts beside its first frames:
    // up means it knows where in the broker's journal it begins (its start mark came back).
    REQUIRE(waitUntilTrue([&] { return count(bus.dir + "/alarms.sqlite", "SELECT COUNT(*) FROM cursor") == 1; }, 30s));

    constexpr int kAlarms = 600;
    constexpr int kKillAfter = 200;
    std::atomic<int> sent{0};
    std::thread sender([&] {
        ccoc::bus::PublishOptions reliable;
        reliable.reliable = true;
        for (int n = 0; n < kAlarms; ++n) {
            const std::string json = "{\"type\":\"intrusion\",\"active\":true,\"point\":\"" + std::to_string(n) +
                                     "\",\"event_id\":\"kill:" + std::to_string(n) + "\"}";
            if (driver.publishEvent("burst-door/alarm", json, reliable).ok()) {
                ++sent;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(3)); // a burst of about 300 alarms a second
        }
    });
    // Kill the host while alarms are in flight, then start it again on the same files.
    const auto killBy = std::chrono::steady_clock::now() + 30s;
    while (sent < kKillAfter && std::chrono::steady_clock::now() < killBy) {
        std::this_thread::sleep_for(1ms);
    }
    host->process.signal(SIGKILL);
    REQUIRE(host->process.wait(10s).has_value());
    const int sentAtKill = sent;
    const int64_t storedAtKill = count(bus.dir + "/alarms.sqlite", "SELECT COUNT(*) FROM events");
    host = std::make_unique<HeadlessHost>(site, bus);
    sender.join();
    REQUIRE(sent == kAlarms);
    CHECK(sentAtKill < kAlarms); // the kill really came in the middle
    INFO("sent before the kill: " << sentAtKill << ", stored by then: " << storedAtKill);
    CHECK(storedAtKill > 0); // the service was storing when it died
    REQUIRE(waitUntilTrue([&] { return driver.stats().pendingReliable == 0; }, 60s));

    // Every desk sees each alarm once, and once only.
    auto desk = mirrorClient(bus);
    REQUIRE(desk);
    REQUIRE(desk->waitReady(30000));
    std::map<std::string, int> counts;
    const bool all = waitUntilTrue([&] {
        counts.clear();
        for (const auto& entry : desk->stateSnapshot("alarms/item")) {
            const auto record = nlohmann::json::parse(entry.value, nullptr, false);
            if (record.is_object() && record.value("device", "") == "burst-door") {
                counts[record.value("point", "")] += record.value("count", 0);
            }
        }
        return counts.size() == static_cast<size_t>(kAlarms);
    }, 60s);
    INFO(host->process.output());
    CHECK(all);
    CHECK(counts.size() == static_cast<size_t>(kAlarms));
    for (const auto& [point, times] : counts) {
        INFO("point " << point);
        CHECK(times == 1);
    }
    host->process.signal(SIGTERM);
    REQUIRE(host->process.wait(20s).has_value());

    // And the journal holds each event and each alarm once.
    const std::string journal = bus.dir + "/alarms.sqlite";
    CHECK(count(journal, "SELECT COUNT(*) FROM events WHERE event_id LIKE 'kill:%'") == kAlarms);
    CHECK(count(journal, "SELECT COUNT(DISTINCT event_id) FROM events WHERE event_id LIKE 'kill:%'") == kAlarms);
    CHECK(count(journal, "SELECT COUNT(*) FROM alarms WHERE device = 'burst-door'") == kAlarms);
}
