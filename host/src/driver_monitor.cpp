// The monitor thread's work on the drivers and services (see bus_runtime.hpp): the supervisor's
// view published on the bus, the broker's view of each driver read back from its retained
// state/_bus/drivers/ID/, hung drivers killed, device-fault alarms for drivers that are down, and
// the status bar's health.
#include "bus_runtime.hpp"

#include "ccoc/i18n_format.hpp"
#include "log.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace ccoc::host {
namespace {

double monotonicSeconds()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string jsonString(std::string_view text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        if (static_cast<unsigned char>(c) >= 0x20) {
            out += c;
        }
    }
    return out + "\"";
}

int64_t wallClockUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// The broker's retained state/_bus/drivers/SRC/ (bus-protocol.md section 9), as far as the host
// needs it. Device ids are segment-safe, so they hold no escapes.
struct Presence {
    bool online = false;
    std::vector<std::string> devices;
    int64_t lastHeardUs = 0; // the broker's wall clock; 0 when not said
    std::string session;     // the driver process's bus session
};

Presence parsePresence(const std::string& json)
{
    Presence presence;
    presence.online = json.find("\"online\":true") != std::string::npos;
    if (const size_t heard = json.find("\"last_heard_us\":"); heard != std::string::npos) {
        presence.lastHeardUs = std::strtoll(json.c_str() + heard + 16, nullptr, 10);
    }
    if (const size_t at = json.find("\"session\":\""); at != std::string::npos) {
        const size_t end = json.find('"', at + 11);
        presence.session = json.substr(at + 11, end == std::string::npos ? 0 : end - at - 11);
    }
    const size_t list = json.find("\"devices\":[");
    if (list == std::string::npos) {
        return presence;
    }
    const size_t end = json.find(']', list);
    size_t at = json.find('"', list + 11);
    while (at != std::string::npos && at < end) {
        const size_t close = json.find('"', at + 1);
        if (close == std::string::npos || close > end) {
            break;
        }
        presence.devices.push_back(json.substr(at + 1, close - at - 1));
        at = json.find('"', close + 1);
    }
    return presence;
}

// What the documentation promises: a running driver the broker has not heard for this long is
// killed and restarted (configs/README.md, [[driver]]).
constexpr double kSilentKillSec = 5.0;
// A driver that has not said hello this long after its start is killed as hung.
constexpr double kJoinGraceSec = 10.0;

} // namespace

void BusRuntime::publishDriverStatus(const std::vector<DriverStatus>& status)
{
    const double now = monotonicSeconds();
    for (size_t i = 0; i < status.size() && i < watch_.size(); ++i) {
        const DriverStatus& s = status[i];
        std::string json = "{\"state\":" + jsonString(runStateName(s.state)) + ",\"pid\":" + std::to_string(s.pid) +
                           ",\"starts\":" + std::to_string(s.starts) + ",\"restarts\":" + std::to_string(s.restarts) +
                           ",\"recent_deaths\":" + std::to_string(s.recentDeaths) + ",\"last_exit\":" +
                           jsonString(s.lastExit);
        if (s.state == DriverRunState::Backoff || isDown(s.state)) {
            json += ",\"restart_in_ms\":" + std::to_string(static_cast<int64_t>(std::max(0.0, s.nextStartSec - now) * 1000));
        }
        json += "}";
        // restart_in_ms changes every time; publish a backoff once, when it begins.
        const std::string key = json.substr(0, json.find(",\"restart_in_ms\""));
        if (key == watch_[i].published) {
            continue;
        }
        watch_[i].published = key;
        bus::PublishOptions options;
        options.waitForRoom = false; // the main thread never waits; state is republished on reconnection
        const bus::Status published =
            client_->publishState(supervisorDevice_ + "/" + s.kind + "/" + s.id, json, options);
        if (!published.ok()) {
            Log::warn("bus", "cannot publish the status of " + s.kind + " " + s.id + ": " + published.error);
        }
    }
}

