// ccoc::bus::Broker: what the broker does with each message type it receives (protocol
// sections 5-10). Runs on the broker's I/O thread only.
#include "broker_impl.hpp"

#include "json_scan.hpp"

#include <algorithm>
#include <cctype>

namespace ccoc::bus {
namespace {

std::string_view typeName(const Decoded& message) {
    const std::string_view type = message.envelope.type;
    return type.substr(0, type.find('/'));
}

constexpr size_t kSnapshotChunkBytes = 1u << 20;

} // namespace

void Broker::Impl::handle(std::vector<zmq::message_t>& parts) {
    ++statReceived;
    if (parts.size() < 2) {
        return;
    }
    const std::string routingId(static_cast<const char*>(parts[0].data()), parts[0].size());
    Peer& peer = peers[routingId];
    if (peer.routingId.empty()) {
        peer.routingId = routingId;
    }
    const int64_t nowUs = detail::steadyUs();
    peer.lastHeardSteadyUs = nowUs;
    DecodeResult result = decodeMessage(detail::partViews(parts, 1), config.limits);
    if (!result.ok()) {
        ++statBad;
        badInput(peer, result.error.message, nullptr, result.error.code == "version" ? "version" : "bad-message");
        return;
    }
    Decoded& message = *result.message;
    const std::string_view type = typeName(message);
    if (config.security.curve) {
        const char* userId = nullptr;
        try {
            userId = parts[1].gets("User-Id");
        } catch (const zmq::error_t&) {
            userId = nullptr;
        }
        if (userId == nullptr || message.envelope.source != userId) {
            refuse(peer, "message claims source '" + message.envelope.source + "' but its key belongs to '" +
                             std::string(userId != nullptr ? userId : "") + "'", &message);
            return;
        }
        if (peer.allow == nullptr) {
            for (const auto& entry : config.security.allow) {
                if (entry.name == userId) {
                    peer.allow = &entry;
                }
            }
        }
    }
    if (type == "hello") {
        onHello(peer, message);
        return;
    }
    if (!peer.helloDone) {
        notice(peer, "hello-required", "send hello/1 first", &message);
        if (type == "command") {
            sendReply(routingId, message.topic, message.envelope.id, "rejected", "send hello/1 first");
        }
        return;
    }
    if (message.envelope.source != peer.source) {
        refuse(peer, "message claims source '" + message.envelope.source + "' after hello as '" + peer.source + "'",
               &message);
        return;
    }
    if (peer.role == "driver") {
        std::string newer;
        {
            std::lock_guard lock(infoMutex);
            const auto found = drivers.find(peer.source);
            if (found != drivers.end() && found->second.routingId != routingId) {
                newer = found->second.session;
            }
        }
        if (!newer.empty()) {
            // A newer session of the same source id said hello (a restarted driver whose old
            // process still runs): only the newest speaks for it (section 7.1).
            refuse(peer, "session '" + peer.session + "' of '" + peer.source + "' is superseded by session '" + newer + "'",
                   &message, "superseded");
            return;
        }
    }
    if (message.envelope.seq != peer.lastSeq + 1 && peer.role == "driver") {
        // Something of this session's went missing: ask for its whole state again (section 6).
        sendToPeer(routingId, "bus/resync/", detail::kTypeResync,
                   "{\"reason\":\"sequence gap: expected " + std::to_string(peer.lastSeq + 1) + ", got " +
                       std::to_string(message.envelope.seq) + "\"}");
    }
    peer.lastSeq = message.envelope.seq;
    if (peer.role == "driver") {
        bool cameBack = false;
        Driver copy;
        {
            std::lock_guard lock(infoMutex);
            auto found = drivers.find(peer.source);
            if (found != drivers.end() && found->second.routingId == routingId) {
                found->second.lastHeardSteadyUs = nowUs;
                found->second.lastHeardWallUs = detail::wallClockUs();
                ++found->second.messages;
                if (!found->second.online) {
                    found->second.online = true;
                    ++statOnline;
                    cameBack = true;
                    copy = found->second;
                }
            }
        }
        if (cameBack) {
            peerLog(LogLevel::Info, peer.source, "back-online",
                    "bus broker: driver '" + peer.source + "' heard again; its devices are back online");
            tellWhatIsTaken(peer.source); // and takes back what waits for it with an offline owner
            {
                std::lock_guard lock(infoMutex);
                copy = drivers[peer.source];
            }
            publishDriverPresence(peer.source, copy);
            sendToPeer(routingId, "bus/resync/", detail::kTypeResync, "{\"reason\":\"back online\"}");
        }
    }
    if (type == "heartbeat") {
        std::string payload = "{\"epoch\":";
        detail::appendQuoted(payload, epoch);
        payload += ",\"broker_seq\":" + std::to_string(brokerSeq) + "}";
        sendToPeer(routingId, "bus/heartbeat/", detail::kTypeHeartbeat, payload);
    } else if (type == "state") {
        onState(peer, message);
    } else if (type == "event") {
        onEvent(peer, message);
    } else if (type == "telemetry") {
        onTelemetry(peer, message);
    } else if (type == "command") {
        onCommand(peer, message);
    } else if (type == "reply") {
        onReply(peer, message);
    } else if (type == "snapshot-request") {
        onSnapshotRequest(peer, message);
    } else if (type == "replay-request") {
        onReplayRequest(peer, message);
    } else if (type == "sync") {
        onSync(peer, message);
    }
    // Other types are from a later revision: ignored (protocol section 3).
}

bool Broker::Impl::allowedTopic(const Peer& peer, std::string_view topic) const {
    if (!config.security.curve) {
        return true;
    }
    if (peer.allow == nullptr) {
        return false;
    }
    if (topic.starts_with("reply/")) {
        const auto& devices = peer.allow->devices;
        return std::find(devices.begin(), devices.end(), detail::topicDevice(topic)) != devices.end();
    }
    for (const auto& prefix : peer.allow->publishPrefixes) {
        if (topic.starts_with(prefix) && (prefix.empty() || prefix.back() == '/' || topic[prefix.size()] == '/')) {
            return true;
        }
    }
    return false;
}

void Broker::Impl::sendToPeer(const std::string& routingId, std::string_view topic, std::string_view type,
                              std::string_view payload, std::string_view corr) {
    Envelope envelope = brokerEnvelope(type);
    envelope.corr = std::string(corr);
    detail::sendMessage(router, routingId, topic, encodeEnvelope(envelope), payload);
}

void Broker::Impl::sendReply(const std::string& routingId, std::string_view commandTopic, std::string_view corr,
                             std::string_view status, const std::string& message) {
    std::string topic = "reply/";
    topic += commandTopic.substr(std::min(commandTopic.size(), commandTopic.find('/') + 1));
    sendToPeer(routingId, topic, detail::kTypeReply, detail::replyPayload(status, message, "null"), corr);
}

void Broker::Impl::onHello(Peer& peer, const Decoded& message) {
    detail::JsonMembers members;
    std::vector<std::string_view> deviceTexts;
    std::vector<std::string> devices;
    std::string error = detail::readObject(message.payload, config.limits.maxDepth, members);
    const detail::JsonValue* role = detail::findMember(members, "role");
    const detail::JsonValue* list = detail::findMember(members, "devices");
    if (error.empty() && (role == nullptr || role->type != detail::JsonValue::Type::String ||
                          (role->string != "driver" && role->string != "console" && role->string != "tool"))) {
        error = "payload: 'role' must be \"driver\", \"console\" or \"tool\"";
    }
    if (error.empty() && list != nullptr) {
        error = detail::readArray(list->raw, config.limits.maxDepth, deviceTexts);
        for (const auto text : deviceTexts) {
            detail::JsonMembers none;
            detail::JsonValue value;
            std::string device(text.size() >= 2 ? text.substr(1, text.size() - 2) : std::string_view());
            if (text.size() < 2 || text.front() != '"' || !isValidSegment(device) || device.front() == '_') {
                error = "payload: 'devices' must be device ids (topic segments not starting with '_')";
                break;
            }
            devices.push_back(std::move(device));
        }
    }
    // The peer's own heartbeat interval, within bounds (section 9); absent: the broker's.
    int heartbeatMs = config.heartbeatMs;
    if (const detail::JsonValue* asked = detail::findMember(members, "heartbeat_ms");
        error.empty() && asked != nullptr) {
        if (asked->type != detail::JsonValue::Type::Integer) {
            error = "payload: 'heartbeat_ms' must be an integer";
        } else {
            heartbeatMs = static_cast<int>(std::clamp<int64_t>(asked->integer, kMinPeerHeartbeatMs, kMaxPeerHeartbeatMs));
        }
    }
    if (!error.empty()) {
        ++statBad;
        badInput(peer, "hello: " + error, &message);
        return;
    }
    const int offlineAfterMs = std::max(config.offlineAfterMs, 3 * heartbeatMs);
    if (config.security.curve) {
        for (const auto& device : devices) {
            const auto& owned = peer.allow != nullptr ? peer.allow->devices : std::vector<std::string>{};
            if (std::find(owned.begin(), owned.end(), device) == owned.end()) {
                std::string extra = ",\"device\":";
                detail::appendQuoted(extra, device);
                refuse(peer, "hello claims device '" + device + "' that its key may not own (not in its [[bus.allow]] devices)",
                       &message, "not-allowed", extra);
                return;
            }
        }
    }
    peer.source = message.envelope.source;
    peer.session = message.envelope.session;
    peer.role = role->string;
    peer.helloDone = true;
    peer.lastSeq = message.envelope.seq;
    peer.offlineAfterMs = offlineAfterMs;
    if (peer.role == "driver") {
        std::vector<std::string> previous;
        bool restarted = false;
        {
            std::lock_guard lock(infoMutex);
            Driver& driver = drivers[peer.source];
            restarted = !driver.session.empty() && driver.session != peer.session;
            previous = driver.devices;
            if (!driver.online) {
                ++statOnline;
            }
            driver.routingId = peer.routingId;
            driver.session = peer.session;
            driver.claimed = devices;
            driver.helloSteadyUs = detail::steadyUs();
            driver.heartbeatMs = heartbeatMs;
            driver.offlineAfterMs = offlineAfterMs;
            driver.online = true;
            driver.lastHeardSteadyUs = detail::steadyUs();
            driver.lastHeardWallUs = detail::wallClockUs();
        }
        claimDevices(peer, previous);
        Driver copy;
        {
            std::lock_guard lock(infoMutex);
            copy = drivers[peer.source];
        }
        if (restarted) {
            // Old values stay visible, flagged, until the new session republishes them.
            Driver old = copy;
            old.devices = previous;
            markDriverStale(peer.source, old);
        }
        publishDriverPresence(peer.source, copy);
    }
    std::string payload = "{\"epoch\":";
    detail::appendQuoted(payload, epoch);
    payload += ",\"heartbeat_ms\":" + std::to_string(heartbeatMs) +
               ",\"offline_after_ms\":" + std::to_string(offlineAfterMs) +
               ",\"broker_seq\":" + std::to_string(brokerSeq) + ",\"journal\":";
    detail::appendQuoted(payload, journalId);
    payload += ",\"event_seq\":" + std::to_string(lastEventSeq) + "}";
    sendToPeer(peer.routingId, "bus/welcome/", detail::kTypeWelcome, payload, message.envelope.id);
}

void Broker::Impl::onState(Peer& peer, Decoded& message) {
    if (std::string why; !mayPublishFor(peer, message.topic, why)) {
        refuse(peer, why, &message);
        return;
    }
    if (message.envelope.removed) {
        // Removing a key: forget it (a snapshot no longer has it) and tell every mirror, in order.
        auto found = retained.find(message.topic);
        if (found == retained.end()) {
            return;
        }
        Retained gone = std::move(found->second);
        retained.erase(found);
        statRetained = retained.size();
        gone.payload = "null";
        gone.attachments.clear();
        gone.source = message.envelope.source;
        gone.session = message.envelope.session;
        gone.receivedUs = detail::wallClockUs();
        gone.stale = false;
        publishState(message.topic, gone, message.envelope.id, true);
        return;
    }
    Retained& entry = retained[message.topic];
    entry.payload = std::move(message.payload);
    entry.source = message.envelope.source;
    entry.session = message.envelope.session;
    entry.acquiredUs = message.envelope.acquiredUs != 0 ? message.envelope.acquiredUs : message.envelope.sentUs;
    entry.receivedUs = detail::wallClockUs();
    entry.stale = false;
    entry.attachments = std::move(message.attachments);
    statRetained = retained.size();
    publishState(message.topic, entry, message.envelope.id);
}

void Broker::Impl::publishState(const std::string& topic, Retained& entry, std::string_view messageId, bool removed) {
    entry.brokerSeq = ++brokerSeq;
    statBrokerSeq = brokerSeq;
    Envelope envelope = brokerEnvelope(detail::kTypeState);
    if (!messageId.empty()) {
        envelope.id = std::string(messageId);
    }
    envelope.source = entry.source;
    envelope.session = entry.session;
    envelope.seq = 0;
    envelope.acquiredUs = entry.acquiredUs;
    envelope.receivedUs = entry.receivedUs;
    envelope.brokerSeq = entry.brokerSeq;
    envelope.stale = entry.stale;
    envelope.removed = removed;
    detail::sendMessage(publisher, {}, topic, encodeEnvelope(envelope), entry.payload, entry.attachments);
    ++statPublished;
}

void Broker::Impl::publishDriverPresence(const std::string& source, const Driver& driver) {
    std::string payload = "{\"online\":";
    payload += driver.online ? "true" : "false";
    payload += ",\"session\":";
    detail::appendQuoted(payload, driver.session);
    payload += ",\"devices\":[";
    for (size_t i = 0; i < driver.devices.size(); ++i) {
        payload += i == 0 ? "" : ",";
        detail::appendQuoted(payload, driver.devices[i]);
    }
    payload += "],\"waiting\":[";
    bool first = true;
    for (const auto& device : driver.claimed) {
        if (std::find(driver.devices.begin(), driver.devices.end(), device) == driver.devices.end()) {
            payload += first ? "" : ",";
            first = false;
            detail::appendQuoted(payload, device);
        }
    }
    payload += "],\"heartbeat_ms\":" + std::to_string(driver.heartbeatMs);
    payload += ",\"last_heard_us\":" + std::to_string(driver.lastHeardWallUs) + "}";
    const std::string topic = "state/_bus/drivers/" + source + "/";
    Retained& entry = retained[topic];
    entry.payload = std::move(payload);
    entry.source = std::string(detail::kBrokerSource);
    entry.session = epoch;
    entry.acquiredUs = entry.receivedUs = detail::wallClockUs();
    statRetained = retained.size();
    publishState(topic, entry, {});
}

void Broker::Impl::markDriverStale(const std::string& /*source*/, const Driver& driver) {
    for (const auto& device : driver.devices) {
        const std::string prefix = "state/" + device + "/";
        for (auto it = retained.lower_bound(prefix); it != retained.end() && it->first.starts_with(prefix); ++it) {
            if (!it->second.stale) {
                it->second.stale = true;
                publishState(it->first, it->second, {});
            }
        }
    }
}

void Broker::Impl::onTelemetry(Peer& peer, Decoded& message) {
    if (!allowedTopic(peer, message.topic)) {
        refuse(peer, "may not publish " + message.topic, &message);
        return;
    }
    if (config.maxRatePerSender > 0) {
        const int64_t nowUs = detail::steadyUs();
        const double rate = config.maxRatePerSender;
        peer.tokens = std::min(rate, peer.tokens + static_cast<double>(nowUs - peer.tokensAtUs) * rate / 1e6);
        peer.tokensAtUs = nowUs;
        if (peer.tokens < 1.0) {
            ++statRateLimited;
            notice(peer, "rate-limited",
                   "over max_rate (" + std::to_string(static_cast<int64_t>(rate)) + " messages/s): dropped", &message);
            return;
        }
        peer.tokens -= 1.0;
    }
    message.envelope.receivedUs = detail::wallClockUs();
    detail::sendMessage(publisher, {}, message.topic, encodeEnvelope(message.envelope), message.payload,
                        message.attachments);
    ++statPublished;
}

void Broker::Impl::onEvent(Peer& peer, Decoded& message) {
    if (std::string why; !mayPublishFor(peer, message.topic, why)) {
        refuse(peer, why, &message);
        return;
    }
    if (!message.envelope.reliable) {
        onTelemetry(peer, message); // same path: may be rate limited and dropped
        return;
    }
    message.envelope.receivedUs = detail::wallClockUs();
    detail::JournalWriter::StoreRequest request;
    request.routingId = peer.routingId;
    request.source = message.envelope.source;
    request.messageId = message.envelope.id;
    std::string key = request.source + "/" + request.messageId; // a source has no '/'
    if (const auto known = recentEvents.find(key); known != recentEvents.end()) {
        // A resend (the ack was late or lost): published once already; ack it once it is stored.
        request.seq = known->second;
        request.knownDuplicate = true;
        journal.submit(std::move(request));
        return;
    }
    if (lastEventSeq - settledEventSeq >= detail::Journal::kUncleanGap - 1) {
        // Numbers may run at most this far ahead of the journal (a restart leaves that gap): the
        // sender keeps the event and resends it (section 8.1). Everything else flows on.
        notice(peer, "journal-busy",
               std::to_string(lastEventSeq - settledEventSeq) + " events wait for the journal; resend later", &message);
        return;
    }
    // Subscribers hear of it now; the sender's ack waits for the journal (section 8).
    message.envelope.eventSeq = ++lastEventSeq;
    message.envelope.journal = journalId;
    statEventSeq = lastEventSeq;
    request.seq = lastEventSeq;
    request.topic = message.topic;
    request.envelope = encodeEnvelope(message.envelope);
    detail::sendMessage(publisher, {}, message.topic, request.envelope, message.payload);
    ++statPublished;
    request.payload = std::move(message.payload);
    rememberEvent(std::move(key), lastEventSeq);
    journal.submit(std::move(request));
}

void Broker::Impl::rememberEvent(std::string key, uint64_t seq) {
    if (!recentEvents.emplace(key, seq).second) {
        return;
    }
    recentOrder.push_back(std::move(key));
    if (recentOrder.size() > kRecentEvents) {
        recentEvents.erase(recentOrder.front());
        recentOrder.pop_front();
    }
}

void Broker::Impl::takeJournalResults() {
    journalResults.clear();
    journal.take(journalResults);
    for (auto& result : journalResults) {
        if (auto* stored = std::get_if<detail::JournalWriter::Stored>(&result)) {
            // Only stored events come back (a failing journal holds them; section 8.1).
            settledEventSeq = std::max(settledEventSeq, stored->seq);
            sendToPeer(stored->routingId, "bus/ack/", detail::kTypeAck, "{}", stored->messageId);
            if (stored->republished) {
                log(LogLevel::Debug, "bus broker: event " + stored->messageId + " from '" + stored->source +
                                         "' was resent after more than " + std::to_string(kRecentEvents) +
                                         " newer events; subscribers got it twice");
            }
            continue;
        }
        if (auto* health = std::get_if<detail::JournalWriter::Health>(&result)) {
            onJournalHealth(*health);
            continue;
        }
        auto& replayed = std::get<detail::JournalWriter::Replayed>(result);
        for (const auto& row : replayed.rows) {
            DecodeResult stored = decodeMessage({row.topic, row.envelope, row.payload}, config.limits);
            if (!stored.ok()) {
                continue;
            }
            Envelope envelope = stored.message->envelope;
            envelope.eventSeq = row.seq;
            envelope.journal = journalId;
            detail::sendMessage(router, replayed.routingId, row.topic, encodeEnvelope(envelope), row.payload);
        }
        // Everything up to `through` has now reached this peer or never will (numbers left out
        // after a crash, events the journal could not store or has trimmed): the peer may stop
        // waiting for them.
        std::string payload = "{\"journal\":";
        detail::appendQuoted(payload, journalId);
        payload += ",\"after\":" + std::to_string(replayed.after) + ",\"through\":" +
                   std::to_string(replayed.through) + "}";
        sendToPeer(replayed.routingId, "bus/replay-end/", detail::kTypeReplayEnd, payload, replayed.requestId);
    }
}

void Broker::Impl::onReplayRequest(Peer& peer, const Decoded& message) {
    detail::JsonMembers members;
    if (std::string error = detail::readObject(message.payload, config.limits.maxDepth, members); !error.empty()) {
        badInput(peer, "replay-request: " + error, &message);
        return;
    }
    const detail::JsonValue* journalRequested = detail::findMember(members, "journal");
    const detail::JsonValue* after = detail::findMember(members, "after");
    uint64_t from = 0;
    if (journalRequested != nullptr && journalRequested->string == journalId && after != nullptr &&
        after->type == detail::JsonValue::Type::Integer && after->integer > 0) {
        from = static_cast<uint64_t>(after->integer);
    }
    journal.submit(detail::JournalWriter::ReplayRequest{peer.routingId, message.envelope.id, from, lastEventSeq});
}

void Broker::Impl::onCommand(Peer& peer, const Decoded& message) {
    const std::string device(detail::topicDevice(message.topic));
    if (!allowedTopic(peer, message.topic)) {
        refuse(peer, "may not send " + message.topic, &message);
        sendReply(peer.routingId, message.topic, message.envelope.id, "rejected", "not allowed to command " + device);
        return;
    }
    if (message.envelope.ttlMs <= 0) {
        sendReply(peer.routingId, message.topic, message.envelope.id, "rejected", "command without ttl_ms");
        return;
    }
    if (std::count(message.topic.begin(), message.topic.end(), '/') != 3) {
        // ACTION is one segment (section 4): "ptz.move", never "ptz/move".
        sendReply(peer.routingId, message.topic, message.envelope.id, "rejected",
                  "command topic must be cmd/DEVICE/ACTION/ with ACTION one segment, not " + message.topic);
        return;
    }
    if (pending.contains(message.envelope.id)) {
        sendReply(peer.routingId, message.topic, message.envelope.id, "rejected", "command id already pending");
        return;
    }
    const auto owner = owners.find(device);
    std::string ownerRoutingId;
    bool online = false;
    if (owner != owners.end()) {
        std::lock_guard lock(infoMutex);
        const auto driver = drivers.find(owner->second);
        if (driver != drivers.end()) {
            ownerRoutingId = driver->second.routingId;
            online = driver->second.online;
        }
    }
    if (owner == owners.end() || !online) {
        sendReply(peer.routingId, message.topic, message.envelope.id, "unavailable",
                  owner == owners.end() ? "no driver owns device '" + device + "'"
                                        : "driver '" + owner->second + "' of device '" + device + "' is offline");
        return;
    }
    Envelope forwarded = message.envelope;
    forwarded.receivedUs = detail::wallClockUs();
    // The absolute deadline, in this broker's clock: the driver must not act after it, and this
    // broker answers `timeout` at the same moment (section 7), so the two never disagree.
    forwarded.deadlineUs = forwarded.receivedUs + message.envelope.ttlMs * 1000;
    const int64_t deadlineSteadyUs = detail::steadyUs() + message.envelope.ttlMs * 1000;
    if (!detail::sendMessage(router, ownerRoutingId, message.topic, encodeEnvelope(forwarded), message.payload)) {
        sendReply(peer.routingId, message.topic, message.envelope.id, "unavailable",
                  "driver '" + owner->second + "' cannot take commands now");
        return;
    }
    ++statCommands;
    pending[message.envelope.id] = PendingCommand{peer.routingId, owner->second, message.topic, deadlineSteadyUs,
                                                  static_cast<int>(message.envelope.ttlMs)};
}

void Broker::Impl::onReply(Peer& peer, const Decoded& message) {
    const auto found = pending.find(message.envelope.corr);
    if (found == pending.end()) {
        ++statLateReplies; // after its timeout, or a second answer: dropped (section 7)
        notice(peer, "late-reply",
               "reply to command '" + message.envelope.corr +
                   "' dropped: the broker has answered it already (timeout at its deadline, or an earlier reply)",
               &message);
        return;
    }
    if (found->second.ownerSource != peer.source) {
        refuse(peer, "reply to a command sent to '" + found->second.ownerSource + "'", &message);
        return;
    }
    Envelope forwarded = message.envelope;
    forwarded.receivedUs = detail::wallClockUs();
    detail::sendMessage(router, found->second.callerRoutingId, message.topic, encodeEnvelope(forwarded),
                        message.payload);
    pending.erase(found);
}

// A peer's subscription barrier (protocol section 5): publish the token back on the PUB. The peer
// subscribed to it after its other subscriptions, on the same connection, so when it sees this
// every earlier subscription is in effect here.
void Broker::Impl::onSync(Peer& peer, const Decoded& message) {
    detail::JsonMembers members;
    if (std::string error = detail::readObject(message.payload, config.limits.maxDepth, members); !error.empty()) {
        badInput(peer, "sync: " + error, &message);
        return;
    }
    const auto* value = detail::findMember(members, "token");
    const std::string token = value != nullptr ? value->string : std::string();
    const bool valid = !token.empty() && token.size() <= 64 && token != "." && token != ".." &&
                       std::all_of(token.begin(), token.end(), [](char c) {
                           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
                       });
    if (!valid) {
        badInput(peer, "sync: 'token' must be 1 to 64 characters of A-Z a-z 0-9 - _ .", &message);
        return;
    }
    Envelope envelope = brokerEnvelope(detail::kTypeSync);
    envelope.corr = message.envelope.id;
    detail::sendMessage(publisher, {}, "bus/sync/" + token + "/", encodeEnvelope(envelope), "{}");
}

void Broker::Impl::onSnapshotRequest(Peer& peer, const Decoded& message) {
    detail::JsonMembers members;
    std::string prefix;
    if (std::string error = detail::readObject(message.payload, config.limits.maxDepth, members); !error.empty()) {
        badInput(peer, "snapshot-request: " + error, &message);
        return;
    }
    if (const auto* value = detail::findMember(members, "prefix"); value != nullptr) {
        prefix = value->string;
    }
    const auto begin = prefix.empty() ? retained.begin() : retained.lower_bound(prefix);
    std::string items;
    auto flush = [&](bool last) {
        std::string payload = "{\"items\":[" + items + "],\"last\":" + (last ? "true" : "false") +
                              ",\"broker_seq\":" + std::to_string(brokerSeq) + "}";
        sendToPeer(peer.routingId, "bus/snapshot/", detail::kTypeSnapshot, payload, message.envelope.id);
        items.clear();
    };
    for (auto it = begin; it != retained.end() && it->first.starts_with(prefix); ++it) {
        const Retained& entry = it->second;
        items += items.empty() ? "{\"topic\":" : ",{\"topic\":";
        detail::appendQuoted(items, it->first);
        items += ",\"value\":" + entry.payload + ",\"src\":";
        detail::appendQuoted(items, entry.source);
        items += ",\"session\":";
        detail::appendQuoted(items, entry.session);
        items += ",\"acquired_us\":" + std::to_string(entry.acquiredUs) +
                 ",\"broker_seq\":" + std::to_string(entry.brokerSeq) + ",\"stale\":" + (entry.stale ? "true" : "false") +
                 "}";
        if (items.size() >= kSnapshotChunkBytes) {
            flush(false);
        }
    }
    flush(true);
}

} // namespace ccoc::bus
