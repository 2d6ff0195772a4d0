// Helpers for the alarm service tests: a site with devices, cameras, a camera wall and rules; a
// broker with a journal on private ipc:// endpoints; a driver that sends alarm events; an
// observer with a state mirror; calling the service's commands and waiting for the reply.
#pragma once

#include "bus_test_util.hpp"

#include "alarm_service.hpp"

#include "ccoc/alarm.hpp"
#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/client.hpp"
#include "ccoc/site.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ccoc::alarm_test {

using bus::test::TempDir;
using bus::test::waitUntil;

// The station of the tests, with "EXTRA" replaced by what a test adds ([alarms] keys, rules).
inline std::string siteText(const std::string& alarmsKeys, const std::string& rules) {
    return R"([site]
name = "สถานีตำรวจทดสอบ"
name_en = "Test Police Station"
station_code = "TST-0001"

[[screen]]
id = "main"

[[screen]]
id = "sup"

[[panel]]
id = "wall1"
type = "camera.wall"

[[layout]]
screen = "main"
  [[layout.region]]
  panel = "wall1"
  cell = [0, 0]

[[camera]]
id = "cam1"
name = "กล้องหน้า"
url = "rtsp://127.0.0.1:8554/cam1"

[[camera]]
id = "cam2"
name = "กล้องข้าง"
url = "rtsp://127.0.0.1:8554/cam2"

[[device]]
id = "door-front"
name = "ประตูหน้าสถานี"
name_en = "Station front door"
kind = "sensor"
zone = "front"
cameras = ["cam1", "cam2"]
position = [13.73, 100.542]
risk_point = "จุดเสี่ยง 1"
procedure = "ตรวจสอบกล้อง แล้วแจ้งสายตรวจ"

[[device]]
id = "panel-1"
name = "แผงกันขโมย"
kind = "alarm_panel"
zone = "back"
priority = 1

[alarms]
supervisor_screen = "sup"
)" + alarmsKeys + "\n" + rules;
}

// A site parsed as if written in `dir` (so a relative journal lands there).
inline site::Site loadSite(const TempDir& dir, const std::string& text) {
    site::LoadResult loaded = site::parseSite(text, (dir.path / "site.toml").string());
    for (const auto& error : loaded.errors) {
        UNSCOPED_INFO(error.format());
    }
    REQUIRE(loaded.ok());
    return std::move(*loaded.site);
}

