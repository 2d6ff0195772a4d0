#include "bus_runtime.hpp"

#ifdef CCOC_HOST_ALARM_MODEL
#include "ccoc/alarm.hpp"
#endif

#include "log.hpp"
#include "start_checks.hpp"

#include <pthread.h>

#include <csignal>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

namespace ccoc::host {
namespace {

// The host's service, found by the static "ccoc.bus/1" functions (one host per process).
std::atomic<BusCService*> gHostService{nullptr};

double monotonicSeconds()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string envOr(const char* name, std::string fallback)
{
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
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

RestartPolicy policyOf(const std::string& name)
{
    if (name == "never") {
        return RestartPolicy::Never;
    }
    if (name == "on-failure") {
        return RestartPolicy::OnFailure;
    }
    return RestartPolicy::Always;
}

// A segment-safe device id for the host's own state ("supervisor.BKK-LPN").
std::string segmentOf(std::string_view text)
{
    std::string out;
    for (char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        out += ok ? c : '_';
    }
    return out.empty() ? "site" : out.substr(0, 40);
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
};

Presence parsePresence(const std::string& json)
{
    Presence presence;
    presence.online = json.find("\"online\":true") != std::string::npos;
    if (const size_t heard = json.find("\"last_heard_us\":"); heard != std::string::npos) {
        presence.lastHeardUs = std::strtoll(json.c_str() + heard + 16, nullptr, 10);
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

BusRuntime::BusRuntime(const site::Site& site, std::vector<std::string> pluginSearchPath, std::string executablePath)
    : site_(site), pluginSearchPath_(std::move(pluginSearchPath)), executablePath_(std::move(executablePath))
{
    // Endpoints from [bus] (its defaults are the protocol's); the environment may override them
    // (tests run hosts side by side on private endpoints).
    frontend_ = envOr("CCOC_BUS_FRONTEND", site_.bus.frontend);
    publisher_ = envOr("CCOC_BUS_PUBLISHER", site_.bus.publisher);
    sourceId_ = "host." + segmentOf(site_.info.stationCode);
    // With CURVE the host must use the name its key has in the allow-list.
    for (const auto& entry : site_.bus.allow) {
        if (site_.bus.curve && entry.publicKey == site_.bus.clientPublicKey) {
            sourceId_ = entry.name;
        }
    }
}

BusRuntime::~BusRuntime()
{
    stop();
}

bool BusRuntime::addDriverKeys(const site::Driver& driver, DriverLaunch& launch) const
{
    const std::optional<StartProblem> problem = checkDriverKeys(site_, driver, &launch.env);
    if (!problem) {
        return true;
    }
    if (problem->severity == Severity::Warning) {
        Log::warn("bus", problem->message);
        return true;
    }
    // ccoc-driverd would only be refused by the broker, again at every restart: say why once.
    Log::error("bus", problem->message);
    return false;
}

std::vector<DriverLaunch> BusRuntime::driverLaunches() const
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const std::string driverd = driverdPath(executablePath_);
    // Drivers run in the site file's folder, so relative paths in `command` read like the site's
    // other paths; the site file itself is handed over absolute.
    const fs::path siteFile = fs::absolute(fs::path(site_.sourceFile), ec);
    std::vector<DriverLaunch> launches;
    for (const auto& driver : site_.drivers) {
        if (!driver.enabled) {
            continue;
        }
        DriverLaunch launch;
        launch.id = driver.id;
        launch.restart = policyOf(driver.restart);
        launch.restartDelayMs = driver.restartDelayMs;
        launch.restartMaxDelayMs = driver.restartMaxDelayMs;
        launch.crashLimit = driver.crashLimit;
        launch.crashWindowSec = driver.crashWindowSec;
        launch.cooldownSec = driver.crashCooldownSec;
        launch.cooldownMaxSec = driver.crashCooldownMaxSec;
        launch.workingDirectory = siteFile.parent_path().string();
        launch.env = {{"CCOC_BUS_FRONTEND", frontend_},
                      {"CCOC_BUS_PUBLISHER", publisher_},
                      {"CCOC_DRIVER_ID", driver.id},
                      {"CCOC_DRIVER_SETTINGS", driver.settings.json}};
        if (!addDriverKeys(driver, launch)) {
            continue;
        }
        if (!driver.command.empty()) {
            launch.argv = driver.command;
        } else {
            const std::string plugin = findDriverPlugin(driver, pluginSearchPath_);
            if (plugin.empty()) {
                Log::error("bus", "[[driver]] " + driver.id + ": no " + driver.plugin +
                                      ".so on the plugin path; it is not started");
                continue;
            }
            launch.argv = {driverd, "--id", driver.id, "--plugin", plugin, "--site", siteFile.string()};
        }
        launches.push_back(std::move(launch));
    }
    return launches;
}

namespace {

// Blocks the stop signals in the calling thread while it lives, so the threads started meanwhile
// (broker, client, libzmq's I/O threads, supervisor) inherit a mask without them: SIGTERM then
// always reaches the main thread's handler and never interrupts a socket call with EINTR.
class StopSignalsBlocked {
public:
    StopSignalsBlocked()
    {
        sigset_t stops;
        sigemptyset(&stops);
        sigaddset(&stops, SIGINT);
        sigaddset(&stops, SIGTERM);
        sigaddset(&stops, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &stops, &previous_);
    }
    ~StopSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
    StopSignalsBlocked(const StopSignalsBlocked&) = delete;
    StopSignalsBlocked& operator=(const StopSignalsBlocked&) = delete;
    StopSignalsBlocked(StopSignalsBlocked&&) = delete;
    StopSignalsBlocked& operator=(StopSignalsBlocked&&) = delete;

private:
    sigset_t previous_{};
};

} // namespace

bool BusRuntime::start()
{
    const StopSignalsBlocked blocked;
    // The broker is embedded unless [bus] broker = "external" says another machine runs it.
    if (site_.bus.embeddedBroker) {
        bus::BrokerConfig config;
        if (bus::Status read = brokerConfigForSite(site_, config); !read.ok()) {
            Log::error("bus", read.error);
            std::lock_guard lock(healthMutex_);
            health_ = {"bus: broker settings unusable", false};
            return false;
        }
        config.frontendEndpoint = frontend_;
        config.publisherEndpoint = publisher_;
        config.log = [](bus::LogLevel level, std::string_view message) {
            const ccoc_log_level mapped = level == bus::LogLevel::Error     ? CCOC_LOG_ERROR
                                          : level == bus::LogLevel::Warning ? CCOC_LOG_WARNING
                                          : level == bus::LogLevel::Info    ? CCOC_LOG_INFO
                                                                            : CCOC_LOG_DEBUG;
            Log::write(mapped, "broker", message);
        };
        broker_ = std::make_unique<bus::Broker>(config);
        if (bus::Status started = broker_->start(); !started.ok()) {
            // Usually another host on this machine already runs a broker there: join its bus
            // rather than run without one (the status bar shows whether that worked).
            Log::warn("bus", "the embedded broker did not start (" + started.error + "); using a broker already at " +
                                 frontend_ + " if there is one");
            broker_.reset();
        } else {
            frontend_ = broker_->frontendEndpoint();
            publisher_ = broker_->publisherEndpoint();
            Log::info("bus", "broker at " + frontend_ + " (publisher " + publisher_ + ")");
        }
    }

    bus::ClientConfig config;
    if (bus::Status read = hostClientConfigForSite(site_, config); !read.ok()) {
        Log::error("bus", read.error);
        std::lock_guard lock(healthMutex_);
        health_ = {"bus: client settings unusable", false};
        return false;
    }
    config.sourceId = sourceId_;
    config.role = bus::Role::Console;
    config.frontendEndpoint = frontend_;
    config.publisherEndpoint = publisher_;
    config.mirrorState = true;
    config.callbacks = bus::ClientConfig::Callbacks::Queued;
    client_ = std::make_unique<bus::Client>(config);
    // Queued mode: callbacks already run on the main thread in pump(), so post runs them at once.
    service_ = std::make_unique<BusCService>(
        *client_, [](std::function<void()> fn) { fn(); }, [](const ccoc_host*) { return gHostService.load(); });
    // Plugins publish from the render thread, which must never wait on a full queue.
    service_->setWaitForRoom(false);
    gHostService.store(service_.get());
    if (bus::Status started = client_->start(); !started.ok()) {
        Log::error("bus", "the host's bus client did not start: " + started.error);
        std::lock_guard lock(healthMutex_);
        health_ = {"bus: client failed", false};
        return false;
    }

    std::vector<DriverLaunch> launches = driverLaunches();
    watch_.assign(launches.size(), DriverWatch{});
    supervisor_ = std::make_unique<DriverSupervisor>(std::move(launches), [](int level, const std::string& message) {
        Log::write(level == 0 ? CCOC_LOG_INFO : level == 1 ? CCOC_LOG_WARNING : CCOC_LOG_ERROR, "drivers", message);
    });
    supervisor_->start();
    monitorThread_ = std::thread([this] { monitor(); });
    return true;
}

void BusRuntime::stop()
{
    {
        std::lock_guard lock(monitorMutex_);
        monitorStop_ = true;
    }
    monitorWake_.notify_all();
    if (monitorThread_.joinable()) {
        monitorThread_.join();
    }
    if (supervisor_) {
        supervisor_->stop();
        supervisor_.reset();
    }
    // The client first: no callback can reach the service once its I/O thread has ended.
    if (client_) {
        client_->stop();
    }
    gHostService.store(nullptr);
    service_.reset();
    client_.reset();
    if (broker_) {
        broker_->stop();
        broker_.reset();
    }
}

void BusRuntime::pump(size_t maxCallbacks)
{
    if (client_) {
        client_->dispatch(maxCallbacks);
    }
}

const void* BusRuntime::service() const noexcept
{
    return service_ ? BusCService::table() : nullptr;
}

std::vector<DriverStatus> BusRuntime::driverStatus() const
{
    return supervisor_ ? supervisor_->status() : std::vector<DriverStatus>{};
}

bool BusRuntime::restartDriver(std::string_view id, const std::string& who)
{
    return supervisor_ && supervisor_->restartNow(id, who);
}

BusHealth BusRuntime::health() const
{
    std::lock_guard lock(healthMutex_);
    return health_;
}

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
            client_->publishState("supervisor." + segmentOf(site_.info.stationCode) + "/driver/" + s.id, json, options);
        if (!published.ok()) {
            Log::warn("bus", "cannot publish the status of driver " + s.id + ": " + published.error);
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
            w.seenOnline = false;
            w.offlineSeenSec = 0;
        }
        if (s.pid <= 0) {
            continue;
        }
        const auto entry = client_->state("_bus/drivers/" + s.id);
        // Only what the broker said during this run counts: the retained value may still be the
        // last word about the process before.
        if (!entry || entry->acquiredUs < w.runStartWallUs) {
            continue;
        }
        const Presence presence = parsePresence(entry->value);
        if (presence.online) {
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
    const std::string device = "supervisor." + segmentOf(site_.info.stationCode);
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
        std::string text = down ? "driver " + s.id + " is down (" + std::string(runStateName(s.state)) +
                                      ", last exit: " + s.lastExit + "); the host tries it again after a cool-down"
                                : "driver " + s.id + " runs again";
        std::string json = "{\"type\":\"device_fault\",\"active\":" + std::string(down ? "true" : "false") +
                           ",\"point\":" + jsonString(s.id) + ",\"event_id\":" +
                           jsonString("driver:" + client_->sessionId() + ":" + s.id + ":" +
                                      std::to_string(w.alarmCount) + (down ? ":down" : ":up")) +
                           ",\"text\":" + jsonString(text) + ",\"code\":" +
                           jsonString(down ? "driver " + std::string(runStateName(s.state)) : "driver running") + "}";
        bus::PublishOptions options;
        options.reliable = true; // journalled by the broker: the alarm service cannot miss it
        if (const bus::Status published = client_->publishEvent(device + "/alarm", json, options); !published.ok()) {
            // Tried again at the next round: w.alarmRaised still says what the bus has.
            Log::warn("bus", "cannot publish the device-fault alarm of driver " + s.id + ": " + published.error);
            continue;
        }
        w.alarmRaised = down;
        if (down) {
            Log::error("drivers", "device-fault alarm raised: " + text);
        } else {
            Log::info("drivers", "device-fault alarm restored: " + text);
        }
    }
}

void BusRuntime::updateHealth(const std::vector<DriverStatus>& status)
{
    const bus::ClientStats stats = client_->stats();
    BusHealth health;
    size_t running = 0;
    std::string trouble;
    for (const auto& s : status) {
        if (s.state == DriverRunState::Running) {
            ++running;
        } else if (trouble.empty() && s.state != DriverRunState::Stopped) {
            trouble = "driver " + s.id + " " + std::string(runStateName(s.state));
        }
    }
    // What the broker knows: a driver it calls offline, or whose devices it marks stale, is
    // named on the status bar even while its process runs (hung, stopped, or on another machine).
    if (trouble.empty()) {
        for (const auto& entry : client_->stateSnapshot("_bus/drivers/")) {
            const std::string id = entry.path.substr(std::string_view("_bus/drivers/").size());
            const Presence presence = parsePresence(entry.value);
            if (!presence.online) {
                trouble = "driver " + id + " offline";
                break;
            }
            for (const auto& device : presence.devices) {
                const auto values = client_->stateSnapshot(device);
                const auto stale = std::find_if(values.begin(), values.end(), [](const bus::StateEntry& e) { return e.stale; });
                if (stale != values.end()) {
                    trouble = "driver " + id + ": " + stale->path + " stale";
                    break;
                }
            }
            if (!trouble.empty()) {
                break;
            }
        }
    }
    if (!stats.connected) {
        health = {"bus: not connected", false};
    } else if (!trouble.empty()) {
        health = {"bus: " + trouble, false};
    } else {
        health = {"bus: ok, " + std::to_string(running) + "/" + std::to_string(status.size()) + " drivers", true};
    }
#ifdef CCOC_HOST_ALARM_MODEL
    // The status bar's alarm chips: the alarm service's summary from the mirror (any desk's).
    if (const auto summary = client_->state("alarms/summary"); summary && !summary->stale) {
        if (auto decoded = alarm::decodeSummary(summary->value); decoded.ok()) {
            health.alarms = true;
            health.alarmsOpen = decoded.value->byPriority;
            health.alarmsUnacknowledged = decoded.value->unacknowledgedByPriority;
        }
    }
#endif
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

void BusRuntime::monitor()
{
    std::unique_lock lock(monitorMutex_);
    while (!monitorStop_) {
        lock.unlock();
        const std::vector<DriverStatus> status = supervisor_->status();
        publishDriverStatus(status);
        watchPresence(status);
        killSilentDrivers(status);
        raiseDownAlarms(status);
        updateHealth(status);
        lock.lock();
        monitorWake_.wait_for(lock, std::chrono::milliseconds(200));
    }
}

} // namespace ccoc::host
