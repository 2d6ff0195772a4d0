#include "bus_c_service.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

namespace ccoc::runtime {
namespace {

// The C functions receive only the plugin's ccoc_host; the owner of the process's bus service
// says how to find it from there. One owner per process (the host, or ccoc-driverd).
std::atomic<BusCService::Resolve> gResolve{nullptr};

BusCService* resolve(const ccoc_host* host)
{
    const BusCService::Resolve fn = gResolve.load();
    return (fn != nullptr && host != nullptr) ? fn(host) : nullptr;
}

int64_t steadyUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

// Maps an error Status of the Client to a C result code.
int codeOf(const bus::Status& status)
{
    if (status.ok()) {
        return CCOC_BUS_OK;
    }
    const std::string& e = status.error;
    if (e.find("queue full") != std::string::npos) {
        return CCOC_BUS_QUEUE_FULL;
    }
    if (e.find("JSON") != std::string::npos || e.find("json") != std::string::npos || e.find("UTF") != std::string::npos) {
        return CCOC_BUS_BAD_JSON;
    }
    if (e.find("too big") != std::string::npos || e.find("large") != std::string::npos || e.find("limit") != std::string::npos) {
        return CCOC_BUS_TOO_BIG;
    }
    if (e.find("not started") != std::string::npos || e.find("stopped") != std::string::npos) {
        return CCOC_BUS_NOT_RUNNING;
    }
    if (e.find("path") != std::string::npos || e.find("topic") != std::string::npos || e.find("segment") != std::string::npos) {
        return CCOC_BUS_BAD_PATH;
    }
    return CCOC_BUS_BAD_ARGUMENT;
}

ccoc_bus_kind toCKind(bus::Kind kind)
{
    switch (kind) {
    case bus::Kind::State:
        return CCOC_BUS_STATE;
    case bus::Kind::Event:
        return CCOC_BUS_EVENT;
    case bus::Kind::Telemetry:
        return CCOC_BUS_TELEMETRY;
    }
    return CCOC_BUS_STATE;
}

} // namespace

bus::CommandStatus toCommandStatus(ccoc_bus_status status) noexcept
{
    switch (status) {
    case CCOC_BUS_STATUS_OK:
        return bus::CommandStatus::Ok;
    case CCOC_BUS_STATUS_ERROR:
        return bus::CommandStatus::Error;
    case CCOC_BUS_STATUS_BUSY:
        return bus::CommandStatus::Busy;
    case CCOC_BUS_STATUS_REJECTED:
        return bus::CommandStatus::Rejected;
    case CCOC_BUS_STATUS_TIMEOUT:
        return bus::CommandStatus::Timeout;
    case CCOC_BUS_STATUS_UNAVAILABLE:
        return bus::CommandStatus::Unavailable;
    }
    return bus::CommandStatus::Error;
}

ccoc_bus_status toCStatus(bus::CommandStatus status) noexcept
{
    switch (status) {
    case bus::CommandStatus::Ok:
        return CCOC_BUS_STATUS_OK;
    case bus::CommandStatus::Error:
        return CCOC_BUS_STATUS_ERROR;
    case bus::CommandStatus::Busy:
        return CCOC_BUS_STATUS_BUSY;
    case bus::CommandStatus::Rejected:
        return CCOC_BUS_STATUS_REJECTED;
    case bus::CommandStatus::Timeout:
        return CCOC_BUS_STATUS_TIMEOUT;
    case bus::CommandStatus::Unavailable:
        return CCOC_BUS_STATUS_UNAVAILABLE;
    }
    return CCOC_BUS_STATUS_ERROR;
}

BusCService::BusCService(bus::Client& client, Post post, Resolve resolveFn) : client_(client), post_(std::move(post))
{
    gResolve.store(resolveFn);
}

const ccoc_bus_service_v1* BusCService::table() noexcept
{
    static const ccoc_bus_service_v1 table = [] {
        ccoc_bus_service_v1 table_{};
    table_.struct_size = sizeof(table_);
    table_.publish = [](const ccoc_host* host, ccoc_bus_kind kind, const char* path, const char* json, uint32_t flags) {
        BusCService* self = resolve(host);
        return self != nullptr ? self->publish(kind, path, json, flags) : CCOC_BUS_NOT_RUNNING;
    };
    table_.subscribe = [](const ccoc_host* host, const char* prefix, ccoc_bus_message_fn fn, void* user) -> uint64_t {
        BusCService* self = resolve(host);
        return self != nullptr ? self->subscribe(prefix, fn, user) : 0;
    };
    table_.unsubscribe = [](const ccoc_host* host, uint64_t id) {
        if (BusCService* self = resolve(host); self != nullptr) {
            self->unsubscribe(id);
        }
    };
    table_.read_state = [](const ccoc_host* host, const char* prefix, ccoc_bus_state_fn fn, void* user) -> size_t {
        BusCService* self = resolve(host);
        return self != nullptr ? self->readState(prefix, fn, user) : 0;
    };
    table_.send_command = [](const ccoc_host* host, const ccoc_bus_command* command, ccoc_bus_reply_fn fn, void* user) {
        BusCService* self = resolve(host);
        return self != nullptr ? self->sendCommand(command, fn, user) : CCOC_BUS_NOT_RUNNING;
    };
    table_.serve_commands = [](const ccoc_host* host, ccoc_bus_command_fn onCommand, ccoc_bus_deadman_fn onDeadman,
                               void* user) {
        BusCService* self = resolve(host);
        return self != nullptr ? self->serveCommands(onCommand, onDeadman, user) : CCOC_BUS_NOT_RUNNING;
    };
    table_.answer = [](const ccoc_host* host, uint64_t token, const ccoc_bus_reply* reply) {
        BusCService* self = resolve(host);
        return self != nullptr ? self->answer(token, reply) : CCOC_BUS_NOT_RUNNING;
    };
    table_.publish_event_acked = [](const ccoc_host* host, const char* path, const char* json, int timeoutMs) {
        BusCService* self = resolve(host);
        return self != nullptr ? self->publishEventAcked(path, json, timeoutMs) : CCOC_BUS_NOT_RUNNING;
    };
    table_.remove_state = [](const ccoc_host* host, const char* path) {
        BusCService* self = resolve(host);
        return self != nullptr ? self->removeState(path) : CCOC_BUS_NOT_RUNNING;
    };
        return table_;
    }();
    return &table;
}

BusCService::~BusCService()
{
    std::map<uint64_t, uint64_t> subscriptions;
    std::map<uint64_t, bus::Responder> pending;
    {
        std::lock_guard lock(mutex_);
        subscriptions.swap(subscriptions_);
        pending.swap(pending_);
    }
    for (const auto& [ours, theirs] : subscriptions) {
        client_.unsubscribe(theirs);
    }
    for (auto& [token, responder] : pending) {
        responder.answer({bus::CommandStatus::Unavailable, "the driver is stopping", "null"});
    }
}

int BusCService::publish(ccoc_bus_kind kind, const char* path, const char* json, uint32_t flags)
{
    if (path == nullptr || json == nullptr) {
        return CCOC_BUS_BAD_ARGUMENT;
    }
    bus::PublishOptions options;
    options.reliable = (flags & CCOC_BUS_RELIABLE) != 0;
    options.waitForRoom = waitForRoom_;
    switch (kind) {
    case CCOC_BUS_STATE:
        return codeOf(client_.publishState(path, json, options));
    case CCOC_BUS_EVENT:
        return codeOf(client_.publishEvent(path, json, options));
    case CCOC_BUS_TELEMETRY:
        return codeOf(client_.publishTelemetry(path, json, options));
    }
    return CCOC_BUS_BAD_ARGUMENT;
}

int BusCService::publishEventAcked(const char* path, const char* json, int timeoutMs)
{
    if (path == nullptr || json == nullptr || timeoutMs < 0) {
        return CCOC_BUS_BAD_ARGUMENT;
    }
    bus::PublishOptions options;
    options.reliable = true;
    options.waitForRoom = waitForRoom_;
    std::string id;
    options.messageIdOut = &id;
    if (const int code = codeOf(client_.publishEvent(path, json, options)); code != CCOC_BUS_OK) {
        return code;
    }
    return client_.waitAcknowledged(id, timeoutMs) ? CCOC_BUS_OK : CCOC_BUS_TIMEOUT;
}

int BusCService::removeState(const char* path)
{
    if (path == nullptr) {
        return CCOC_BUS_BAD_ARGUMENT;
    }
    return codeOf(client_.removeState(path));
}

uint64_t BusCService::subscribe(const char* prefix, ccoc_bus_message_fn fn, void* user)
{
    if (prefix == nullptr || fn == nullptr) {
        return 0;
    }
    // The Client's id is only known after subscribe returns; map ours to it.
    uint64_t ours = 0;
    {
        std::lock_guard lock(mutex_);
        ours = nextSubscription_++;
    }
    const uint64_t theirs = client_.subscribe(prefix, [this, fn, user, ours](const bus::Message& message) {
        post_([this, fn, user, ours, message] {
            {
                std::lock_guard lock(mutex_);
                if (subscriptions_.count(ours) == 0) {
                    return; // unsubscribed meanwhile
                }
            }
            ccoc_bus_message m{};
            m.struct_size = sizeof(m);
            m.kind = toCKind(message.kind);
            m.path = message.path.c_str();
            m.device = message.device.c_str();
            m.payload_json = message.payload.c_str();
            m.source = message.source.c_str();
            m.message_id = message.messageId.c_str();
            m.seq = message.seq;
            m.acquired_us = message.acquiredUs;
            m.received_us = message.receivedUs;
            m.broker_seq = message.brokerSeq;
            m.stale = message.stale;
            m.reliable = message.reliable;
            m.removed = message.removed;
            fn(user, &m);
        });
    });
    if (theirs == 0) {
        return 0;
    }
    std::lock_guard lock(mutex_);
    subscriptions_[ours] = theirs;
    return ours;
}

void BusCService::unsubscribe(uint64_t subscription)
{
    uint64_t theirs = 0;
    {
        std::lock_guard lock(mutex_);
        auto it = subscriptions_.find(subscription);
        if (it == subscriptions_.end()) {
            return;
        }
        theirs = it->second;
        subscriptions_.erase(it);
    }
    client_.unsubscribe(theirs);
}

size_t BusCService::readState(const char* prefix, ccoc_bus_state_fn fn, void* user)
{
    if (fn == nullptr) {
        return 0;
    }
    const std::vector<bus::StateEntry> entries = client_.stateSnapshot(prefix != nullptr ? prefix : "");
    for (const auto& entry : entries) {
        ccoc_bus_state_entry e{};
        e.struct_size = sizeof(e);
        e.path = entry.path.c_str();
        e.value_json = entry.value.c_str();
        e.source = entry.source.c_str();
        e.acquired_us = entry.acquiredUs;
        e.broker_seq = entry.brokerSeq;
        e.stale = entry.stale;
        fn(user, &e);
    }
    return entries.size();
}

int BusCService::sendCommand(const ccoc_bus_command* command, ccoc_bus_reply_fn fn, void* user)
{
    if (command == nullptr || command->device == nullptr || command->action == nullptr || fn == nullptr) {
        return CCOC_BUS_BAD_ARGUMENT;
    }
    bus::Command c;
    c.device = command->device;
    c.action = command->action;
    c.argsJson = command->args_json != nullptr ? command->args_json : "null";
    c.ttlMs = command->ttl_ms;
    c.deadmanMs = command->deadman_ms;
    return codeOf(client_.sendCommand(c, [this, fn, user](const bus::Reply& reply) {
        post_([fn, user, reply] {
            ccoc_bus_reply r{};
            r.struct_size = sizeof(r);
            r.status = toCStatus(reply.status);
            r.message = reply.message.c_str();
            r.result_json = reply.resultJson.c_str();
            fn(user, &r);
        });
    }));
}

int BusCService::serveCommands(ccoc_bus_command_fn onCommand, ccoc_bus_deadman_fn onDeadman, void* user)
{
    if (onCommand == nullptr) {
        return CCOC_BUS_BAD_ARGUMENT;
    }
    std::lock_guard lock(mutex_);
    onCommand_ = onCommand;
    onDeadman_ = onDeadman;
    commandUser_ = user;
    return CCOC_BUS_OK;
}

uint64_t BusCService::deliverCommand(const bus::IncomingCommand& command, bus::Responder responder)
{
    uint64_t token = 0;
    {
        std::lock_guard lock(mutex_);
        token = nextToken_++;
        pending_.emplace(token, std::move(responder));
    }
    post_([this, token, command] {
        ccoc_bus_command_fn handler = nullptr;
        void* user = nullptr;
        {
            std::lock_guard lock(mutex_);
            handler = onCommand_;
            user = commandUser_;
        }
        if (handler == nullptr) {
            bus::Reply reply{bus::CommandStatus::Unavailable, "nothing serves commands here", "null"};
            std::lock_guard lock(mutex_);
            if (auto it = pending_.find(token); it != pending_.end()) {
                it->second.answer(reply);
                pending_.erase(it);
            }
            return;
        }
        const int64_t remainingUs = command.deadlineSteadyUs - steadyUs();
        if (remainingUs <= 0) {
            // It waited for the plugin's thread past its deadline: the caller was told `timeout`,
            // so it must not reach the driver (protocol section 7.3).
            bus::Reply reply{bus::CommandStatus::Timeout, "deadline passed before the driver could act", "null"};
            std::lock_guard lock(mutex_);
            if (auto it = pending_.find(token); it != pending_.end()) {
                it->second.answer(reply);
                pending_.erase(it);
            }
            return;
        }
        ccoc_bus_incoming_command c{};
        c.struct_size = sizeof(c);
        c.token = token;
        c.device = command.device.c_str();
        c.action = command.action.c_str();
        c.args_json = command.argsJson.c_str();
        c.source = command.source.c_str();
        c.remaining_ms = static_cast<int32_t>(std::max<int64_t>(1, std::min<int64_t>(remainingUs / 1000, INT32_MAX)));
        c.deadman_ms = command.deadmanMs;
        handler(user, &c);
    });
    return token;
}

void BusCService::deliverDeadman(std::string device, std::string action)
{
    post_([this, device = std::move(device), action = std::move(action)] {
        ccoc_bus_deadman_fn handler = nullptr;
        void* user = nullptr;
        {
            std::lock_guard lock(mutex_);
            handler = onDeadman_;
            user = commandUser_;
        }
        if (handler != nullptr) {
            handler(user, device.c_str(), action.c_str());
        }
    });
}

int BusCService::answer(uint64_t token, const ccoc_bus_reply* reply)
{
    if (reply == nullptr) {
        return CCOC_BUS_BAD_ARGUMENT;
    }
    bus::Responder responder;
    {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(token);
        if (it == pending_.end()) {
            return CCOC_BUS_BAD_ARGUMENT;
        }
        responder = std::move(it->second);
        pending_.erase(it);
    }
    bus::Reply r;
    r.status = toCommandStatus(reply->status);
    r.message = reply->message != nullptr ? reply->message : "";
    r.resultJson = reply->result_json != nullptr ? reply->result_json : "null";
    responder.answer(std::move(r));
    return CCOC_BUS_OK;
}

} // namespace ccoc::runtime
