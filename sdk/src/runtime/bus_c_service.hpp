// The C service "ccoc.bus/1" (ccoc/bus.h) on top of a ccoc::bus::Client, for the plugins of one
// process: the host's panels (main thread), the one driver of ccoc-driverd (driver thread) or the
// one service of ccoc-serviced (service thread).
//
// Every callback a plugin registered (subscriptions, replies, commands) is handed to `post`,
// which must run it on the plugin's thread: in the host the Client runs in Queued mode and
// dispatch() is called on the main thread, so `post` runs the function at once; ccoc-driverd and
// ccoc-serviced queue it for their plugin's thread. Subscriptions a plugin forgot are ended with the service.
//
// Thread: the service functions are [any-thread]; construction and destruction on the owner's.
#pragma once

#include "ccoc/bus.h"
#include "ccoc/bus/client.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace ccoc::runtime {

class BusCService {
public:
    using Post = std::function<void(std::function<void()>)>;
    // Finds the service of a plugin's host view (ccoc_host::host_data differs per plugin).
    using Resolve = BusCService* (*)(const ccoc_host* host);

    BusCService(bus::Client& client, Post post, Resolve resolve);
    ~BusCService();
    BusCService(const BusCService&) = delete;
    BusCService& operator=(const BusCService&) = delete;
    BusCService(BusCService&&) = delete;
    BusCService& operator=(BusCService&&) = delete;

    // The function table to hand out as "ccoc.bus/1". One static table for the process (its
    // functions find the service through Resolve), so it stays valid for the process's life.
    [[nodiscard]] static const ccoc_bus_service_v1* table() noexcept;
    [[nodiscard]] bus::Client& client() noexcept { return client_; }
    // false: publish never waits for room in a full queue (the host's main thread); true (the
    // default): it waits, as a driver process should rather than lose state.
    void setWaitForRoom(bool wait) noexcept { waitForRoom_ = wait; }

    // Implementation of the table's functions (also usable from C++ directly).
    int publish(ccoc_bus_kind kind, const char* path, const char* json, uint32_t flags);
    uint64_t subscribe(const char* prefix, ccoc_bus_message_fn fn, void* user);
    void unsubscribe(uint64_t subscription);
    size_t readState(const char* prefix, ccoc_bus_state_fn fn, void* user);
    int sendCommand(const ccoc_bus_command* command, ccoc_bus_reply_fn fn, void* user);
    int serveCommands(ccoc_bus_command_fn onCommand, ccoc_bus_deadman_fn onDeadman, void* user);
    int answer(uint64_t token, const ccoc_bus_reply* reply);
    int publishEventAcked(const char* path, const char* json, int timeoutMs);
    int removeState(const char* path);

    // For a driver host: hands an incoming command to the served handler (on the post thread)
    // and keeps its Responder under a new token. Returns the token.
    uint64_t deliverCommand(const bus::IncomingCommand& command, bus::Responder responder);
    void deliverDeadman(std::string device, std::string action);

private:
    bus::Client& client_;
    Post post_;
    bool waitForRoom_ = true;
    std::mutex mutex_; // guards the maps and the served handler
    std::map<uint64_t, uint64_t> subscriptions_; // ours -> client's
    std::map<uint64_t, bus::Responder> pending_;
    uint64_t nextToken_ = 1;
    uint64_t nextSubscription_ = 1;
    ccoc_bus_command_fn onCommand_ = nullptr;
    ccoc_bus_deadman_fn onDeadman_ = nullptr;
    void* commandUser_ = nullptr;
};

// bus::CommandStatus of a C status, and back.
[[nodiscard]] bus::CommandStatus toCommandStatus(ccoc_bus_status status) noexcept;
[[nodiscard]] ccoc_bus_status toCStatus(bus::CommandStatus status) noexcept;

} // namespace ccoc::runtime
