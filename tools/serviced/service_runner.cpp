#include "service_runner.hpp"

#include "bus_c_service.hpp"
#include "settings_c_service.hpp"

#include <dlfcn.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string_view>

namespace ccoc::serviced {
namespace {

std::atomic<const char*> gStopSignal{nullptr};
constexpr size_t kQueueLimit = 10000;

ServiceRunner* runnerOf(const ccoc_host* host)
{
    return host != nullptr ? static_cast<ServiceRunner*>(host->host_data) : nullptr;
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
        if (ServiceRunner* runner = runnerOf(host); runner != nullptr) {
            runner->log(level, message);
        }
    },
};

} // namespace

struct ServiceRunner::Impl {
    void* library = nullptr;
    const ccoc_plugin_descriptor* descriptor = nullptr;
    const ccoc_service_v1* service = nullptr;
    void* pluginData = nullptr;
    bool initialised = false;
    ccoc_host hostView{};
    ccoc_service_context_v1 context{};

    // "ccoc.bus/1", made on first use; its callbacks run on the service thread's queue.
    std::mutex busMutex;
    std::unique_ptr<bus::Client> client;
    std::unique_ptr<runtime::BusCService> bus;

    std::mutex queueMutex;
    std::condition_variable queueChanged;
    std::deque<std::function<void()>> queue;
    uint64_t dropped = 0;

    void post(std::function<void()> task)
    {
        {
            std::lock_guard lock(queueMutex);
            if (queue.size() >= kQueueLimit) {
                ++dropped;
                return;
            }
            queue.push_back(std::move(task));
        }
        queueChanged.notify_one();
    }
};

