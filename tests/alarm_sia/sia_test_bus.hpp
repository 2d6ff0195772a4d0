// The end-to-end rig of the sia driver tests: a stand-alone broker (ccoc-bus broker), ccoc-driverd
// running sia.so with the test's settings (and environment), a console that receives the alarm
// events and mirrors state, and checks of the receiver's answer frames. Header-only, shared by
// the plain and the encrypted DC-09 end-to-end tests.
#pragma once

#include <catch2/catch.hpp>

#include "child_process.hpp"
#include "sia_test_panel.hpp"

#include "ccoc/bus/client.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ccoc::siatest {

using namespace std::chrono_literals;
using Json = nlohmann::json;
using ccoc::test::ChildProcess;


inline const std::string kBusTool = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-bus";
inline const std::string kDriverd = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-driverd";
inline const std::string kSiaDriver = std::string(CCOC_PLUGIN_DIR) + "/sia.so";
inline const std::string kSite = std::string(CCOC_SOURCE_DIR) + "/tests/alarm_sia/data/sia_site.toml";

// Alarm events received by a bus client, in arrival order.
class EventLog {
public:
    void add(const ccoc::bus::Message& message)
    {
        std::lock_guard lock(mutex_);
        events_.push_back({message.path, Json::parse(message.payload), message.reliable});
        changed_.notify_all();
    }
    struct Entry {
        std::string path;
        Json payload;
        bool reliable = false;
    };
    // Waits until at least `count` events came; returns them all.
    std::vector<Entry> waitFor(size_t count, std::chrono::milliseconds timeout = 10s)
    {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return events_.size() >= count; });
        return events_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Entry> events_;
};

// A private bus (stand-alone broker), the sia driver in ccoc-driverd, and a console that
// receives event/... and mirrors state.
struct SiaBus {
    ccoc::test::TempDir dir{"ccoc-sia"};
    std::string frontend = "ipc://" + dir + "/frontend";
    std::string publisher = "ipc://" + dir + "/publisher";
    ChildProcess broker{{kBusTool, "broker", "--config", kSite, "--frontend", frontend, "--publisher", publisher}};
    std::unique_ptr<ChildProcess> driver;
    std::unique_ptr<ccoc::bus::Client> console;
    EventLog events;
    int port = 0;

    // `extraSettings`: more --set KEY=VALUE for the driver; `env`: added to the driver's environment.
    explicit SiaBus(std::vector<std::string> extraSettings = {}, std::map<std::string, std::string> env = {})
    {
        REQUIRE(broker.waitForOutput("broker of SIA-TEST running", 10s));
        ccoc::bus::ClientConfig config;
        config.sourceId = "sia-test-console";
        config.role = ccoc::bus::Role::Console;
        config.frontendEndpoint = frontend;
        config.publisherEndpoint = publisher;
        config.mirrorState = true;
        config.receiveReliableEvents = true;
        console = std::make_unique<ccoc::bus::Client>(config);
        REQUIRE(console->start().ok());
        REQUIRE(console->waitReady(10000));
        REQUIRE(console->subscribe("event", [this](const ccoc::bus::Message& m) { events.add(m); }) != 0);
        REQUIRE(console->waitSubscribed(10000));

        std::vector<std::string> argv{kDriverd, "--id", "sia-1", "--plugin", kSiaDriver, "--frontend", frontend,
                                      "--publisher", publisher, "--set", "listen=127.0.0.1", "--set", "port=0",
                                      "--set", "accounts=1234=panel-bank,AAA=panel-shop"};
        for (const auto& setting : extraSettings) {
            argv.insert(argv.end(), {"--set", setting});
        }
        driver = std::make_unique<ChildProcess>(argv, env);
        INFO(driver->output());
        REQUIRE(driver->waitForOutput("SIA DC-09 receiver listening", 10s));
        // The port is published in the receiver's state.
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (port == 0 && std::chrono::steady_clock::now() < deadline) {
            if (auto entry = console->state("sia-receiver/receiver")) {
                port = Json::parse(entry->value).value("port", 0);
            } else {
                std::this_thread::sleep_for(20ms); // polling the local mirror, bounded by the deadline
            }
        }
        REQUIRE(port > 0);
        CHECK(driver->output().find("port " + std::to_string(port)) != std::string::npos);
    }

    // Stops ccoc-driverd with SIGTERM; 0 when it stopped cleanly (under a sanitizer: no report).
    int stopDriver()
    {
        const int code = driver->stop();
        INFO(driver->output());
        CHECK(driver->output().find("Sanitizer") == std::string::npos);
        return code;
    }

    Json state(const std::string& path, const std::function<bool(const Json&)>& accept)
    {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline) {
            if (auto entry = console->state(path)) {
                Json value = Json::parse(entry->value);
                if (accept(value)) {
                    return value;
                }
            }
            std::this_thread::sleep_for(20ms); // polling the local mirror, bounded by the deadline
        }
        FAIL("state " << path << " never became what was expected");
        return {};
    }
};

// Checks an answer frame: LF, its own CRC and length, CR; returns the body.
inline std::string checkedBody(const std::optional<std::string>& answer)
{
    REQUIRE(answer.has_value());
    const std::string& frame = *answer;
    INFO("answer: " << frame);
    REQUIRE(frame.size() > 10);
    REQUIRE(frame.front() == '\n');
    REQUIRE(frame.back() == '\r');
    const std::string body = frame.substr(9, frame.size() - 10);
    char crc[8];
    std::snprintf(crc, sizeof crc, "%04X", ccoc::sia::crc16Arc(body));
    CHECK(frame.substr(1, 4) == crc);
    CHECK(frame[5] == '0');
    CHECK(std::stoi(frame.substr(6, 3), nullptr, 16) == static_cast<int>(body.size()));
    return body;
}

// A NAK carries the receiver's time, within a few seconds of ours.
inline void checkNak(const std::optional<std::string>& answer)
{
    const std::string body = checkedBody(answer);
    REQUIRE(body.rfind("\"NAK\"0000R0L0A0[]_", 0) == 0);
    const auto stamp = ccoc::sia::parseTimestamp(body.substr(18));
    REQUIRE(stamp.has_value());
    CHECK(std::abs(*stamp - ccoc::siatest::nowUnix()) <= 5);
}


} // namespace ccoc::siatest
