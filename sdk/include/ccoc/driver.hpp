// C++ convenience layer over ccoc/driver.h (header-only): a driver is one class.
//
//     class GateDriver : public ccoc::Driver {
//     public:
//         using Driver::Driver;                        // (const ccoc::Host&)
//         std::vector<std::string> devices() override { return {"gate-1"}; }
//         bool start() override { return bus().publishState("gate-1/barrier", R"({"open":false})"); }
//         void command(ccoc::DriverCommand command) override {
//             command.reply(CCOC_BUS_STATUS_OK, "opened");
//         }
//     };
//     CCOC_DRIVER(GateDriver, "example.gate", "Gate driver", "1.0.0", "Example vendor");
//
// Every callback runs on ccoc-driverd's driver thread. Exceptions never cross the C boundary:
// they are caught at it, logged through "ccoc.log/1" and turned into failure values (start
// returns false, a command is answered `error`).
#pragma once

#include "ccoc/driver.h"
#include "ccoc/plugin.hpp"

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc {

// The "ccoc.bus/1" service of the driver's process. Valid between init and shutdown.
class DriverBus {
public:
    DriverBus(const ccoc_host* host, const ccoc_bus_service_v1* bus) noexcept : host_(host), bus_(bus) {}

    [[nodiscard]] bool available() const noexcept { return bus_ != nullptr; }
    [[nodiscard]] const ccoc_bus_service_v1* raw() const noexcept { return bus_; }

    // [any-thread] Publishes JSON at "DEVICE/KEY". Returns false (the reason is a CCOC_BUS_* code
    // in *code when given) on a bad path, bad JSON, a payload too big, or no bus.
    bool publishState(const std::string& path, const std::string& json, int* code = nullptr) const noexcept
    {
        return publish(CCOC_BUS_STATE, path, json, 0, code);
    }
    bool publishEvent(const std::string& path, const std::string& json, bool reliable = false, int* code = nullptr) const noexcept
    {
        return publish(CCOC_BUS_EVENT, path, json, reliable ? CCOC_BUS_RELIABLE : 0u, code);
    }
    bool publishTelemetry(const std::string& path, const std::string& json, int* code = nullptr) const noexcept
    {
        return publish(CCOC_BUS_TELEMETRY, path, json, 0, code);
    }
    // [any thread but the driver thread's command callbacks; blocks up to timeoutMs] Publishes a
    // reliable event and returns true only once the broker has journalled it (then acknowledge
    // your sender). false with CCOC_BUS_TIMEOUT in *code: still pending, still resent; with
    // CCOC_BUS_BAD_ARGUMENT: a host older than ccoc.bus/1 revision 1.1.
    bool publishEventAcked(const std::string& path, const std::string& json, int timeoutMs, int* code = nullptr) const noexcept
    {
        int rc = CCOC_BUS_NOT_RUNNING;
        if (bus_ != nullptr) {
            rc = CCOC_STRUCT_HAS_FIELD(bus_, ccoc_bus_service_v1, publish_event_acked) && bus_->publish_event_acked != nullptr
                     ? bus_->publish_event_acked(host_, path.c_str(), json.c_str(), timeoutMs)
                     : CCOC_BUS_BAD_ARGUMENT;
        }
        if (code != nullptr) {
            *code = rc;
        }
        return rc == CCOC_BUS_OK;
    }
    // [any-thread] Removes a retained state key (see ccoc_bus_service_v1::remove_state).
    bool removeState(const std::string& path, int* code = nullptr) const noexcept
    {
        int rc = CCOC_BUS_NOT_RUNNING;
        if (bus_ != nullptr) {
            rc = CCOC_STRUCT_HAS_FIELD(bus_, ccoc_bus_service_v1, remove_state) && bus_->remove_state != nullptr
                     ? bus_->remove_state(host_, path.c_str())
                     : CCOC_BUS_BAD_ARGUMENT;
        }
        if (code != nullptr) {
            *code = rc;
        }
        return rc == CCOC_BUS_OK;
    }

private:
    bool publish(ccoc_bus_kind kind, const std::string& path, const std::string& json, uint32_t flags, int* code) const noexcept
    {
        const int rc = bus_ != nullptr ? bus_->publish(host_, kind, path.c_str(), json.c_str(), flags) : CCOC_BUS_NOT_RUNNING;
        if (code != nullptr) {
            *code = rc;
        }
        return rc == CCOC_BUS_OK;
    }

    const ccoc_host* host_;
    const ccoc_bus_service_v1* bus_;
};

// One incoming command. Answer it exactly once with reply(), now or later (any thread); the
// strings are copied, so the object may outlive the callback.
class DriverCommand {
public:
    DriverCommand(const ccoc_driver_context_v1* context, const ccoc_bus_incoming_command& command)
        : context_(context), token_(command.token), device_(command.device != nullptr ? command.device : ""),
          action_(command.action != nullptr ? command.action : ""),
          argsJson_(command.args_json != nullptr ? command.args_json : "null"),
          source_(command.source != nullptr ? command.source : ""), remainingMs_(command.remaining_ms),
          deadmanMs_(command.deadman_ms)
    {
    }

    [[nodiscard]] const std::string& device() const noexcept { return device_; }
    [[nodiscard]] const std::string& action() const noexcept { return action_; }
    [[nodiscard]] const std::string& argsJson() const noexcept { return argsJson_; }
    [[nodiscard]] const std::string& source() const noexcept { return source_; }
    // Time left before the broker's deadline when it reached the driver thread (always > 0 here:
    // an expired command is answered CCOC_BUS_STATUS_TIMEOUT before command() is called). A
    // driver that answers later must not start the action once this much time has passed.
    [[nodiscard]] int32_t remainingMs() const noexcept { return remainingMs_; }
    [[nodiscard]] int32_t deadmanMs() const noexcept { return deadmanMs_; }
    [[nodiscard]] bool answered() const noexcept { return answered_; }

    // [any-thread] Sends the one answer; later calls do nothing and return false.
    bool reply(ccoc_bus_status status, const std::string& message = {}, const std::string& resultJson = "null") noexcept
    {
        if (answered_ || context_ == nullptr || context_->answer == nullptr) {
            return false;
        }
        answered_ = true;
        ccoc_bus_reply reply{};
        reply.struct_size = sizeof(reply);
        reply.status = status;
        reply.message = message.c_str();
        reply.result_json = resultJson.c_str();
        return context_->answer(context_, token_, &reply) == CCOC_BUS_OK;
    }

private:
    const ccoc_driver_context_v1* context_;
    uint64_t token_;
    std::string device_;
    std::string action_;
    std::string argsJson_;
    std::string source_;
    int32_t remainingMs_;
    int32_t deadmanMs_;
    bool answered_ = false;
};

// Base class of a driver: one object per process, made at plugin init.
class Driver {
public:
    explicit Driver(const Host& host)
        : host_(host), bus_(host.raw(), static_cast<const ccoc_bus_service_v1*>(host.service(CCOC_SERVICE_BUS)))
    {
    }
    virtual ~Driver() = default;
    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;
    Driver(Driver&&) = delete;
    Driver& operator=(Driver&&) = delete;

    // [driver-thread] The devices this driver owns; asked once, before start.
    virtual std::vector<std::string> devices() = 0;
    // [driver-thread] Connect to the hardware and publish the full state. false: failed (log why).
    virtual bool start() = 0;
    // [driver-thread] Periodic work; returns milliseconds until the next tick (1..1000).
    virtual int32_t tick(double /*nowSec*/) { return 1000; }
    // [driver-thread] A command for one of the devices; answer it with command.reply(...).
    virtual void command(DriverCommand command) = 0;
    // [driver-thread] A continuous action was not repeated in time: stop it.
    virtual void deadman(std::string_view /*device*/, std::string_view /*action*/) {}
    // [driver-thread] Disconnect from the hardware.
    virtual void stop() {}

    [[nodiscard]] const Host& host() const noexcept { return host_; }
    [[nodiscard]] const DriverBus& bus() const noexcept { return bus_; }
    // Valid from start until stop returns.
    [[nodiscard]] const ccoc_driver_context_v1* context() const noexcept { return context_; }
    [[nodiscard]] std::string_view driverId() const noexcept
    {
        return context_ != nullptr && context_->driver_id != nullptr ? context_->driver_id : "";
    }

private:
    friend struct DriverGlue;
    const Host& host_;
    DriverBus bus_;
    const ccoc_driver_context_v1* context_ = nullptr;
    std::vector<std::string> deviceIds_; // kept for device_at's pointers
};

// The C functions of "ccoc.driver/1" around a Driver (used by CCOC_DRIVER).
struct DriverGlue {
    struct State {
        explicit State(const ccoc_host* raw) : host(raw) {}
        Host host;
        std::unique_ptr<Driver> driver;
    };
    using Factory = Driver* (*)(const Host&);

    static Driver& of(void* data) noexcept { return *static_cast<State*>(data)->driver; }

    static bool init(const ccoc_host* host, void** data, Factory make) noexcept
    {
        State* state = nullptr;
        try {
            state = new State(host);
            state->driver.reset(make(state->host));
            state->driver->deviceIds_ = state->driver->devices();
        } catch (...) {
            if (state != nullptr) {
                detail::logException(state->host, "driver init");
            }
            delete state;
            return false;
        }
        *data = state;
        return true;
    }
    static void shutdown(void* data) noexcept { delete static_cast<State*>(data); }
    static uint32_t deviceCount(void* data) noexcept { return static_cast<uint32_t>(of(data).deviceIds_.size()); }
    static const char* deviceAt(void* data, uint32_t index) noexcept
    {
        const auto& ids = of(data).deviceIds_;
        return index < ids.size() ? ids[index].c_str() : nullptr;
    }
    static bool start(void* data, const ccoc_driver_context_v1* context) noexcept
    {
        Driver& driver = of(data);
        driver.context_ = context;
        try {
            return driver.start();
        } catch (...) {
            detail::logException(driver.host(), "driver start");
            return false;
        }
    }
    static int32_t tick(void* data, double nowSec) noexcept
    {
        try {
            return of(data).tick(nowSec);
        } catch (...) {
            detail::logException(of(data).host(), "driver tick");
            return 1000;
        }
    }
    static void command(void* data, const ccoc_bus_incoming_command* raw) noexcept
    {
        Driver& driver = of(data);
        DriverCommand command(driver.context_, *raw);
        if (command.remainingMs() <= 0) {
            // Past its deadline (the broker has answered the caller `timeout`): never executed,
            // whatever the driver class would do (protocol section 7.3).
            command.reply(CCOC_BUS_STATUS_TIMEOUT, "deadline passed before the driver could act");
            return;
        }
        try {
            driver.command(command);
        } catch (const std::exception& e) {
            detail::logException(driver.host(), "driver command");
            command.reply(CCOC_BUS_STATUS_ERROR, std::string("the driver failed: ") + e.what());
        } catch (...) {
            detail::logException(driver.host(), "driver command");
            command.reply(CCOC_BUS_STATUS_ERROR, "the driver failed");
        }
    }
    static void deadman(void* data, const char* device, const char* action) noexcept
    {
        try {
            of(data).deadman(device != nullptr ? device : "", action != nullptr ? action : "");
        } catch (...) {
            detail::logException(of(data).host(), "driver deadman");
        }
    }
    static void stop(void* data) noexcept
    {
        try {
            of(data).stop();
        } catch (...) {
            detail::logException(of(data).host(), "driver stop");
        }
    }
    static const ccoc_driver_v1* table() noexcept
    {
        static const ccoc_driver_v1 table = {sizeof(ccoc_driver_v1), &deviceCount, &deviceAt, &start, &tick, &command,
                                             &deadman, &stop};
        return &table;
    }
    static const void* extension(void* /*data*/, const char* id) noexcept
    {
        return id != nullptr && std::string_view(id) == CCOC_EXTENSION_DRIVER ? table() : nullptr;
    }
};

template <class T>
Driver* makeDriver(const Host& host)
{
    return new T(host);
}

} // namespace ccoc

