// Alarm to screen: a driver sends an alarm into a real ccoc-host (embedded broker, the alarm
// service in its own supervised process with its journal on disk, the alarm.list panel on a
// screen of a private Xvfb, Mesa OpenGL), and the time is taken when the panel first draws that alarm in a frame (the panel
// logs it with CCOC_ALARM_TRACE=1). Baseline side by side, from the same sends: the moment the
// service's record of the alarm reaches a bus client (bus + service, no screen).
#include "alarm_bench.hpp"

#include "child_process.hpp"
#include "xvfb_server.hpp"

#include <nlohmann/json.hpp>


#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

namespace ccoc::bench {
namespace {

namespace fs = std::filesystem;

// The complete lines a child printed since the last call.
class NewLines {
public:
    explicit NewLines(const test::ChildProcess& process) : process_(process) {}
    std::vector<std::string> take()
    {
        const std::string all = process_.output();
        std::vector<std::string> lines;
        for (size_t nl = all.find('\n', offset_); nl != std::string::npos; nl = all.find('\n', offset_)) {
            lines.push_back(all.substr(offset_, nl - offset_));
            offset_ = nl + 1;
        }
        return lines;
    }

private:
    const test::ChildProcess& process_;
    size_t offset_ = 0;
};

std::string siteText(const fs::path& dir)
{
    const std::string frontend = "ipc://" + (dir / "frontend").string();
    const std::string publisher = "ipc://" + (dir / "publisher").string();
    return "[site]\nname = \"สถานีทดสอบ\"\nname_en = \"Bench station\"\nstation_code = \"BENCH-2\"\n\n"
           "[ui]\nlanguage = \"en\"\n\n"
           "[[screen]]\nid = \"desk\"\nx = 0\ny = 0\nwidth = 1280\nheight = 720\n\n"
           "[[panel]]\nid = \"alarms\"\ntype = \"alarm.list\"\n\n"
           "[[layout]]\nscreen = \"desk\"\n  [[layout.region]]\n  panel = \"alarms\"\n  cell = [0, 0]\n\n"
           "[[plugin]]\nid = \"alarms\"\n\n"
           "[bus]\nfrontend = \"" + frontend + "\"\npublisher = \"" + publisher + "\"\njournal = \"bus.sqlite\"\n\n"
           "[[service]]\nid = \"alarms\"\nplugin = \"alarms\"\n\n[alarms]\njournal = \"alarms.sqlite\"\n";
}

// "... first drawn A-... event_id=bench-screen:N at_us=T" -> (N, T)
bool parseDrawn(const std::string& line, std::string& eventId, int64_t& atUs)
{
    const size_t marker = line.find("first drawn ");
    const size_t idAt = line.find("event_id=");
    const size_t atAt = line.find("at_us=");
    if (marker == std::string::npos || idAt == std::string::npos || atAt == std::string::npos) {
        return false;
    }
    const size_t idEnd = line.find(' ', idAt);
    eventId = line.substr(idAt + 9, idEnd == std::string::npos ? std::string::npos : idEnd - idAt - 9);
    atUs = std::atoll(line.c_str() + atAt + 6);
    return true;
}

} // namespace

int runScreen(int alarms, const std::string& binDir)
{
    const fs::path dir = makeBenchDir("screen");
    {
        std::ofstream(dir / "site.toml") << siteText(dir);
    }
    std::printf("alarm to screen: %d alarms, one every 50-150 ms, into ccoc-host on Xvfb (Mesa), 60 fps cap\n", alarms);
    // The tests' own Xvfb and child process helpers (tests/support): a private display, the
    // host's output captured.
    std::unique_ptr<test::XvfbServer> xvfb;
    try {
        xvfb = std::make_unique<test::XvfbServer>(1280, 720);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_alarms: %s\n", error.what());
        return 1;
    }
    test::ChildProcess host({binDir + "/ccoc-host", "--config", (dir / "site.toml").string(), "--frames", "1000000"},
                            {{"DISPLAY", xvfb->display()}, {"CCOC_HEADLESS_FPS", "60"}, {"CCOC_ALARM_TRACE", "1"}});
    NewLines hostLines(host);
    bus::ClientConfig config;
    config.sourceId = "bench-driver";
    config.role = bus::Role::Driver;
    config.devices = {"bench-door"};
    config.frontendEndpoint = "ipc://" + (dir / "frontend").string();
    config.publisherEndpoint = "ipc://" + (dir / "publisher").string();
    bus::Client driver(config);
    std::mutex mutex;
    std::map<std::string, int64_t> sentAt;  // event id -> wall time of the send
    std::map<std::string, double> busMs;    // event id -> record seen on the bus
    driver.subscribe("state/alarms/item", [&](const bus::Message& message) {
        const auto record = nlohmann::json::parse(message.payload, nullptr, false);
        if (message.removed || !record.is_object()) {
            return;
        }
        const std::string eventId = record.value("event_id", "");
        const int64_t now = wallUs();
        std::lock_guard lock(mutex);
        auto found = sentAt.find(eventId);
        if (found != sentAt.end() && busMs.count(eventId) == 0) {
            busMs[eventId] = double(now - found->second) / 1000.0;
        }
    });
    if (!driver.start().ok() || !driver.waitReady(60000) || !driver.waitSubscribed(10000)) {
        std::fprintf(stderr, "bench_alarms: the host's bus did not answer within 60 s; the host said:\n");
        std::fprintf(stderr, "%s\n", host.output().c_str());
        return 1;
    }
    std::map<std::string, double> screenMs;
    auto readHost = [&](int ms) {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms)); // the host writes to a file: poll it
        for (const auto& line : hostLines.take()) {
            std::string eventId;
            int64_t atUs = 0;
            if (parseDrawn(line, eventId, atUs)) {
                std::lock_guard lock(mutex);
                auto found = sentAt.find(eventId);
                if (found != sentAt.end()) {
                    screenMs[eventId] = double(atUs - found->second) / 1000.0;
                }
            } else if (line.find("error") != std::string::npos || line.find("refus") != std::string::npos) {
                std::fprintf(stderr, "  host: %s\n", line.c_str());
            }
        }
    };
    auto send = [&](int n) {
        const std::string eventId = "bench-screen:" + std::to_string(n);
        {
            std::lock_guard lock(mutex);
            sentAt[eventId] = wallUs();
        }
        bus::PublishOptions reliable;
        reliable.reliable = true;
        (void)driver.publishEvent("bench-door/alarm",
                                  "{\"type\":\"door\",\"active\":true,\"point\":\"" + std::to_string(n) +
                                      "\",\"event_id\":\"" + eventId + "\",\"text\":\"bench " + std::to_string(n) + "\"}",
                                  reliable);
        return eventId;
    };
    // Warm-up: the first alarm waits for the panel's first frames.
    const std::string first = send(-1);
    const auto warmStart = Clock::now();
    while (secondsSince(warmStart) < 60.0) {
        readHost(50);
        std::lock_guard lock(mutex);
        if (screenMs.count(first) != 0) {
            break;
        }
    }
    {
        std::lock_guard lock(mutex);
        if (screenMs.count(first) == 0) {
            std::fprintf(stderr, "bench_alarms: the host never drew the first alarm (is the alarm.list panel built?)\n");
            return 1;
        }
        screenMs.clear();
        busMs.clear();
    }
    std::mt19937 random(7);
    std::uniform_int_distribution<int> gapMs(50, 150);
    for (int n = 0; n < alarms; ++n) {
        send(n);
        const auto until = Clock::now() + std::chrono::milliseconds(gapMs(random));
        while (Clock::now() < until) {
            readHost(20); // the times come from the host's own log lines: polling late costs nothing
        }
    }
    const auto drain = Clock::now();
    while (secondsSince(drain) < 10.0) {
        readHost(50);
        std::lock_guard lock(mutex);
        if (screenMs.size() >= static_cast<size_t>(alarms)) {
            break;
        }
    }
    std::vector<double> screen;
    std::vector<double> bus;
    {
        std::lock_guard lock(mutex);
        for (const auto& [id, ms] : screenMs) {
            screen.push_back(ms);
        }
        for (const auto& [id, ms] : busMs) {
            bus.push_back(ms);
        }
    }
    const Percentiles s = percentiles(screen);
    const Percentiles b = percentiles(bus);
    std::printf("  %-44s %4zu of %d   p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n", "baseline: record on the bus (no screen)",
                b.count, alarms, b.p50, b.p99, b.max);
    std::printf("  %-44s %4zu of %d   p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n", "ours: first frame that draws it",
                s.count, alarms, s.p50, s.p99, s.max);
    std::printf("  ratio screen/bus: p50 %.2f  p99 %.2f   (target: p99 <= 50 ms to the screen)\n",
                b.p50 > 0 ? s.p50 / b.p50 : 0.0, b.p99 > 0 ? s.p99 / b.p99 : 0.0);
    driver.stop();
    host.stop();
    xvfb.reset();
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return s.count == static_cast<size_t>(alarms) ? 0 : 1;
}

} // namespace ccoc::bench
