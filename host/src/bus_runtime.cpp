#include "bus_runtime.hpp"

#include "ccoc/i18n.hpp"
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
std::atomic<runtime::BusCService*> gHostService{nullptr};

std::string envOr(const char* name, std::string fallback)
{
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
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

} // namespace

BusRuntime::BusRuntime(const site::Site& site, std::vector<std::string> pluginSearchPath, std::string executablePath)
    : site_(site), pluginSearchPath_(std::move(pluginSearchPath)), executablePath_(std::move(executablePath))
{
    // Endpoints from [bus] (its defaults are the protocol's); the environment may override them
    // (tests run hosts side by side on private endpoints).
    frontend_ = envOr("CCOC_BUS_FRONTEND", site_.bus.frontend);
    publisher_ = envOr("CCOC_BUS_PUBLISHER", site_.bus.publisher);
    sourceId_ = "host." + segmentOf(site_.info.stationCode);
    supervisorDevice_ = "supervisor." + segmentOf(site_.info.stationCode);
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
    // Services run as drivers do, under ccoc-serviced; run = "remote" ones run elsewhere, and the
    // broker's presence of their id is all this host sees of them (updateHealth).
    const std::string serviced = servicedPath(executablePath_);
    for (const auto& service : site_.services) {
        if (!service.enabled || service.run != site::ServiceRun::Local) {
            continue;
        }
        DriverLaunch launch;
        launch.id = service.id;
        launch.kind = "service";
        launch.restart = policyOf(service.restart);
        launch.restartDelayMs = service.restartDelayMs;
        launch.restartMaxDelayMs = service.restartMaxDelayMs;
        launch.crashLimit = service.crashLimit;
        launch.crashWindowSec = service.crashWindowSec;
        launch.cooldownSec = service.crashCooldownSec;
        launch.cooldownMaxSec = service.crashCooldownMaxSec;
        launch.workingDirectory = siteFile.parent_path().string();
        launch.env = {{"CCOC_BUS_FRONTEND", frontend_}, {"CCOC_BUS_PUBLISHER", publisher_}};
        if (const std::optional<StartProblem> problem = checkServiceKeys(site_, service, &launch.env)) {
            Log::error("bus", problem->message);
            continue;
        }
        const std::string plugin = findServicePlugin(service, pluginSearchPath_);
        if (plugin.empty()) {
            Log::error("bus", "[[service]] " + service.id + ": no services/" + service.plugin +
                                  ".so on the plugin path; it is not started");
            continue;
        }
        launch.argv = {serviced, "--id", service.id, "--plugin", plugin, "--site", siteFile.string()};
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
    // A bus without security: loud when other machines can reach it (--check says the same).
    if (const auto open = site::openBusNotice(site_.bus, site_.sourceFile, frontend_, publisher_)) {
        open->warning ? Log::warn("bus", "WARNING: " + open->message) : Log::info("bus", open->message);
    }
    // The broker is embedded unless [bus] broker = "external" says another machine runs it.
    if (site_.bus.embeddedBroker) {
        bus::BrokerConfig config;
        if (bus::Status read = brokerConfigForSite(site_, config); !read.ok()) {
            Log::error("bus", read.error);
            std::lock_guard lock(healthMutex_);
            health_ = {"bus: broker settings unusable", tr("bus: broker settings unusable"), false};
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
        health_ = {"bus: client settings unusable", tr("bus: client settings unusable"), false};
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
    service_ = std::make_unique<runtime::BusCService>(
        *client_, [](std::function<void()> fn) { fn(); }, [](const ccoc_host*) { return gHostService.load(); });
    // Plugins publish from the render thread, which must never wait on a full queue.
    service_->setWaitForRoom(false);
    gHostService.store(service_.get());
    if (bus::Status started = client_->start(); !started.ok()) {
        Log::error("bus", "the host's bus client did not start: " + started.error);
        std::lock_guard lock(healthMutex_);
        health_ = {"bus: client failed", tr("bus: client failed"), false};
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
    return service_ ? runtime::BusCService::table() : nullptr;
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
