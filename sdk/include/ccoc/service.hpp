// C++ convenience layer over ccoc/service.h (header-only): a service is one class.
//
//     class CounterService : public ccoc::Service {
//     public:
//         using Service::Service;                       // (const ccoc::Host&)
//         bool start(const ccoc::ServiceContext& context) override {
//             journalPath_ = std::string(context.stateDir()) + "/counter.sqlite";
//             return openJournal() && joinBus(context.busFrontend(), context.busPublisher());
//         }
//         void stop() override { leaveBus(); closeJournal(); } // drains before it returns
//     };
//     CCOC_SERVICE(CounterService, "example.counter", "Counter service", "1.0.0", "Example vendor");
//
// start and stop run on ccoc-serviced's service thread; the service does its work on threads of
// its own between them. Exceptions never cross the C boundary: they are caught at it, logged
// through "ccoc.log/1" and turned into failure values (start returns false).
#pragma once

#include "ccoc/plugin.hpp"
#include "ccoc/service.h"

#include <memory>
#include <string>
#include <string_view>

namespace ccoc {

// What ccoc-serviced gives the service (ccoc_service_context_v1), as std::string_view. Valid
// from start until stop returns.
class ServiceContext {
public:
    explicit ServiceContext(const ccoc_service_context_v1* raw) noexcept : raw_(raw) {}

    // The [[service]] id, also its bus source id.
    [[nodiscard]] std::string_view id() const noexcept { return field(&ccoc_service_context_v1::service_id); }
    // Absolute path of the site file (the service reads its own sections from it).
    [[nodiscard]] std::string_view siteFile() const noexcept { return field(&ccoc_service_context_v1::site_file); }
    // Absolute path of the service's own folder for state and journal; it exists.
    [[nodiscard]] std::string_view stateDir() const noexcept { return field(&ccoc_service_context_v1::state_dir); }
    [[nodiscard]] std::string_view busFrontend() const noexcept { return field(&ccoc_service_context_v1::bus_frontend); }
    [[nodiscard]] std::string_view busPublisher() const noexcept { return field(&ccoc_service_context_v1::bus_publisher); }
    // On a CURVE bus: the service's key pair (the secret half by its file) and the broker's
    // public key; empty on a bus without security.
    [[nodiscard]] std::string_view secretKeyFile() const noexcept { return field(&ccoc_service_context_v1::secret_key_file); }
    [[nodiscard]] std::string_view publicKey() const noexcept { return field(&ccoc_service_context_v1::public_key); }
    [[nodiscard]] std::string_view serverPublicKey() const noexcept { return field(&ccoc_service_context_v1::server_public_key); }
    [[nodiscard]] const ccoc_service_context_v1* raw() const noexcept { return raw_; }

private:
    // Every field is in revision 1 of the struct, so a context at least that large has them all.
    [[nodiscard]] std::string_view field(const char* ccoc_service_context_v1::*member) const noexcept
    {
        if (raw_ == nullptr || raw_->struct_size < sizeof(ccoc_service_context_v1) || raw_->*member == nullptr) {
            return {};
        }
        return raw_->*member;
    }

    const ccoc_service_context_v1* raw_;
};

// Base class of a service: one object per process, made at plugin init.
class Service {
public:
    explicit Service(const Host& host) : host_(host) {}
    virtual ~Service() = default;
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;
    Service(Service&&) = delete;
    Service& operator=(Service&&) = delete;

    // [service-thread] Opens the journal, joins the bus and starts serving on the service's own
    // threads; returns once it runs. false: failed (log why); ccoc-serviced exits 3.
    virtual bool start(const ServiceContext& context) = 0;
    // [service-thread] Stops serving and drains (what was accepted is written) before returning.
    virtual void stop() = 0;
    // [service-thread] Checks what start would use without joining the bus (ccoc-serviced
    // --check); logs each problem and returns false. By default there is nothing more to check.
    virtual bool check(const ServiceContext& /*context*/) { return true; }

    [[nodiscard]] const Host& host() const noexcept { return host_; }

private:
    const Host& host_;
};

// The C functions of "ccoc.service/1" around a Service (used by CCOC_SERVICE).
struct ServiceGlue {
    struct State {
        explicit State(const ccoc_host* raw) : host(raw) {}
        Host host;
        std::unique_ptr<Service> service;
        bool started = false;
    };
    using Factory = Service* (*)(const Host&);

    static bool init(const ccoc_host* host, void** data, Factory make) noexcept
    {
        State* state = nullptr;
        try {
            state = new State(host);
            state->service.reset(make(state->host));
        } catch (...) {
            if (state != nullptr) {
                detail::logException(state->host, "service init");
            }
            delete state;
            return false;
        }
        *data = state;
        return true;
    }
    static void shutdown(void* data) noexcept { delete static_cast<State*>(data); }
    static bool start(void* data, const ccoc_service_context_v1* context) noexcept
    {
        State& state = *static_cast<State*>(data);
        try {
            state.started = state.service->start(ServiceContext(context));
        } catch (...) {
            detail::logException(state.host, "service start");
            state.started = false;
        }
        return state.started;
    }
    static void stop(void* data) noexcept
    {
        State& state = *static_cast<State*>(data);
        try {
            state.service->stop();
        } catch (...) {
            detail::logException(state.host, "service stop");
        }
    }
    static bool check(void* data, const ccoc_service_context_v1* context) noexcept
    {
        State& state = *static_cast<State*>(data);
        try {
            return state.service->check(ServiceContext(context));
        } catch (...) {
            detail::logException(state.host, "service check");
            return false;
        }
    }
    static const ccoc_service_v1* table() noexcept
    {
        static const ccoc_service_v1 table = {sizeof(ccoc_service_v1), &start, &stop, &check};
        return &table;
    }
    static const void* extension(void* /*data*/, const char* id) noexcept
    {
        return id != nullptr && std::string_view(id) == CCOC_EXTENSION_SERVICE ? table() : nullptr;
    }
};

template <class T>
Service* makeService(const Host& host)
{
    return new T(host);
}

} // namespace ccoc

// Defines the plugin entry point of a service (a class derived from ccoc::Service with a
// constructor taking const ccoc::Host&). Use once per service shared object.
#define CCOC_SERVICE(Class, idText, nameText, versionText, vendorText)                                  \
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
                return ::ccoc::ServiceGlue::init(host, data, &::ccoc::makeService<Class>);              \
            };                                                                                          \
            d.shutdown = &::ccoc::ServiceGlue::shutdown;                                                \
            d.get_extension = &::ccoc::ServiceGlue::extension;                                          \
            return d;                                                                                   \
        }();                                                                                            \
        return &descriptor;                                                                             \
    }
