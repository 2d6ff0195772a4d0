// The burst: N alarms a second for S seconds from a driver, through the real broker (journal on
// disk) into the real alarm service (its journal on disk) in its own process, as sites run it
// (ccoc-serviced with the alarm service plugin), and a desk that counts what it sees.
// Baseline side by side: the same events through the same broker to a plain subscriber, with no
// alarm service (what the bus alone costs). Then: lost (sent minus stored once in the service's
// journal), the journal's write rate and size, and latency from the driver's send to the desk
// seeing the alarm's record.
#include "alarm_bench.hpp"

#include "child_process.hpp"

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/client.hpp"
#include "ccoc/site.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

namespace ccoc::bench {
namespace {

namespace fs = std::filesystem;

// The alarm service's site: its [[service]] entry, its journal, and the bench's broker.
std::string siteText(const bus::Broker& broker)
{
    return "[site]\nname = \"สถานีทดสอบ\"\nname_en = \"Bench station\"\nstation_code = \"BENCH-1\"\n\n"
           "[[screen]]\nid = \"desk\"\n\n[[service]]\nid = \"alarms\"\nplugin = \"alarms\"\n\n"
           "[alarms]\njournal = \"alarms.sqlite\"\n\n[bus]\nbroker = \"external\"\nfrontend = \"" +
           broker.frontendEndpoint() + "\"\npublisher = \"" + broker.publisherEndpoint() + "\"\n";
}

int64_t countRows(const std::string& path, const char* sql)
{
    sqlite3* db = nullptr;
    int64_t count = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK && sqlite3_step(statement) == SQLITE_ROW) {
            count = sqlite3_column_int64(statement, 0);
        }
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return count;
}

uint64_t fileBytes(const fs::path& path)
{
    uint64_t total = 0;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code error;
        const auto size = fs::file_size(path.string() + suffix, error);
        total += error ? 0 : size;
    }
    return total;
}

struct Paced {
    std::vector<double> latencyMs; // per alarm, send to seen
    uint64_t sent = 0;
    uint64_t seen = 0;
    double sendSeconds = 0;
    double drainSeconds = 0; // after the last send until the last one was seen
};

// Sends `rate` reliable alarm events a second for `seconds`, each a new alarm (its own point),
// and waits until `seenCount()` has them all or `drainLimit` passes.
Paced sendPaced(bus::Client& driver, int rate, double seconds, std::map<std::string, int64_t>& sentAt, std::mutex& mutex,
                const std::function<uint64_t()>& seenCount, const std::function<std::vector<double>()>& latencies)
{
    Paced result;
    const auto start = Clock::now();
    const uint64_t total = static_cast<uint64_t>(rate * seconds);
    bus::PublishOptions reliable;
    reliable.reliable = true;
    for (uint64_t n = 0; n < total; ++n) {
        const auto due = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(double(n) / rate));
        std::this_thread::sleep_until(due);
        const std::string point = std::to_string(n);
        const std::string device = "burst-" + std::to_string(n % 50);
        {
            std::lock_guard lock(mutex);
            sentAt[device + "/" + point] = wallUs();
        }
        const std::string json = "{\"type\":\"intrusion\",\"active\":true,\"point\":\"" + point +
                                 "\",\"event_id\":\"bench:" + point + "\",\"text\":\"burst " + point + "\"}";
        if (driver.publishEvent(device + "/alarm", json, reliable).ok()) {
            ++result.sent;
        }
    }
    result.sendSeconds = secondsSince(start);
    const auto drainStart = Clock::now();
    while (seenCount() < result.sent && secondsSince(drainStart) < 120.0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    result.drainSeconds = secondsSince(drainStart);
    result.seen = seenCount();
    result.latencyMs = latencies();
    return result;
}

std::vector<std::string> burstDevices()
{
    std::vector<std::string> devices;
    for (int i = 0; i < 50; ++i) {
        devices.push_back("burst-" + std::to_string(i));
    }
    return devices;
}

} // namespace

