// ccoc::bus::Client: commands, both ways (protocol section 7). A sent command gets exactly one
// reply; a served command is answered exactly once through its Responder; continuous actions
// stop when their dead-man interval runs out.
#include "client_impl.hpp"

#include "json_scan.hpp"

#include <algorithm>

namespace ccoc::bus {
namespace {

constexpr int64_t kLocalGraceUs = 1000000; // the broker's own timeout comes first

Reply parseReply(std::string_view payload) {
    detail::JsonMembers members;
    Reply reply;
    if (!detail::readObject(payload, 64, members).empty()) {
        return Reply{CommandStatus::Error, "malformed reply", "null"};
    }
    const detail::JsonValue* status = detail::findMember(members, "status");
    const auto parsed = status != nullptr ? parseCommandStatus(status->string) : std::nullopt;
    if (!parsed) {
        return Reply{CommandStatus::Error, "reply without a known status", "null"};
    }
    reply.status = *parsed;
    if (const auto* message = detail::findMember(members, "message"); message != nullptr) {
        reply.message = message->string;
    }
    if (const auto* result = detail::findMember(members, "result"); result != nullptr) {
        reply.resultJson = std::string(result->raw);
    }
    return reply;
}

void postReply(Outbox& outbox, const std::string& replyTopic, const std::string& commandId, const Reply& reply) {
    Envelope envelope;
    envelope.type = std::string(detail::kTypeReply);
    envelope.corr = commandId;
    const std::string result = checkJson(reply.resultJson, 32).empty() ? reply.resultJson : "null";
    outbox.post(std::move(envelope), replyTopic,
                detail::replyPayload(commandStatusName(reply.status), reply.message, result), {}, SIZE_MAX, false);
}

} // namespace

// --- Responder ---------------------------------------------------------------------------------

Responder::~Responder() {
    if (m_state && !m_state->answered) {
        answer(Reply{CommandStatus::Error, "driver dropped the command without answering", "null"});
    }
}
Responder::Responder(Responder&&) noexcept = default;
Responder& Responder::operator=(Responder&& other) noexcept {
    if (this != &other) {
        if (m_state && !m_state->answered) {
            answer(Reply{CommandStatus::Error, "driver dropped the command without answering", "null"});
        }
        m_state = std::move(other.m_state);
    }
    return *this;
}

bool Responder::answer(Reply reply) {
    if (!m_state || m_state->answered.exchange(true)) {
        return false;
    }
    postReply(*m_state->outbox, m_state->replyTopic, m_state->commandId, reply);
    return true;
}

bool Responder::answered() const noexcept { return !m_state || m_state->answered; }

// --- sending -----------------------------------------------------------------------------------

Status Client::sendCommand(const Command& command, ReplyHandler onReply) {
    Impl& impl = *m_impl;
    if (!impl.started) {
        return Status::failure("bus client: not started");
    }
    if (!isValidSegment(command.device) || !isValidSegment(command.action)) {
        return Status::failure("bus client: command device '" + command.device + "' and action '" + command.action +
                               "' must be topic segments");
    }
    if (command.ttlMs < 1 || command.ttlMs > 600000 || command.deadmanMs < 0 || command.deadmanMs > 600000) {
        return Status::failure("bus client: command ttl_ms must be 1..600000 and deadman_ms 0..600000");
    }
    const std::string args = command.argsJson.empty() ? "null" : command.argsJson;
    if (std::string error = checkJson(args, impl.config.limits.maxDepth); !error.empty()) {
        return Status::failure("bus client: command arguments: " + error);
    }
    Envelope envelope;
    envelope.type = std::string(detail::kTypeCommand);
    envelope.ttlMs = command.ttlMs;
    envelope.deadmanMs = command.deadmanMs;
    // Fix the id now so the waiting entry exists before any reply can arrive.
    envelope.id = impl.outbox->session + ":c" + detail::randomHex(6);
    const std::string id = envelope.id;
    const int64_t deadline = detail::steadyUs() + static_cast<int64_t>(command.ttlMs) * 1000 + kLocalGraceUs;
    impl.outbox->postTask([&impl, id, deadline, handler = std::move(onReply)]() mutable {
        impl.waiting[id] = Impl::Waiting{std::move(handler), deadline};
    });
    if (!impl.outbox->post(std::move(envelope), makeTopic("cmd", command.device + "/" + command.action),
                           "{\"args\":" + args + "}", {}, SIZE_MAX, false)) {
        return Status::failure("bus client: stopped");
    }
    return Status::success();
}

void Client::Impl::onReply(const Decoded& message) {
    const auto found = waiting.find(message.envelope.corr);
    if (found == waiting.end()) {
        ++statDropped; // late: already answered by the local timeout
        return;
    }
    ReplyHandler handler = std::move(found->second.handler);
    waiting.erase(found);
    const Reply reply = parseReply(message.payload);
    if (handler) {
        callback([handler, reply] { handler(reply); }, false);
    }
}

void Client::Impl::expireCommands(int64_t nowUs) {
    for (auto it = waiting.begin(); it != waiting.end();) {
        if (nowUs >= it->second.deadlineUs) {
            ReplyHandler handler = std::move(it->second.handler);
            it = waiting.erase(it);
            if (handler) {
                callback([handler] { handler(Reply{CommandStatus::Timeout, "no reply from the bus in time", "null"}); },
                         false);
            }
        } else {
            ++it;
        }
    }
    for (auto it = deadmen.begin(); it != deadmen.end();) {
        if (nowUs >= it->second.second) {
            const std::string key = it->first;
            const std::string device = key.substr(0, key.find('/'));
            const std::string action = it->second.first;
            it = deadmen.erase(it);
            if (deadmanHandler) {
                DeadmanHandler handler = deadmanHandler;
                callback([handler, device, action] { handler(device, action); }, false);
            }
        } else {
            ++it;
        }
    }
}

void Client::Impl::failAllCommands() {
    for (auto& [id, entry] : waiting) {
        if (entry.handler) {
            entry.handler(Reply{CommandStatus::Unavailable, "bus client stopped", "null"});
        }
    }
    waiting.clear();
}

// --- serving -----------------------------------------------------------------------------------

void Client::serveCommands(CommandHandler handler, DeadmanHandler onDeadman) {
    m_impl->commandHandler = std::move(handler);
    m_impl->deadmanHandler = std::move(onDeadman);
}

void Client::Impl::onCommand(const Decoded& message) {
    const std::string device(detail::topicDevice(message.topic));
    const std::string action(detail::topicLastSegment(message.topic));
    const std::string replyTopic = "reply/" + std::string(detail::topicPath(message.topic)) + "/";
    const int64_t nowUs = detail::steadyUs();
    const int64_t wallUs = detail::wallClockUs();
    // The broker stamped when it received the command: a timestamp of its clock like any other.
    brokerClock.observe(message.envelope.receivedUs, wallUs, nowUs);
    // The deadline the broker set, in our steady clock (protocol section 7.2). A broker that
    // predates deadline_us leaves only ttl_ms, counted from our receipt.
    int64_t deadlineSteadyUs = nowUs + message.envelope.ttlMs * 1000;
    if (message.envelope.deadlineUs > 0) {
        deadlineSteadyUs =
            std::min(deadlineSteadyUs, nowUs + brokerClock.remainingUs(message.envelope.deadlineUs, wallUs));
    }
    if (!commandHandler) {
        postReply(*outbox, replyTopic, message.envelope.id,
                  Reply{CommandStatus::Unavailable, "this client serves no commands", "null"});
        return;
    }
    if (deadlineSteadyUs <= nowUs) {
        // Expired on the way (this driver was frozen, or its queue was long): the broker has
        // answered `timeout` already, so this must never run (protocol section 7.3).
        postReply(*outbox, replyTopic, message.envelope.id,
                  Reply{CommandStatus::Timeout, "deadline passed before the driver received the command", "null"});
        return;
    }
    if (message.envelope.deadmanMs > 0) {
        deadmen[device + "/" + action] = {action, nowUs + message.envelope.deadmanMs * 1000};
    }
    IncomingCommand command;
    command.messageId = message.envelope.id;
    command.source = message.envelope.source;
    command.device = device;
    command.action = action;
    detail::JsonMembers members;
    detail::readObject(message.payload, config.limits.maxDepth + 1, members);
    const auto* args = detail::findMember(members, "args");
    command.argsJson = args != nullptr ? std::string(args->raw) : "null";
    command.deadlineSteadyUs = deadlineSteadyUs;
    command.deadmanMs = static_cast<int>(message.envelope.deadmanMs);
    auto state = std::make_shared<Responder::State>();
    state->outbox = outbox;
    state->commandId = message.envelope.id;
    state->replyTopic = replyTopic;
    CommandHandler handler = commandHandler;
    callback([handler, command, state]() mutable {
        Responder responder(state);
        if (detail::steadyUs() >= command.deadlineSteadyUs) {
            // Its time to live ran out while it waited: not executed (protocol section 7).
            responder.answer(Reply{CommandStatus::Timeout, "time to live ran out before execution", "null"});
            return;
        }
        handler(command, std::move(responder));
    }, false);
}

} // namespace ccoc::bus
