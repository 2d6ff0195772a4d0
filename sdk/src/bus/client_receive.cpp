// ccoc::bus::Client: what arrives from the broker. The retained-state mirror follows the Clone
// pattern (protocol section 6); reliable events are deduplicated and replayed (section 8).
// Runs on the client's I/O thread only.
#include "client_impl.hpp"

#include "json_scan.hpp"

#include <algorithm>

namespace ccoc::bus {
namespace {

using detail::JsonMembers;
using detail::JsonValue;

std::string_view typeName(const Decoded& message) {
    const std::string_view type = message.envelope.type;
    return type.substr(0, type.find('/'));
}

int64_t memberInt(const JsonMembers& members, std::string_view key) {
    const JsonValue* value = detail::findMember(members, key);
    return value != nullptr && value->type == JsonValue::Type::Integer ? value->integer : 0;
}

std::string memberString(const JsonMembers& members, std::string_view key) {
    const JsonValue* value = detail::findMember(members, key);
    return value != nullptr && value->type == JsonValue::Type::String ? value->string : std::string();
}

bool memberBool(const JsonMembers& members, std::string_view key) {
    const JsonValue* value = detail::findMember(members, key);
    return value != nullptr && value->type == JsonValue::Type::Bool && value->boolean;
}

constexpr size_t kSeenIds = 65536;
constexpr size_t kMaxPendingUpdates = 1000000;
constexpr size_t kMaxHandledAbove = 100000;

} // namespace

void Client::Impl::observeBrokerClock(const Decoded& message) {
    if (message.envelope.source == detail::kBrokerSource) {
        brokerClock.observe(message.envelope.sentUs, detail::wallClockUs(), detail::steadyUs());
    }
}

void Client::Impl::onDealerMessage(Decoded& message) {
    lastHeardUs = detail::steadyUs();
    observeBrokerClock(message);
    const std::string_view type = typeName(message);
    if (type == "welcome") {
        onWelcome(message);
    } else if (type == "heartbeat") {
        onBrokerHeartbeat(message, false);
    } else if (type == "notice") {
        JsonMembers members;
        detail::readObject(message.payload, brokerLimits.maxDepth, members);
        if (memberString(members, "code") == "hello-required") {
            helloNeeded(); // the broker forgot us (restart): once, however many notices come
        }
    } else if (type == "ack") {
        unacked.erase(message.envelope.corr);
        statPending = unacked.size();
        std::lock_guard lock(readyMutex);
        if (pendingReliable.erase(message.envelope.corr) != 0) {
            readyChanged.notify_all();
        }
    } else if (type == "command") {
        onCommand(message);
    } else if (type == "reply") {
        onReply(message);
    } else if (type == "snapshot") {
        onSnapshot(message);
    } else if (type == "resync") {
        republishState();
    } else if (type == "event") {
        onEvent(message); // replayed from the journal
    } else if (type == "replay-end") {
        onReplayEnd(message);
    }
}

void Client::Impl::onSubMessage(Decoded& message) {
    const std::string_view type = typeName(message);
    if (type == "heartbeat") {
        observeBrokerClock(message);
        onBrokerHeartbeat(message, true);
    } else if (type == "state") {
        onState(message);
    } else if (type == "event") {
        onEvent(message);
    } else if (type == "telemetry") {
        deliver(message, Kind::Telemetry);
    } else if (type == "sync") {
        // bus/sync/TOKEN/: a subscription barrier has been reached
        const std::string_view topic = message.topic;
        constexpr std::string_view kPrefix = "bus/sync/";
        if (topic.size() > kPrefix.size() + 1 && topic.substr(0, kPrefix.size()) == kPrefix) {
            std::string token(topic.substr(kPrefix.size(), topic.size() - kPrefix.size() - 1));
            if (syncPending.erase(token) != 0) {
                sub.set(zmq::sockopt::unsubscribe, std::string(topic));
                std::lock_guard lock(readyMutex);
                syncReached.insert(std::move(token));
                readyChanged.notify_all();
            }
        }
    }
}

void Client::Impl::onWelcome(const Decoded& message) {
    if (std::find(helloIds.begin(), helloIds.end(), message.envelope.corr) == helloIds.end()) {
        return; // a second answer (to a retried hello), or to a hello before the last welcome
    }
    helloIds.clear();
    JsonMembers members;
    detail::readObject(message.payload, brokerLimits.maxDepth, members);
    const std::string welcomeEpoch = memberString(members, "epoch");
    if (welcomeEpoch != epoch) {
        // Another broker, perhaps on another machine: only its own timestamps say its clock.
        brokerClock.reset();
        observeBrokerClock(message);
    }
    epoch = welcomeEpoch;
    const std::string journalId = memberString(members, "journal");
    const auto eventSeq = static_cast<uint64_t>(memberInt(members, "event_seq"));
    welcomed = true;
    lastHeardUs = detail::steadyUs();
    statOfflineAfterMs = memberInt(members, "offline_after_ms");
    ++statWelcomes;
    republishState();
    const int64_t nowUs = detail::steadyUs();
    for (auto& [id, event] : unacked) {
        event.lastSentUs = nowUs;
        outbox->post(event.envelope, event.topic, event.payload, {}, SIZE_MAX, false);
    }
    if (config.mirrorState) {
        requestSnapshot();
    }
    if (config.receiveReliableEvents) {
        if (!cursorSet) {
            eventCursor = eventSeq; // from now on; history is the host journal's business
            cursorSet = true;
        } else if (journalId != journal) {
            eventCursor = 0; // a new journal: everything in it is new to us
            handledAbove.clear();
        }
        journal = journalId;
        if (eventSeq > eventCursor) {
            lastReplayUs = 0;
            requestReplay();
        }
    } else {
        journal = journalId;
    }
    statConnected = true;
    readyChanged.notify_all();
    flushOutbox();
}

void Client::Impl::onBrokerHeartbeat(const Decoded& message, bool fromPublisher) {
    JsonMembers members;
    detail::readObject(message.payload, brokerLimits.maxDepth, members);
    const std::string heardEpoch = memberString(members, "epoch");
    if (fromPublisher && !welcomed) {
        return;
    }
    lastHeardUs = detail::steadyUs();
    if (!heardEpoch.empty() && heardEpoch != epoch) {
        helloNeeded(); // a new broker: hello again (once), then resync and resend
        return;
    }
    if (!fromPublisher) {
        return;
    }
    const auto brokerSeq = static_cast<uint64_t>(memberInt(members, "broker_seq"));
    if (config.mirrorState && phase == MirrorPhase::Synced && brokerSeq > lastBrokerSeq) {
        ++statResyncs; // updates before this heartbeat never reached us
        requestSnapshot();
    }
    const auto eventSeq = static_cast<uint64_t>(memberInt(members, "event_seq"));
    if (config.receiveReliableEvents && cursorSet && memberString(members, "journal") == journal &&
        eventSeq > eventCursor) {
        requestReplay();
    }
}

void Client::Impl::requestSnapshot() {
    phase = MirrorPhase::Requesting;
    statSynced = false;
    snapshotBuffer.clear();
    pendingUpdates.clear();
    snapshotDeadlineUs = detail::steadyUs() + 5000000;
    sendControl("bus/snapshot-request/", detail::kTypeSnapshotRequest, "{\"prefix\":\"state/\"}");
}

void Client::Impl::requestReplay() {
    const int64_t nowUs = detail::steadyUs();
    if (nowUs - lastReplayUs < 300000) {
        return;
    }
    lastReplayUs = nowUs;
    std::string payload = "{\"journal\":";
    detail::appendQuoted(payload, journal);
    payload += ",\"after\":" + std::to_string(eventCursor) + "}";
    sendControl("bus/replay-request/", detail::kTypeReplayRequest, std::move(payload));
}

void Client::Impl::onReplayEnd(const Decoded& message) {
    JsonMembers members;
    detail::readObject(message.payload, brokerLimits.maxDepth, members);
    const auto through = static_cast<uint64_t>(memberInt(members, "through"));
    if (!config.receiveReliableEvents || !cursorSet || memberString(members, "journal") != journal) {
        return;
    }
    if (config.onEventsSettled) {
        // Queued behind the replayed events' callbacks, so the application sees it after them.
        callback([handler = config.onEventsSettled, journalId = journal, through] { handler(journalId, through); },
                 false);
    }
    if (through <= eventCursor) {
        return;
    }
    // The replay's events came before this on the same socket: numbers up to `through` that we
    // still miss do not exist (left out after a broker crash, or trimmed).
    eventCursor = through;
    handledAbove.erase(handledAbove.begin(), handledAbove.upper_bound(through));
    while (!handledAbove.empty() && *handledAbove.begin() == eventCursor + 1) {
        handledAbove.erase(handledAbove.begin());
        ++eventCursor;
    }
}

void Client::Impl::onSnapshot(const Decoded& message) {
    if (phase != MirrorPhase::Requesting || message.envelope.corr != snapshotId) {
        return;
    }
    JsonMembers members;
    std::vector<std::string_view> items;
    if (!detail::readObject(message.payload, brokerLimits.maxDepth, members).empty()) {
        ++statDropped;
        return;
    }
    const JsonValue* list = detail::findMember(members, "items");
    if (list == nullptr || !detail::readArray(list->raw, brokerLimits.maxDepth, items).empty()) {
        ++statDropped;
        return;
    }
    JsonMembers fields;
    for (const auto item : items) {
        if (!detail::readObject(item, brokerLimits.maxDepth, fields).empty()) {
            continue;
        }
        const std::string topic = memberString(fields, "topic");
        const JsonValue* value = detail::findMember(fields, "value");
        if (value == nullptr || !topic.starts_with("state/")) {
            continue;
        }
        StateEntry entry;
        entry.path = std::string(detail::topicPath(topic));
        entry.value = std::string(value->raw);
        entry.source = memberString(fields, "src");
        entry.session = memberString(fields, "session");
        entry.acquiredUs = memberInt(fields, "acquired_us");
        entry.brokerSeq = static_cast<uint64_t>(memberInt(fields, "broker_seq"));
        entry.stale = memberBool(fields, "stale");
        snapshotBuffer[entry.path] = std::move(entry);
    }
    if (!memberBool(members, "last")) {
        snapshotDeadlineUs = detail::steadyUs() + 5000000;
        return;
    }
    // The snapshot is consistent at broker_seq S; keep updates after S only (Clone pattern).
    std::vector<StateEntry> changed;
    {
        std::lock_guard lock(mirrorMutex);
        for (const auto& [path, entry] : snapshotBuffer) {
            const auto old = mirror.find(path);
            if (old == mirror.end() || old->second.brokerSeq != entry.brokerSeq || old->second.value != entry.value) {
                changed.push_back(entry);
            }
        }
        mirror.swap(snapshotBuffer);
    }
    snapshotBuffer.clear();
    lastBrokerSeq = static_cast<uint64_t>(memberInt(members, "broker_seq"));
    phase = MirrorPhase::Synced;
    for (const auto& entry : changed) {
        Decoded asMessage;
        asMessage.topic = makeTopic("state", entry.path);
        asMessage.payload = entry.value;
        asMessage.envelope.source = entry.source;
        asMessage.envelope.session = entry.session;
        asMessage.envelope.acquiredUs = entry.acquiredUs;
        asMessage.envelope.brokerSeq = entry.brokerSeq;
        asMessage.envelope.stale = entry.stale;
        deliver(asMessage, Kind::State);
    }
    std::vector<Decoded> queued;
    queued.swap(pendingUpdates);
    for (auto& update : queued) {
        if (phase != MirrorPhase::Synced) {
            pendingUpdates.push_back(std::move(update)); // a gap started a new snapshot
        } else {
            onState(update);
        }
    }
    if (phase == MirrorPhase::Synced) {
        statSynced = true;
        readyChanged.notify_all();
    }
}

void Client::Impl::onState(Decoded& message) {
    if (!config.mirrorState) {
        deliver(message, Kind::State);
        return;
    }
    if (phase != MirrorPhase::Synced) {
        // Before the snapshot nothing is delivered: the snapshot decides what is old (Clone pattern).
        if (pendingUpdates.size() >= kMaxPendingUpdates) {
            ++statResyncs;
            requestSnapshot();
        }
        pendingUpdates.push_back(std::move(message));
        return;
    }
    const uint64_t seq = message.envelope.brokerSeq;
    if (seq <= lastBrokerSeq) {
        ++statDuplicates; // already in the snapshot
        return;
    }
    if (seq != lastBrokerSeq + 1) {
        ++statResyncs; // a gap: resync, never guess (protocol section 6)
        requestSnapshot();
        pendingUpdates.push_back(std::move(message));
        return;
    }
    applyState(message);
}

void Client::Impl::applyState(const Decoded& message) {
    lastBrokerSeq = message.envelope.brokerSeq;
    StateEntry entry;
    entry.path = std::string(detail::topicPath(message.topic));
    entry.value = message.payload;
    entry.source = message.envelope.source;
    entry.session = message.envelope.session;
    entry.acquiredUs = message.envelope.acquiredUs;
    entry.brokerSeq = message.envelope.brokerSeq;
    entry.stale = message.envelope.stale;
    {
        std::lock_guard lock(mirrorMutex);
        if (message.envelope.removed) {
            mirror.erase(entry.path);
        } else {
            mirror[entry.path] = std::move(entry);
        }
    }
    deliver(message, Kind::State);
}

void Client::Impl::onEvent(Decoded& message) {
    if (message.envelope.reliable) {
        std::string key = message.envelope.source + "/" + message.envelope.id;
        const uint64_t seq = message.envelope.eventSeq;
        const bool tracked = config.receiveReliableEvents && cursorSet && message.envelope.journal == journal && seq > 0;
        if (tracked && seq > eventCursor && !handledAbove.contains(seq) && seenIds.contains(key)) {
            // Handled before under another number (resent to a broker after the one that numbered
            // it died): not delivered again, but its number is taken, or the cursor would wait.
            ++statDuplicates;
            takeNumber(seq);
            if (config.onEventsSettled) {
                callback([handler = config.onEventsSettled, journalId = journal, through = eventCursor] {
                    handler(journalId, through);
                }, false);
            }
            return;
        }
        if (seenIds.contains(key) || (tracked && seq <= eventCursor) || (tracked && handledAbove.contains(seq))) {
            ++statDuplicates;
            return;
        }
        seenIds.insert(key);
        seenOrder.push_back(std::move(key));
        if (seenOrder.size() > kSeenIds) {
            seenIds.erase(seenOrder.front());
            seenOrder.pop_front();
        }
        if (tracked) {
            takeNumber(seq);
        }
    }
    deliver(message, Kind::Event);
}

void Client::Impl::takeNumber(uint64_t seq) {
    if (seq == eventCursor + 1) {
        ++eventCursor;
        while (!handledAbove.empty() && *handledAbove.begin() == eventCursor + 1) {
            handledAbove.erase(handledAbove.begin());
            ++eventCursor;
        }
        return;
    }
    handledAbove.insert(seq);
    if (handledAbove.size() > kMaxHandledAbove) {
        // The gap is no longer in the journal (trimmed): stop waiting for it.
        eventCursor = *handledAbove.rbegin();
        handledAbove.clear();
    } else {
        requestReplay();
    }
}

void Client::Impl::deliver(const Decoded& message, Kind kind) {
    std::shared_ptr<const std::vector<Subscription>> current;
    {
        std::lock_guard lock(subscriptionMutex);
        current = subscriptions;
    }
    std::shared_ptr<Message> built;
    for (const auto& subscription : *current) {
        if (!message.topic.starts_with(subscription.prefix)) {
            continue;
        }
        if (!built) {
            built = std::make_shared<Message>();
            built->kind = kind;
            built->topic = message.topic;
            built->path = std::string(detail::topicPath(message.topic));
            built->device = std::string(detail::topicDevice(message.topic));
            built->payload = message.payload;
            built->messageId = message.envelope.id;
            built->source = message.envelope.source;
            built->session = message.envelope.session;
            built->seq = message.envelope.seq;
            built->acquiredUs = message.envelope.acquiredUs != 0 ? message.envelope.acquiredUs : message.envelope.sentUs;
            built->sentUs = message.envelope.sentUs;
            built->receivedUs = message.envelope.receivedUs;
            built->brokerSeq = message.envelope.brokerSeq;
            built->eventSeq = message.envelope.eventSeq;
            built->journal = message.envelope.journal;
            built->removed = message.envelope.removed;
            built->reliable = message.envelope.reliable;
            built->stale = message.envelope.stale;
            built->attachments = message.attachments;
        }
        const uint64_t id = subscription.id;
        MessageHandler handler = subscription.handler;
        callback([this, id, handler, built] {
            // A subscription removed meanwhile gets nothing more.
            std::shared_ptr<const std::vector<Subscription>> now;
            {
                std::lock_guard lock(subscriptionMutex);
                now = subscriptions;
            }
            for (const auto& live : *now) {
                if (live.id == id) {
                    handler(*built);
                    return;
                }
            }
        }, !(kind == Kind::Event && built->reliable));
    }
}

} // namespace ccoc::bus