ServiceRunner::ServiceRunner(RunnerOptions options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {}

ServiceRunner::~ServiceRunner()
{
    Impl& d = *impl_;
    // The service goes first (its threads may still publish), then the bus client (no callback
    // after its I/O thread ended), then the C service over it.
    if (d.initialised && d.descriptor->shutdown != nullptr) {
        d.descriptor->shutdown(d.pluginData);
    }
    std::lock_guard lock(d.busMutex);
    if (d.client) {
        d.client->stop();
    }
    d.bus.reset();
    d.client.reset();
    // The service's code stays mapped, as ccoc-driverd's drivers' does: a thread it left behind
    // must not run into unmapped code at exit.
}

void ServiceRunner::requestStop(const char* signalName) noexcept
{
    gStopSignal.store(signalName != nullptr ? signalName : "request");
    // notify_one is not async-signal-safe: the service thread polls the flag (see run()).
}

void ServiceRunner::log(ccoc_log_level level, const char* message) const
{
    std::time_t now = std::time(nullptr);
    char stamp[32];
    std::tm local{};
    localtime_r(&now, &local); // "ccoc.log/1" is [any-thread]; std::localtime shares one buffer
    std::strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
    std::fprintf(stderr, "%s [%s] service %s: %s\n", stamp, levelName(level), options_.serviceId.c_str(),
                 message != nullptr ? message : "");
    std::fflush(stderr);
}

const void* ServiceRunner::busService()
{
    Impl& d = *impl_;
    std::lock_guard lock(d.busMutex);
    if (!d.bus) {
        bus::ClientConfig config;
        config.sourceId = options_.serviceId;
        config.role = bus::Role::Driver;
        // A service's commands come to the device named after it ("cmd/alarms/...").
        config.devices = {options_.serviceId};
        config.frontendEndpoint = options_.frontendEndpoint;
        config.publisherEndpoint = options_.publisherEndpoint;
        config.heartbeatMs = options_.heartbeatMs;
        config.curve = options_.curve;
        config.callbacks = bus::ClientConfig::Callbacks::IoThread;
        d.client = std::make_unique<bus::Client>(config);
        d.bus = std::make_unique<runtime::BusCService>(
            *d.client, [&d](std::function<void()> task) { d.post(std::move(task)); },
            [](const ccoc_host* host) -> runtime::BusCService* {
                ServiceRunner* runner = runnerOf(host);
                return runner != nullptr ? runner->impl_->bus.get() : nullptr;
            });
        runtime::BusCService* service = d.bus.get();
        d.client->serveCommands(
            [service](const bus::IncomingCommand& command, bus::Responder responder) {
                service->deliverCommand(command, std::move(responder));
            },
            [service](std::string_view device, std::string_view action) {
                service->deliverDeadman(std::string(device), std::string(action));
            });
        if (bus::Status started = d.client->start(); !started.ok()) {
            log(CCOC_LOG_ERROR, ("bus client: " + started.error).c_str());
        }
    }
    return runtime::BusCService::table();
}

std::string ServiceRunner::load()
{
    Impl& d = *impl_;
    d.library = dlopen(options_.pluginPath.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (d.library == nullptr) {
        const char* error = dlerror();
        return "cannot load " + options_.pluginPath + ": " + (error != nullptr ? error : "unknown error");
    }
    auto entry = reinterpret_cast<ccoc_plugin_entry_fn>(dlsym(d.library, CCOC_PLUGIN_ENTRY_SYMBOL));
    if (entry == nullptr) {
        return options_.pluginPath + " exports no " CCOC_PLUGIN_ENTRY_SYMBOL "; expected a CCOC service plugin";
    }
    d.descriptor = entry();
    if (d.descriptor == nullptr || d.descriptor->struct_size < offsetof(ccoc_plugin_descriptor, get_extension) + sizeof(void*)) {
        return options_.pluginPath + ": its descriptor is missing or too small for ABI " + std::to_string(CCOC_ABI_MAJOR) +
               "." + std::to_string(CCOC_ABI_MINOR);
    }
    if (d.descriptor->abi_major != CCOC_ABI_MAJOR || d.descriptor->abi_minor > CCOC_ABI_MINOR) {
        return options_.pluginPath + " was built for ABI " + std::to_string(d.descriptor->abi_major) + "." +
               std::to_string(d.descriptor->abi_minor) + "; expected " + std::to_string(CCOC_ABI_MAJOR) + ".0.." +
               std::to_string(CCOC_ABI_MAJOR) + "." + std::to_string(CCOC_ABI_MINOR);
    }
    if (d.descriptor->imgui_version != nullptr) {
        return options_.pluginPath + " uses ImGui (" + d.descriptor->imgui_version +
               "); a service draws nothing: expected imgui_version NULL";
    }
    d.hostView.struct_size = sizeof(d.hostView);
    d.hostView.abi_major = CCOC_ABI_MAJOR;
    d.hostView.abi_minor = CCOC_ABI_MINOR;
    d.hostView.host_name = "ccoc-serviced";
    d.hostView.host_version = CCOC_VERSION;
    d.hostView.host_data = this;
    d.hostView.get_service = [](const ccoc_host* host, const char* id) -> const void* {
        ServiceRunner* runner = runnerOf(host);
        if (runner == nullptr || id == nullptr) {
            return nullptr;
        }
        const std::string_view want(id);
        if (want == CCOC_SERVICE_LOG) {
            return &kLogService;
        }
        if (want == CCOC_SERVICE_SETTINGS) {
            return runtime::settingsService([](const ccoc_host* view) -> const site::Settings* {
                ServiceRunner* owner = runnerOf(view);
                return owner != nullptr ? &owner->settings() : nullptr;
            });
        }
        if (want == CCOC_SERVICE_BUS) {
            return runner->busService();
        }
        return nullptr;
    };
    if (d.descriptor->init == nullptr || !d.descriptor->init(&d.hostView, &d.pluginData)) {
        return std::string("service ") + (d.descriptor->id != nullptr ? d.descriptor->id : "?") + " failed to initialise";
    }
    d.initialised = true;
    d.service = d.descriptor->get_extension != nullptr
                    ? static_cast<const ccoc_service_v1*>(d.descriptor->get_extension(d.pluginData, CCOC_EXTENSION_SERVICE))
                    : nullptr;
    if (d.service == nullptr || !CCOC_STRUCT_HAS_FIELD(d.service, ccoc_service_v1, stop) || d.service->start == nullptr ||
        d.service->stop == nullptr) {
        return options_.pluginPath + " offers no usable \"" CCOC_EXTENSION_SERVICE "\" extension; expected a service";
    }
    std::error_code ec;
    std::filesystem::create_directories(options_.stateDir, ec);
    if (ec) {
        return "cannot create the state folder " + options_.stateDir + ": " + ec.message();
    }
    d.context.struct_size = sizeof(d.context);
    d.context.service_id = options_.serviceId.c_str();
    d.context.site_file = options_.siteFile.c_str();
    d.context.state_dir = options_.stateDir.c_str();
    d.context.bus_frontend = options_.frontendEndpoint.c_str();
    d.context.bus_publisher = options_.publisherEndpoint.c_str();
    d.context.secret_key_file = options_.secretKeyFile.c_str();
    d.context.public_key = options_.publicKey.c_str();
    d.context.server_public_key = options_.serverPublicKey.c_str();
    d.context.host = &d.hostView;
    d.context.runner_data = this;
    return {};
}

int ServiceRunner::check()
{
    if (const std::string error = load(); !error.empty()) {
        log(CCOC_LOG_ERROR, error.c_str());
        return kExitUsage;
    }
    const ccoc_service_v1* service = impl_->service;
    if (CCOC_STRUCT_HAS_FIELD(service, ccoc_service_v1, check) && service->check != nullptr &&
        !service->check(impl_->pluginData, &impl_->context)) {
        return kExitUsage;
    }
    std::puts("ok");
    return kExitOk;
}

int ServiceRunner::run()
{
    Impl& d = *impl_;
    if (const std::string error = load(); !error.empty()) {
        log(CCOC_LOG_ERROR, error.c_str());
        return kExitServiceFailed;
    }
    if (!d.service->start(d.pluginData, &d.context)) {
        log(CCOC_LOG_ERROR, "service start failed");
        return kExitServiceFailed;
    }
    // The service thread: runs what "ccoc.bus/1" hands it and, every 100 ms at most, looks for
    // a stop request (set from a signal, so it cannot wake the condition variable).
    while (gStopSignal.load() == nullptr) {
        std::function<void()> task;
        {
            std::unique_lock lock(d.queueMutex);
            d.queueChanged.wait_for(lock, std::chrono::milliseconds(100), [&] { return !d.queue.empty(); });
            if (!d.queue.empty()) {
                task = std::move(d.queue.front());
                d.queue.pop_front();
            }
        }
        if (task) {
            task();
        }
    }
    log(CCOC_LOG_INFO, (std::string("stopping on ") + gStopSignal.load()).c_str());
    d.service->stop(d.pluginData);
    return kExitOk;
}

} // namespace ccoc::serviced