void BusRuntime::watchPresence(const std::vector<DriverStatus>& status)
{
    const double now = monotonicSeconds();
    const int64_t wallNow = wallClockUs();
    for (size_t i = 0; i < status.size() && i < watch_.size(); ++i) {
        const DriverStatus& s = status[i];
        DriverWatch& w = watch_[i];
        if (s.pid != w.pid) {
            w.pid = s.pid;
            w.runStartWallUs = wallNow - static_cast<int64_t>((now - s.runningSinceSec) * 1e6);
            if (!w.runSession.empty()) {
                w.previousSession = w.runSession;
            }
            w.runSession.clear();
            w.seenOnline = false;
            w.offlineSeenSec = 0;
        }
        if (s.pid <= 0) {
            continue;
        }
        const auto entry = client_->state("_bus/drivers/" + s.id);
        if (!entry) {
            continue;
        }
        // Only what the broker said about this run counts: the retained value may still be the
        // last word about the process before (its session), or be older than this run (a
        // broker's clock a little off from ours is allowed for).
        const Presence presence = parsePresence(entry->value);
        constexpr int64_t kClockSlackUs = 2'000'000;
        const bool thisRun = (w.previousSession.empty() || presence.session != w.previousSession) &&
                             entry->acquiredUs >= w.runStartWallUs - kClockSlackUs;
        if (!thisRun) {
            continue;
        }
        if (presence.online) {
            w.runSession = presence.session;
            w.seenOnline = true;
            w.offlineSeenSec = 0;
        } else if (w.seenOnline && w.offlineSeenSec == 0) {
            w.offlineSeenSec = now;
            // Silent since the broker last heard it. The embedded broker shares this clock; when
            // the broker does not say, it was silent offline_after_ms before it said offline.
            const double silentSec = presence.lastHeardUs > 0 ? (wallNow - presence.lastHeardUs) / 1e6
                                                              : site_.bus.offlineAfterMs / 1000.0;
            w.silentSinceSec = now - std::clamp(silentSec, 0.0, kSilentKillSec);
        }
    }
}

void BusRuntime::killSilentDrivers(const std::vector<DriverStatus>& status)
{
    if (!broker_) {
        return; // an external broker: its view of our drivers is not ours to act on
    }
    const double now = monotonicSeconds();
    for (size_t i = 0; i < status.size() && i < watch_.size(); ++i) {
        const DriverStatus& s = status[i];
        DriverWatch& w = watch_[i];
        if (s.state != DriverRunState::Running || s.pid != w.pid) {
            continue;
        }
        if (w.seenOnline && w.offlineSeenSec > 0 && now - w.silentSinceSec >= kSilentKillSec) {
            supervisor_->killHung(s.id, "the broker has not heard it for " +
                                            std::to_string(static_cast<int>(kSilentKillSec)) + " s");
            w.offlineSeenSec = -1; // once per run: it is reaped and restarted as any death
        } else if (!w.seenOnline && w.offlineSeenSec == 0 && now - s.runningSinceSec > kJoinGraceSec) {
            supervisor_->killHung(s.id, "it has not joined the bus within " +
                                            std::to_string(static_cast<int>(kJoinGraceSec)) + " s of its start");
            w.offlineSeenSec = -1;
        }
    }
}

void BusRuntime::raiseDownAlarms(const std::vector<DriverStatus>& status)
{
    const std::string& device = supervisorDevice_;
    for (size_t i = 0; i < status.size() && i < watch_.size(); ++i) {
        const DriverStatus& s = status[i];
        DriverWatch& w = watch_[i];
        const bool down = isDown(s.state);
        // Back to normal once the driver runs and the broker has heard it: a process that starts
        // and dies at once is still down.
        const bool back = s.state == DriverRunState::Running && w.seenOnline;
        if (down == w.alarmRaised || (!down && !back)) {
            continue;
        }
        if (down) {
            ++w.alarmCount;
        }
        std::string text = down ? s.kind + " " + s.id + " is down (" + std::string(runStateName(s.state)) +
                                      ", last exit: " + s.lastExit + "); the host tries it again after a cool-down"
                                : s.kind + " " + s.id + " runs again";
        std::string json = "{\"type\":\"device_fault\",\"active\":" + std::string(down ? "true" : "false") +
                           ",\"point\":" + jsonString(s.id) + ",\"event_id\":" +
                           jsonString(s.kind + ":" + client_->sessionId() + ":" + s.id + ":" +
                                      std::to_string(w.alarmCount) + (down ? ":down" : ":up")) +
                           ",\"text\":" + jsonString(text) + ",\"code\":" +
                           jsonString(down ? s.kind + " " + std::string(runStateName(s.state)) : s.kind + " running") + "}";
        bus::PublishOptions options;
        options.reliable = true; // journalled by the broker: the alarm service cannot miss it
        if (const bus::Status published = client_->publishEvent(device + "/alarm", json, options); !published.ok()) {
            // Tried again at the next round: w.alarmRaised still says what the bus has.
            Log::warn("bus", "cannot publish the device-fault alarm of " + s.kind + " " + s.id + ": " + published.error);
            continue;
        }
        w.alarmRaised = down;
        if (down) {
            Log::error(s.kind + "s", "device-fault alarm raised: " + text);
        } else {
            Log::info(s.kind + "s", "device-fault alarm restored: " + text);
        }
    }
}