// Defines the plugin entry point of a driver (a class derived from ccoc::Driver with a
// constructor taking const ccoc::Host&). Use once per driver shared object.
#define CCOC_DRIVER(Class, idText, nameText, versionText, vendorText)                                   \
    extern "C" CCOC_EXPORT const ccoc_plugin_descriptor* ccoc_plugin_entry(void)                        \
    {                                                                                                   \
        static const ccoc_plugin_descriptor descriptor = [] {                                           \
            ccoc_plugin_descriptor d{};                                                                 \
            d.struct_size = sizeof(d);                                                                  \
            d.abi_major = CCOC_ABI_MAJOR;                                                               \
            d.abi_minor = CCOC_ABI_MINOR;                                                               \
            d.id = idText;                                                                              \
            d.name = nameText;                                                                          \
            d.version = versionText;                                                                    \
            d.vendor = vendorText;                                                                      \
            d.imgui_version = nullptr;                                                                  \
            d.init = [](const ccoc_host* host, void** data) {                                           \
                return ::ccoc::DriverGlue::init(host, data, &::ccoc::makeDriver<Class>);                \
            };                                                                                          \
            d.shutdown = &::ccoc::DriverGlue::shutdown;                                                 \
            d.get_extension = &::ccoc::DriverGlue::extension;                                           \
            return d;                                                                                   \
        }();                                                                                            \
        return &descriptor;                                                                             \
    }
