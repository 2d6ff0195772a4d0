#include "driver_runner.hpp"

#include "bus_c_service.hpp"
#include "settings_c_service.hpp"
#include "ccoc/bus/client.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string_view>
#include <thread>
#include <variant>

namespace ccoc::driverd {
namespace {

std::atomic<bool> gStop{false};
constexpr size_t kQueueLimit = 10000;

double monotonicSeconds()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

DriverRunner* runnerOf(const ccoc_host* host)
{
    return host != nullptr ? static_cast<DriverRunner*>(host->host_data) : nullptr;
}

const char* levelName(ccoc_log_level level)
{
    switch (level) {
    case CCOC_LOG_DEBUG:
        return "debug";
    case CCOC_LOG_INFO:
        return "info";
    case CCOC_LOG_WARNING:
        return "warning";
    case CCOC_LOG_ERROR:
        return "error";
    }
    return "info";
}

const ccoc_log_service_v1 kLogService = {
    sizeof(ccoc_log_service_v1),
    [](const ccoc_host* host, ccoc_log_level level, const char* message) {
        if (DriverRunner* runner = runnerOf(host); runner != nullptr) {
            runner->log(level, message);
        }
    },
};

} // namespace

struct DriverRunner::Impl {
    void* library = nullptr;
    const ccoc_plugin_descriptor* descriptor = nullptr;
    const ccoc_driver_v1* driver = nullptr;
    void* pluginData = nullptr;
    bool initialised = false;
    ccoc_host hostView{};
    ccoc_driver_context_v1 context{};
    std::unique_ptr<bus::Client> client;
    std::unique_ptr<runtime::BusCService> service;