int runBurst(int rate, double seconds, const std::string& binDir)
{
    const fs::path dir = makeBenchDir("burst");
    std::printf("\nburst: %d alarms/s for %.0f s (each a new alarm), broker and alarm service journals on disk (removed after)\n",
                rate, seconds);

    // --- baseline: the bus alone (broker journal, a plain subscriber) ---
    Paced baseline;
    {
        bus::BrokerConfig brokerConfig = benchBrokerConfig(dir, "base");
        brokerConfig.journalPath = (dir / "base-bus.sqlite").string();
        bus::Broker broker(brokerConfig);
        if (!broker.start().ok()) {
            std::fprintf(stderr, "bench_alarms: the baseline broker did not start\n");
            return 1;
        }
        std::mutex mutex;
        std::map<std::string, int64_t> sentAt;
        std::vector<double> latency;
        std::atomic<uint64_t> seen{0};
        bus::ClientConfig deskConfig = benchClientConfig(broker, "desk-1", bus::Role::Console);
        deskConfig.receiveReliableEvents = true;
        bus::Client desk(deskConfig);
        desk.subscribe("event", [&](const bus::Message& message) {
            const auto point = nlohmann::json::parse(message.payload, nullptr, false).value("point", "");
            std::lock_guard lock(mutex);
            auto found = sentAt.find(message.device + "/" + point);
            if (found != sentAt.end()) {
                latency.push_back(double(wallUs() - found->second) / 1000.0);
                ++seen;
            }
        });
        bus::ClientConfig driverConfig = benchClientConfig(broker, "burst-driver", bus::Role::Driver);
        driverConfig.devices = burstDevices();
        bus::Client driver(driverConfig);
        if (!desk.start().ok() || !driver.start().ok() || !desk.waitReady(5000) || !driver.waitReady(5000) ||
            !desk.waitSubscribed(5000)) {
            std::fprintf(stderr, "bench_alarms: the baseline clients did not connect\n");
            return 1;
        }
        baseline = sendPaced(driver, rate, seconds, sentAt, mutex, [&] { return seen.load(); }, [&] {
            std::lock_guard lock(mutex);
            return latency;
        });
    }

    // --- ours: the alarm service between the bus and the desk ---
    Paced ours;
    int64_t stored = -1;
    int64_t storedEvents = -1;
    uint64_t journalBytes = 0;
    {
        bus::BrokerConfig brokerConfig = benchBrokerConfig(dir, "ours");
        brokerConfig.journalPath = (dir / "ours-bus.sqlite").string();
        bus::Broker broker(brokerConfig);
        if (!broker.start().ok()) {
            std::fprintf(stderr, "bench_alarms: the broker did not start\n");
            return 1;
        }
        const std::string sitePath = (dir / "site.toml").string();
        {
            std::ofstream(sitePath) << siteText(broker);
        }
        const std::string journalPath = (dir / "alarms.sqlite").string();
        test::ChildProcess service({binDir + "/ccoc-serviced", "--id", "alarms", "--site", sitePath});
        // Up means: it knows where in the broker's journal it begins (its start mark came back).
        const auto upBy = Clock::now() + std::chrono::seconds(30);
        while (Clock::now() < upBy && countRows(journalPath, "SELECT COUNT(*) FROM cursor") != 1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (countRows(journalPath, "SELECT COUNT(*) FROM cursor") != 1) {
            std::fprintf(stderr, "bench_alarms: the alarm service did not start:\n%s\n", service.output().c_str());
            return 1;
        }
        std::mutex mutex;
        std::map<std::string, int64_t> sentAt;
        std::vector<double> latency;
        std::atomic<uint64_t> seen{0};
        // The desk watches the service's retained records, as every alarm panel does.
        bus::ClientConfig deskConfig = benchClientConfig(broker, "desk-1", bus::Role::Console);
        bus::Client desk(deskConfig);
        desk.subscribe("state/alarms/item", [&](const bus::Message& message) {
            if (message.removed) {
                return;
            }
            const auto record = nlohmann::json::parse(message.payload, nullptr, false);
            if (!record.is_object() || record.value("count", 0) != 1) {
                return;
            }
            std::lock_guard lock(mutex);
            auto found = sentAt.find(record.value("device", "") + "/" + record.value("point", ""));
            if (found != sentAt.end()) {
                latency.push_back(double(wallUs() - found->second) / 1000.0);
                sentAt.erase(found);
                ++seen;
            }
        });
        bus::ClientConfig driverConfig = benchClientConfig(broker, "burst-driver", bus::Role::Driver);
        driverConfig.devices = burstDevices();
        bus::Client driver(driverConfig);
        if (!desk.start().ok() || !driver.start().ok() || !desk.waitReady(5000) || !driver.waitReady(5000) ||
            !desk.waitSubscribed(5000)) {
            std::fprintf(stderr, "bench_alarms: the clients did not connect\n");
            return 1;
        }
        ours = sendPaced(driver, rate, seconds, sentAt, mutex, [&] { return seen.load(); }, [&] {
            std::lock_guard lock(mutex);
            return latency;
        });
        // Stored once each: wait for the service's journal to hold every event, then stop it.
        const auto until = Clock::now() + std::chrono::seconds(60);
        while (Clock::now() < until &&
               countRows(journalPath, "SELECT COUNT(*) FROM events WHERE event_id LIKE 'bench:%'") <
                   static_cast<int64_t>(ours.sent)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        (void)service.stop(std::chrono::seconds(30)); // SIGTERM: it drains its journal
        stored = countRows(journalPath, "SELECT COUNT(*) FROM alarms");
        storedEvents = countRows(journalPath, "SELECT COUNT(DISTINCT event_id) FROM events WHERE event_id LIKE 'bench:%'");
        journalBytes = fileBytes(journalPath);
    }

    const Percentiles b = percentiles(baseline.latencyMs);
    const Percentiles o = percentiles(ours.latencyMs);
    std::printf("  %-44s sent %7llu  seen %7llu  lost %llu   p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n",
                "baseline: bus only (broker journal)", (unsigned long long)baseline.sent,
                (unsigned long long)baseline.seen, (unsigned long long)(baseline.sent - baseline.seen), b.p50, b.p99, b.max);
    std::printf("  %-44s sent %7llu  seen %7llu  lost %llu   p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n",
                "ours: bus + alarm service process + journal", (unsigned long long)ours.sent, (unsigned long long)ours.seen,
                (unsigned long long)(ours.sent - ours.seen), o.p50, o.p99, o.max);
    const double storedRate = ours.sendSeconds + ours.drainSeconds > 0 ? double(storedEvents) / (ours.sendSeconds + ours.drainSeconds) : 0;
    std::printf("  journal: %lld alarms, %lld distinct events of %llu sent (lost %lld), %.0f alarms/s written, %.1f MiB "
                "(%.0f bytes per alarm)\n",
                (long long)stored, (long long)storedEvents, (unsigned long long)ours.sent,
                (long long)ours.sent - (long long)storedEvents, storedRate, double(journalBytes) / (1024.0 * 1024.0),
                stored > 0 ? double(journalBytes) / double(stored) : 0.0);
    std::printf("  ratio ours/baseline: p50 %.2f  p99 %.2f   (target: p99 <= 50 ms, zero lost)\n",
                b.p50 > 0 ? o.p50 / b.p50 : 0.0, b.p99 > 0 ? o.p99 / b.p99 : 0.0);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return ours.sent == static_cast<uint64_t>(storedEvents) ? 0 : 1;
}

} // namespace ccoc::bench