namespace {

} // namespace

void BusRuntime::updateHealth(const std::vector<DriverStatus>& status)
{
    const bus::ClientStats stats = client_->stats();
    BusHealth health;
    size_t drivers = 0;
    size_t driversRunning = 0;
    size_t services = 0;
    size_t servicesRunning = 0;
    std::string trouble;
    std::string troubleShown;  // the same in the interface language
    for (const auto& s : status) {
        const bool isService = s.kind == "service";
        (isService ? services : drivers) += 1;
        if (s.state == DriverRunState::Running) {
            (isService ? servicesRunning : driversRunning) += 1;
        } else if (trouble.empty() && s.state != DriverRunState::Stopped) {
            trouble = s.kind + " " + s.id + " " + std::string(runStateName(s.state));
            troubleShown = i18n::format(isService ? tr("service %s %s") : tr("driver %s %s"), s.id.c_str(),
                                        i18n::processStateText(std::string(runStateName(s.state)).c_str()));
        }
    }
    // Every peer the broker tracks is under _bus/drivers/; the site file says which are services
    // (run = "remote" ones included, which only the broker's word shows here).
    const auto isServiceId = [this](const std::string& id) {
        const site::Service* service = site_.findService(id);
        return service != nullptr && service->enabled;
    };
    const auto kindOf = [&isServiceId](const std::string& id) { return std::string(isServiceId(id) ? "service" : "driver"); };
    // What the broker knows: a driver it calls offline, or whose devices it marks stale, is
    // named on the status bar even while its process runs (hung, stopped, or on another machine).
    if (trouble.empty()) {
        for (const auto& entry : client_->stateSnapshot("_bus/drivers/")) {
            const std::string id = entry.path.substr(std::string_view("_bus/drivers/").size());
            const Presence presence = parsePresence(entry.value);
            if (!presence.online) {
                trouble = kindOf(id) + " " + id + " offline";
                troubleShown = i18n::format(isServiceId(id) ? tr("service %s offline") : tr("driver %s offline"), id.c_str());
                break;
            }
            for (const auto& device : presence.devices) {
                const auto values = client_->stateSnapshot(device);
                const auto stale = std::find_if(values.begin(), values.end(), [](const bus::StateEntry& e) { return e.stale; });
                if (stale != values.end()) {
                    trouble = kindOf(id) + " " + id + ": " + stale->path + " stale";
                    troubleShown = i18n::format(isServiceId(id) ? tr("service %s: %s stale") : tr("driver %s: %s stale"),
                                                id.c_str(), stale->path.c_str());
                    break;
                }
            }
            if (!trouble.empty()) {
                break;
            }
        }
    }
    if (!stats.connected) {
        health = {"bus: not connected", tr("bus: not connected"), false};
    } else if (!trouble.empty()) {
        health = {"bus: " + trouble, i18n::format(tr("bus: %s"), troubleShown.c_str()), false};
    } else {
        std::string text = "bus: ok, " + std::to_string(driversRunning) + "/" + std::to_string(drivers) + " drivers";
        std::string shown = i18n::format(trn("bus: ok, %zu/%zu driver", "bus: ok, %zu/%zu drivers", drivers),
                                         driversRunning, drivers);
        if (services > 0) {
            text += ", " + std::to_string(servicesRunning) + "/" + std::to_string(services) + " services";
            shown += i18n::format(trn(", %zu/%zu service", ", %zu/%zu services", services), servicesRunning, services);
        }
        health = {std::move(text), std::move(shown), true};
    }
    std::lock_guard lock(healthMutex_);
    if (health.text != health_.text) {
        // The log says what the status bar says, when it changes: the operator's word for it later.
        if (health.healthy) {
            Log::info("bus", "status bar: " + health.text);
        } else {
            Log::warn("bus", "status bar: " + health.text);
        }
    }
    health_ = std::move(health);
}

} // namespace ccoc::host