    std::mutex queueMutex;
    std::condition_variable queueChanged;
    std::deque<std::function<void()>> queue;
    uint64_t dropped = 0;
};

DriverRunner::DriverRunner(RunnerOptions options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {}

DriverRunner::~DriverRunner()
{
    Impl& d = *impl_;
    // Order: the driver goes first (it may still publish), then the client (no callback into the
    // service after its I/O thread ended), then the service.
    if (d.initialised && d.descriptor->shutdown != nullptr) {
        d.descriptor->shutdown(d.pluginData);
    }
    if (d.client) {
        d.client->stop();
    }
    d.service.reset();
    // The driver's code stays mapped: a detached thread of a careless driver must not crash on
    // unmapped code at exit (OBS never unloads modules either).
}

void DriverRunner::requestStop() noexcept
{
    gStop.store(true);
}

void DriverRunner::log(ccoc_log_level level, const char* message) const
{
    std::time_t now = std::time(nullptr);
    char stamp[32];
    std::tm local{};
    localtime_r(&now, &local); // "ccoc.log/1" is [any-thread]; std::localtime shares one buffer
    std::strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
    std::fprintf(stderr, "%s [%s] driver %s: %s\n", stamp, levelName(level), options_.driverId.c_str(),
                 message != nullptr ? message : "");
    std::fflush(stderr);
}

void DriverRunner::post(std::function<void()> task)
{
    Impl& d = *impl_;
    {
        std::lock_guard lock(d.queueMutex);
        if (d.queue.size() >= kQueueLimit) {
            ++d.dropped;
            return;
        }
        d.queue.push_back(std::move(task));
    }
    d.queueChanged.notify_one();
}

int DriverRunner::run()
{
    Impl& d = *impl_;
    const auto fail = [this](const std::string& why) {
        log(CCOC_LOG_ERROR, why.c_str());
        return kExitDriverFailed;
    };
    d.library = dlopen(options_.pluginPath.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (d.library == nullptr) {
        const char* error = dlerror();
        return fail("cannot load " + options_.pluginPath + ": " + (error != nullptr ? error : "unknown error"));
    }
    auto entry = reinterpret_cast<ccoc_plugin_entry_fn>(dlsym(d.library, CCOC_PLUGIN_ENTRY_SYMBOL));
    if (entry == nullptr) {
        return fail(options_.pluginPath + " exports no " CCOC_PLUGIN_ENTRY_SYMBOL "; expected a CCOC driver plugin");
    }
    d.descriptor = entry();
    if (d.descriptor == nullptr || d.descriptor->struct_size < offsetof(ccoc_plugin_descriptor, get_extension) + sizeof(void*)) {
        return fail(options_.pluginPath + ": its descriptor is missing or too small for ABI " +
                    std::to_string(CCOC_ABI_MAJOR) + "." + std::to_string(CCOC_ABI_MINOR));
    }
    if (d.descriptor->abi_major != CCOC_ABI_MAJOR || d.descriptor->abi_minor > CCOC_ABI_MINOR) {
        return fail(options_.pluginPath + " was built for ABI " + std::to_string(d.descriptor->abi_major) + "." +
                    std::to_string(d.descriptor->abi_minor) + "; expected " + std::to_string(CCOC_ABI_MAJOR) + ".0.." +
                    std::to_string(CCOC_ABI_MAJOR) + "." + std::to_string(CCOC_ABI_MINOR));
    }
    if (d.descriptor->imgui_version != nullptr) {
        return fail(options_.pluginPath + " uses ImGui (" + d.descriptor->imgui_version +
                    "); a driver draws nothing: expected imgui_version NULL");
    }

    // The bus client: a driver owns the devices it names after init, so it is configured then.
    d.hostView.struct_size = sizeof(d.hostView);
    d.hostView.abi_major = CCOC_ABI_MAJOR;
    d.hostView.abi_minor = CCOC_ABI_MINOR;
    d.hostView.host_name = "ccoc-driverd";
    d.hostView.host_version = CCOC_VERSION;
    d.hostView.host_data = this;
    d.hostView.get_service = [](const ccoc_host* host, const char* id) -> const void* {
        DriverRunner* runner = runnerOf(host);
        if (runner == nullptr || id == nullptr) {
            return nullptr;
        }
        const std::string_view want(id);
        if (want == CCOC_SERVICE_LOG) {
            return &kLogService;
        }
        if (want == CCOC_SERVICE_SETTINGS) {
            return runtime::settingsService([](const ccoc_host* view) -> const site::Settings* {
                DriverRunner* owner = runnerOf(view);
                return owner != nullptr ? &owner->settings() : nullptr;
            });
        }
        if (want == CCOC_SERVICE_BUS) {
            return runtime::BusCService::table();
        }
        return nullptr;
    };

    bus::ClientConfig config;
    config.sourceId = options_.driverId;
    config.role = bus::Role::Driver;
    config.frontendEndpoint = options_.frontendEndpoint;
    config.publisherEndpoint = options_.publisherEndpoint;
    config.heartbeatMs = options_.heartbeatMs;
    config.curve = options_.curve;
    config.callbacks = bus::ClientConfig::Callbacks::IoThread;
    // The service must exist before init (the driver may fetch it there), so the client is made
    // now and its devices filled in before start.
    d.client = std::make_unique<bus::Client>(config);
    d.service = std::make_unique<runtime::BusCService>(
        *d.client, [this](std::function<void()> task) { post(std::move(task)); },
        [](const ccoc_host* host) -> runtime::BusCService* {
            DriverRunner* runner = runnerOf(host);
            return runner != nullptr ? runner->impl_->service.get() : nullptr;
        });

    if (d.descriptor->init == nullptr || !d.descriptor->init(&d.hostView, &d.pluginData)) {
        return fail(std::string("driver ") + (d.descriptor->id != nullptr ? d.descriptor->id : "?") + " failed to initialise");
    }
    d.initialised = true;
    d.driver = d.descriptor->get_extension != nullptr
                   ? static_cast<const ccoc_driver_v1*>(d.descriptor->get_extension(d.pluginData, CCOC_EXTENSION_DRIVER))
                   : nullptr;
    if (d.driver == nullptr || !CCOC_STRUCT_HAS_FIELD(d.driver, ccoc_driver_v1, stop) || d.driver->start == nullptr ||
        d.driver->on_command == nullptr) {
        return fail(options_.pluginPath + " offers no usable \"" CCOC_EXTENSION_DRIVER "\" extension; expected a driver");
    }
    const uint32_t count = d.driver->device_count != nullptr ? d.driver->device_count(d.pluginData) : 0;
    for (uint32_t i = 0; i < count; ++i) {
        const char* device = d.driver->device_at(d.pluginData, i);
        if (device != nullptr) {
            config.devices.emplace_back(device);
        }
    }
    // Rebuild the client with the devices; nothing was sent through the first one yet.
    d.service.reset();
    d.client = std::make_unique<bus::Client>(config);
    d.service = std::make_unique<runtime::BusCService>(
        *d.client, [this](std::function<void()> task) { post(std::move(task)); },
        [](const ccoc_host* host) -> runtime::BusCService* {
            DriverRunner* runner = runnerOf(host);
            return runner != nullptr ? runner->impl_->service.get() : nullptr;
        });
    runtime::BusCService* service = d.service.get();
    d.client->serveCommands(
        [service](const bus::IncomingCommand& command, bus::Responder responder) {
            service->deliverCommand(command, std::move(responder));
        },
        [service](std::string_view device, std::string_view action) {
            service->deliverDeadman(std::string(device), std::string(action));
        });
    const ccoc_driver_v1* driver = d.driver;
    void* pluginData = d.pluginData;
    service->serveCommands([](void* user, const ccoc_bus_incoming_command* command) {
        auto* self = static_cast<DriverRunner*>(user);
        self->impl_->driver->on_command(self->impl_->pluginData, command);
    }, [](void* user, const char* device, const char* action) {
        auto* self = static_cast<DriverRunner*>(user);
        if (self->impl_->driver->on_deadman != nullptr) {
            self->impl_->driver->on_deadman(self->impl_->pluginData, device, action);
        }
    }, this);
    if (bus::Status started = d.client->start(); !started.ok()) {
        log(CCOC_LOG_ERROR, ("bus client: " + started.error).c_str());
        return kExitBusFailed;
    }

    d.context.struct_size = sizeof(d.context);
    d.context.driver_id = options_.driverId.c_str();
    d.context.session = d.client->sessionId().c_str();
    d.context.host = &d.hostView;
    d.context.driverd_data = this;
    d.context.answer = [](const ccoc_driver_context_v1* context, uint64_t token, const ccoc_bus_reply* reply) {
        auto* self = static_cast<DriverRunner*>(context->driverd_data);
        return self->impl_->service->answer(token, reply);
    };
    if (!driver->start(pluginData, &d.context)) {
        return fail("driver start failed");
    }
    log(CCOC_LOG_INFO, ("running " + std::to_string(count) + " devices, session " + d.client->sessionId()).c_str());

    // Watchdog: a driver stuck in one call (a hung device library, a deadlock) stops serving its
    // devices while the bus client still heartbeats. Exit so the host restarts it.
    std::atomic<double> lastProgress{monotonicSeconds()};
    std::atomic<bool> watchdogStop{false};
    std::thread watchdog([&] {
        while (!watchdogStop.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100)); // the watchdog's period
            const double stuckSec = monotonicSeconds() - lastProgress.load();
            if (stuckSec * 1000.0 > options_.watchdogMs) {
                log(CCOC_LOG_ERROR, ("the driver thread has been stuck for " + std::to_string(static_cast<int>(stuckSec * 1000)) +
                                     " ms (watchdog " + std::to_string(options_.watchdogMs) + " ms): exiting")
                                        .c_str());
                std::_Exit(kExitDriverHung);
            }
        }
    });
    double nextTick = monotonicSeconds();
    while (!gStop.load()) {
        const double now = monotonicSeconds();
        lastProgress.store(now);
        if (now >= nextTick) {
            const int32_t wantMs = driver->tick != nullptr ? driver->tick(pluginData, now) : 1000;
            nextTick = now + std::clamp(wantMs, 1, 1000) / 1000.0;
        }
        std::function<void()> task;
        {
            std::unique_lock lock(d.queueMutex);
            // Wake for work, the next tick, or at least every 100 ms to notice a stop request.
            const double waitSec = std::min(0.1, std::max(0.0, nextTick - monotonicSeconds()));
            d.queueChanged.wait_for(lock, std::chrono::duration<double>(waitSec), [&] { return !d.queue.empty(); });
            if (!d.queue.empty()) {
                task = std::move(d.queue.front());
                d.queue.pop_front();
            }
        }
        if (task) {
            task();
        }
    }
    watchdogStop.store(true);
    watchdog.join();
    log(CCOC_LOG_INFO, "stopping");
    driver->stop(pluginData);
    return kExitOk;
}

} // namespace ccoc::driverd