// Log lines of the service (thread-safe).
struct ServiceLog {
    std::mutex mutex;
    std::vector<std::string> lines;
    std::vector<std::string> warnings; // the lines at Warning or Error
    alarm_service::LogSink sink() {
        return [this](alarm_service::LogLevel level, std::string_view line) {
            std::lock_guard lock(mutex);
            lines.emplace_back(line);
            if (level == alarm_service::LogLevel::Warning || level == alarm_service::LogLevel::Error) {
                warnings.emplace_back(line);
            }
        };
    }
    bool warned(std::string_view text) {
        std::lock_guard lock(mutex);
        for (const auto& line : warnings) {
            if (line.find(text) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
    bool contains(std::string_view text) {
        std::lock_guard lock(mutex);
        for (const auto& line : lines) {
            if (line.find(text) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
};

inline alarm_service::AlarmServiceConfig serviceConfig(const bus::Broker& broker, const site::Site& site,
                                                       ServiceLog* log = nullptr) {
    alarm_service::AlarmServiceConfig config;
    config.bus.frontendEndpoint = broker.frontendEndpoint();
    config.bus.publisherEndpoint = broker.publisherEndpoint();
    config.bus.heartbeatMs = 100;
    config.journalPath = site.alarms.journal;
    if (log != nullptr) {
        config.log = log->sink();
    } else {
        config.log = [](alarm_service::LogLevel, std::string_view) {};
    }
    return config;
}

// Sends alarm events as a driver would (reliable).
class AlarmDriver {
public:
    explicit AlarmDriver(const bus::Broker& broker) {
        bus::ClientConfig config = bus::test::testClientConfig(broker, "sim-1", bus::Role::Driver);
        config.devices = {"door-front", "panel-1"};
        client_ = std::make_unique<bus::Client>(config);
        REQUIRE(client_->start().ok());
        REQUIRE(client_->waitReady(5000));
    }
    void send(const std::string& device, const nlohmann::json& payload) {
        bus::PublishOptions reliable;
        reliable.reliable = true;
        REQUIRE(client_->publishEvent(device + "/alarm", payload.dump(), reliable).ok());
    }
    bool drained(int timeoutMs = 5000) {
        return waitUntil([&] { return client_->stats().pendingReliable == 0; }, timeoutMs);
    }
    bus::Client& client() { return *client_; }

private:
    std::unique_ptr<bus::Client> client_;
};

// The camera wall's bus peer: owns wall.wall1 and records every command it is sent.
class FakeWall {
public:
    explicit FakeWall(const bus::Broker& broker) {
        bus::ClientConfig config = bus::test::testClientConfig(broker, "wall-peer", bus::Role::Driver);
        config.devices = {"wall.wall1"};
        client_ = std::make_unique<bus::Client>(config);
        client_->serveCommands([this](const bus::IncomingCommand& command, bus::Responder responder) {
            {
                std::lock_guard lock(mutex_);
                received_.emplace_back(command.action, nlohmann::json::parse(command.argsJson));
            }
            responder.answer({bus::CommandStatus::Ok, "", "null"});
        });
        REQUIRE(client_->start().ok());
        REQUIRE(client_->waitReady(5000));
    }
    // (action, args) of each command so far, oldest first.
    std::vector<std::pair<std::string, nlohmann::json>> received() {
        std::lock_guard lock(mutex_);
        return received_;
    }
    bool waitForCommands(size_t count, int timeoutMs) {
        return waitUntil([&] { return received().size() >= count; }, timeoutMs);
    }

private:
    std::unique_ptr<bus::Client> client_;
    std::mutex mutex_;
    std::vector<std::pair<std::string, nlohmann::json>> received_;
};

// A console with a state mirror: what every desk's alarm panel sees.
class Observer {
public:
    explicit Observer(const bus::Broker& broker, const std::string& name = "desk-1") {
        bus::ClientConfig config = bus::test::testClientConfig(broker, name, bus::Role::Console);
        config.mirrorState = true;
        client_ = std::make_unique<bus::Client>(config);
        REQUIRE(client_->start().ok());
        REQUIRE(client_->waitReady(5000));
    }
    // Open alarm records as retained under state/alarms/item/.
    std::vector<alarm::AlarmRecord> items() const {
        std::vector<alarm::AlarmRecord> records;
        for (const bus::StateEntry& entry : client_->stateSnapshot("alarms/item")) {
            auto decoded = alarm::decodeRecord(entry.value);
            if (decoded.ok()) {
                records.push_back(std::move(*decoded.value));
            }
        }
        return records;
    }
    std::optional<alarm::AlarmRecord> item(const std::string& id) const {
        auto entry = client_->state("alarms/item/" + id);
        if (!entry) {
            return std::nullopt;
        }
        return alarm::decodeRecord(entry->value).value;
    }
    std::optional<alarm::AlarmSummary> summary() const {
        auto entry = client_->state("alarms/summary");
        if (!entry) {
            return std::nullopt;
        }
        return alarm::decodeSummary(entry->value).value;
    }
    // Sends a command to the service and waits for its one reply.
    bus::Reply call(const std::string& action, const nlohmann::json& args) {
        auto promise = std::make_shared<std::promise<bus::Reply>>();
        std::future<bus::Reply> future = promise->get_future();
        bus::Command command;
        command.device = "alarms";
        command.action = action;
        command.argsJson = args.dump();
        command.ttlMs = 5000;
        REQUIRE(client_->sendCommand(command, [promise](const bus::Reply& reply) { promise->set_value(reply); }).ok());
        REQUIRE(future.wait_for(std::chrono::seconds(8)) == std::future_status::ready);
        return future.get();
    }
    bus::Client& client() { return *client_; }

private:
    std::unique_ptr<bus::Client> client_;
};

// Waits until exactly `count` alarms are open in the observer's mirror.
inline std::vector<alarm::AlarmRecord> waitForItems(const Observer& observer, size_t count, int timeoutMs = 8000) {
    std::vector<alarm::AlarmRecord> items;
    waitUntil([&] {
        items = observer.items();
        return items.size() == count;
    }, timeoutMs);
    return items;
}

// One integer from an SQLite file (opened read-only next to the service's connection).
inline int64_t queryInt(const std::string& file, const std::string& sql) {
    sqlite3* db = nullptr;
    int64_t value = -1;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW) {
            value = sqlite3_column_int64(statement, 0);
        }
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return value;
}

inline bus::BrokerConfig brokerWithJournal(const TempDir& dir) {
    bus::BrokerConfig config = bus::test::testBrokerConfig(dir);
    config.journalPath = (dir.path / "bus-journal.sqlite").string();
    return config;
}

} // namespace ccoc::alarm_test
