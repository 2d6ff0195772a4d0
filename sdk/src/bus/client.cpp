// ccoc::bus::Client: life cycle, the I/O loop, publishing and subscriptions.
#include "client_impl.hpp"

#include "json_scan.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace ccoc::bus {
namespace {

// An unanswered hello is resent after this long (protocol sections 9 and 12), never sooner: a
// loaded broker's welcome must not be overtaken by another hello, and welcome, and republish.
constexpr int64_t kHelloRetryUs = 2000000;
// The longest the I/O thread reads messages before it runs its timers again.
constexpr int64_t kDrainBudgetUs = 5000;

} // namespace

// --- Outbox ------------------------------------------------------------------------------------

void Outbox::wakeLocked() {
    if (wakeFd >= 0) {
        const uint64_t one = 1;
        (void)!::write(wakeFd, &one, sizeof one);
    }
}

void Outbox::wake() {
    std::lock_guard lock(mutex);
    wakeLocked();
}

bool Outbox::post(Envelope envelope, std::string topic, std::string payload, std::vector<std::string> attachments,
                  size_t limit, bool dropWhenFull, std::string* messageId, Keep keep) {
    std::unique_lock lock(mutex);
    if (!dropWhenFull) {
        // The SDK waits rather than drop or grow without bound (protocol section 11).
        roomFreed.wait(lock, [&] { return closed || items.size() < limit; });
    }
    if (closed) {
        return false;
    }
    // Kept even when the queue is full: the next republish carries it.
    if (keep == Keep::State) {
        ownState[topic] = {payload, attachments};
    } else if (keep == Keep::Removal) {
        ownState.erase(topic);
    }
    if (items.size() >= limit) {
        return false;
    }
    queueLocked(std::move(envelope), std::move(topic), std::move(payload), std::move(attachments), messageId);
    return true;
}

void Outbox::repostOwnState() {
    std::lock_guard lock(mutex);
    for (const auto& [topic, value] : ownState) {
        Envelope envelope;
        envelope.type = std::string(detail::kTypeState);
        queueLocked(std::move(envelope), topic, value.first, value.second, nullptr);
    }
}

void Outbox::queueLocked(Envelope envelope, std::string topic, std::string payload,
                         std::vector<std::string> attachments, std::string* messageId) {
    envelope.seq = ++seq;
    envelope.session = session;
    envelope.source = source;
    if (envelope.id.empty()) {
        envelope.id = session + ":" + std::to_string(envelope.seq);
    }
    if (messageId != nullptr) {
        *messageId = envelope.id;
    }
    envelope.sentUs = detail::wallClockUs();
    const bool wasEmpty = items.empty();
    items.push_back(Item{std::move(topic), encodeEnvelope(envelope), std::move(payload), std::move(attachments), {}});
    // One wake-up per batch: a non-empty queue means one is pending and the I/O thread takes
    // the whole queue after consuming it. Under the lock: stop() closes the descriptor under it.
    if (wasEmpty) {
        wakeLocked();
    }
}

bool Outbox::postTask(std::function<void()> task) {
    {
        std::lock_guard lock(mutex);
        if (closed) {
            return false;
        }
        const bool wasEmpty = items.empty();
        items.push_back(Item{{}, {}, {}, {}, std::move(task)});
        if (wasEmpty) {
            wakeLocked();
        }
    }
    return true;
}

// --- Client ------------------------------------------------------------------------------------

Client::Client(ClientConfig config) : m_impl(std::make_unique<Impl>(std::move(config))) {}
Client::~Client() { stop(); }

Client::Impl::Impl(ClientConfig configIn) : config(std::move(configIn)) {
    outbox->session = detail::randomHex(8);
    outbox->source = config.sourceId;
    brokerLimits = config.limits;
    brokerLimits.maxMessageBytes = std::max<size_t>(config.limits.maxMessageBytes, 8u << 20);
    brokerLimits.maxDepth = config.limits.maxDepth + 3; // snapshot items wrap values in two levels
}

Status Client::start() { return m_impl->start(); }
void Client::stop() { m_impl->stop(); }
const std::string& Client::sessionId() const noexcept { return m_impl->outbox->session; }

Status Client::Impl::start() {
    if (started) {
        return Status::failure("bus client: already started");
    }
    if (!isValidSegment(config.sourceId) || config.sourceId.front() == '_') {
        return Status::failure("bus client: source id '" + config.sourceId +
                               "' must be 1..64 characters of [A-Za-z0-9._:-], not starting with '_'");
    }
    if (config.frontendEndpoint.empty() || config.publisherEndpoint.empty()) {
        return Status::failure("bus client: frontend and publisher endpoints are required");
    }
    for (const auto& device : config.devices) {
        if (!isValidSegment(device) || device.front() == '_') {
            return Status::failure("bus client: device id '" + device + "' is not a topic segment");
        }
    }
    if (config.heartbeatMs <= 0) {
        return Status::failure("bus client: heartbeat_ms must be > 0");
    }
    if (config.receiveReliableEvents && !config.eventCursorJournal.empty()) {
        // Resume where the application left off; onWelcome replays what came after.
        cursorSet = true;
        journal = config.eventCursorJournal;
        eventCursor = config.eventCursorSeq;
    }
    try {
        dealer = zmq::socket_t(context, zmq::socket_type::dealer);
        sub = zmq::socket_t(context, zmq::socket_type::sub);
        for (zmq::socket_t* socket : {&dealer, &sub}) {
            socket->set(zmq::sockopt::linger, 0);
            if (config.curve) {
                socket->set(zmq::sockopt::curve_serverkey, config.curve->serverPublicKey);
                socket->set(zmq::sockopt::curve_publickey, config.curve->publicKey);
                socket->set(zmq::sockopt::curve_secretkey, config.curve->secretKey);
            }
        }
        // A frame larger than anything the broker sends cuts the connection before it is buffered.
        dealer.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(brokerLimits.maxMessageBytes + (64u << 10)));
        sub.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(brokerLimits.maxMessageBytes + (64u << 10)));
        dealer.set(zmq::sockopt::sndhwm, 10000);
        dealer.set(zmq::sockopt::rcvhwm, 0); // snapshots and replies must not be dropped on our side
        sub.set(zmq::sockopt::rcvhwm, 100000);
        sub.set(zmq::sockopt::subscribe, "bus/heartbeat/");
        if (config.mirrorState) {
            sub.set(zmq::sockopt::subscribe, "state/");
        }
        dealer.connect(config.frontendEndpoint);
        sub.connect(config.publisherEndpoint);
    } catch (const zmq::error_t& error) {
        return Status::failure("bus client: cannot connect to " + config.frontendEndpoint + " / " +
                               config.publisherEndpoint + ": " + error.what());
    }
    {
        std::lock_guard lock(outbox->mutex);
        outbox->wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    }
    if (outbox->wakeFd < 0) {
        return Status::failure("bus client: cannot create an eventfd");
    }
    stopping = false;
    started = true;
    // Hello goes first, before anything a caller may queue once start() returns.
    sendHello();
    thread = std::thread([this] { run(); });
    return Status::success();
}

void Client::Impl::stop() {
    if (!started) {
        return;
    }
    stopping = true;
    outbox->wake();
    if (thread.joinable()) {
        thread.join();
    }
    failAllCommands();
    {
        std::lock_guard lock(outbox->mutex);
        outbox->closed = true;
        ::close(outbox->wakeFd);
        outbox->wakeFd = -1;
    }
    outbox->roomFreed.notify_all();
    dealer.close();
    sub.close();
    started = false;
    statConnected = false;
}

bool Client::waitReady(int timeoutMs) {
    Impl& impl = *m_impl;
    std::unique_lock lock(impl.readyMutex);
    return impl.readyChanged.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] {
        return impl.statConnected.load() && (!impl.config.mirrorState || impl.statSynced.load());
    });
}

Status Client::removeState(std::string_view path) {
    Impl& impl = *m_impl;
    if (!impl.started) {
        return Status::failure("bus client: not started");
    }
    const std::string topic = makeTopic("state", path);
    if (std::string error = checkTopic(topic, impl.config.limits); !error.empty()) {
        return Status::failure("bus client: path '" + std::string(path) + "': " + error);
    }
    if (detail::topicDevice(topic).starts_with('_')) {
        return Status::failure("bus client: devices starting with '_' belong to the broker");
    }
    Envelope envelope;
    envelope.type = detail::kTypeState;
    envelope.removed = true;
    if (!impl.outbox->post(std::move(envelope), topic, "null", {}, 10000, false, nullptr, Outbox::Keep::Removal)) {
        return Status::failure("bus client: stopped");
    }
    return Status::success();
}

bool Client::waitAcknowledged(const std::string& messageId, int timeoutMs) {
    Impl& impl = *m_impl;
    std::unique_lock lock(impl.readyMutex);
    return impl.readyChanged.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                      [&] { return impl.pendingReliable.count(messageId) == 0; });
}

bool Client::waitSubscribed(int timeoutMs) {
    Impl& impl = *m_impl;
    // A fresh topic each time: its subscription travels after the earlier ones on the same
    // connection, so the broker's echo on it proves they are all in effect (protocol section 5).
    std::string token = impl.outbox->session + "." + std::to_string(impl.nextSyncToken++);
    const std::string topic = "bus/sync/" + token + "/";
    if (!impl.outbox->postTask([&impl, token, topic] {
            impl.sub.set(zmq::sockopt::subscribe, topic);
            impl.syncPending[token] = 0;
        })) {
        return false;
    }
    bool reached = false;
    {
        std::unique_lock lock(impl.readyMutex);
        reached = impl.readyChanged.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                             [&] { return impl.syncReached.count(token) != 0; });
        impl.syncReached.erase(token);
    }
    impl.outbox->postTask([&impl, token, topic] {
        if (impl.syncPending.erase(token) != 0) {
            impl.sub.set(zmq::sockopt::unsubscribe, topic); // timed out: still subscribed
        }
        std::lock_guard lock(impl.readyMutex);
        impl.syncReached.erase(token); // an echo that came after the timeout
    });
    return reached;
}

void Client::Impl::run() {
    std::vector<zmq::message_t> parts;
    while (!stopping) {
        zmq::pollitem_t items[3] = {
            {dealer.handle(), 0, static_cast<short>(ZMQ_POLLIN | (backlog.empty() ? 0 : ZMQ_POLLOUT)), 0},
            {sub.handle(), 0, ZMQ_POLLIN, 0},
            {nullptr, outbox->wakeFd, ZMQ_POLLIN, 0}};
        zmq::poll(items, 3, std::chrono::milliseconds(5));
        if (items[2].revents & ZMQ_POLLIN) {
            uint64_t count = 0;
            (void)!::read(outbox->wakeFd, &count, sizeof count);
        }
        flushOutbox();
        // Drain within a time budget, so heartbeats and deadlines (timers) keep their pace however
        // much arrives and however slow the handlers are: a loaded machine must not make this
        // peer look silent to the broker (protocol section 9).
        const int64_t drainEndUs = detail::steadyUs() + kDrainBudgetUs;
        for (int i = 0; i < 1000 && (i == 0 || detail::steadyUs() < drainEndUs) && detail::receiveParts(dealer, parts);
             ++i) {
            ++statReceived;
            DecodeResult result = decodeMessage(detail::partViews(parts, 0), brokerLimits);
            if (result.ok()) {
                onDealerMessage(*result.message);
            } else {
                ++statDropped;
            }
        }
        for (int i = 0; i < 1000 && (i == 0 || detail::steadyUs() < drainEndUs) && detail::receiveParts(sub, parts);
             ++i) {
            ++statReceived;
            DecodeResult result = decodeMessage(detail::partViews(parts, 0), config.limits);
            if (result.ok()) {
                onSubMessage(*result.message);
            } else {
                ++statDropped;
            }
        }
        statEventCursor = eventCursor;
        timers(detail::steadyUs());
    }
}

void Client::Impl::flushOutbox() {
    std::deque<Outbox::Item> taken;
    // While the DEALER is full the backlog stops taking, so publishers wait (bounded memory).
    if (backlog.size() < 10000) {
        std::lock_guard lock(outbox->mutex);
        taken.swap(outbox->items);
    }
    outbox->roomFreed.notify_all();
    for (auto& item : taken) {
        if (item.task) {
            item.task();
        } else {
            backlog.push_back(std::move(item));
        }
    }
    while (!backlog.empty()) {
        const Outbox::Item& item = backlog.front();
        if (!detail::sendMessage(dealer, {}, item.topic, item.envelope, item.payload, item.attachments, true)) {
            break; // DEALER full or not connected yet: wait for POLLOUT
        }
        lastHeartbeatSentUs = detail::steadyUs();
        ++statSent;
        backlog.pop_front();
    }
}

void Client::Impl::sendControl(std::string_view topic, std::string_view type, std::string payload,
                               std::string_view corr) {
    Envelope envelope;
    envelope.type = std::string(type);
    envelope.corr = std::string(corr);
    std::string id;
    outbox->post(std::move(envelope), std::string(topic), std::move(payload), {}, SIZE_MAX, false, &id);
    if (type == detail::kTypeHello) {
        helloIds.push_back(id);
        if (helloIds.size() > 16) {
            helloIds.erase(helloIds.begin()); // no broker for long: only recent hellos can be answered
        }
    } else if (type == detail::kTypeSnapshotRequest) {
        snapshotId = id;
    }
    flushOutbox();
}

void Client::Impl::sendHello() {
    static constexpr const char* kRoles[] = {"driver", "console", "tool"};
    std::string payload = "{\"role\":\"";
    payload += kRoles[static_cast<int>(config.role)];
    payload += "\",\"devices\":[";
    for (size_t i = 0; i < config.devices.size(); ++i) {
        payload += i == 0 ? "" : ",";
        detail::appendQuoted(payload, config.devices[i]);
    }
    payload += "],\"heartbeat_ms\":" + std::to_string(config.heartbeatMs) + "}";
    lastHelloUs = detail::steadyUs();
    sendControl("bus/hello/", detail::kTypeHello, std::move(payload));
}

void Client::Impl::helloNeeded() {
    if (!welcomed) {
        return; // a hello is on its way (sent when welcomed last became false); absorbed
    }
    welcomed = false;
    sendHello();
}

void Client::Impl::timers(int64_t nowUs) {
    const int64_t heartbeatUs = static_cast<int64_t>(config.heartbeatMs) * 1000;
    if (!welcomed && nowUs - lastHelloUs > std::max<int64_t>(2 * heartbeatUs, kHelloRetryUs)) {
        sendHello(); // unanswered: the broker may have come up after us, or lost it
    }
    if (nowUs - lastHeartbeatSentUs >= heartbeatUs) {
        sendControl("bus/heartbeat/", detail::kTypeHeartbeat, "{}");
    }
    const bool connected = welcomed && nowUs - lastHeardUs < 3 * heartbeatUs;
    if (connected != statConnected.load()) {
        statConnected = connected;
        readyChanged.notify_all();
    }
    // Reliable events: resend what the broker has not acknowledged (protocol section 8).
    for (auto& [id, event] : unacked) {
        if (welcomed && nowUs - event.lastSentUs >= 1000000) {
            event.lastSentUs = nowUs;
            outbox->post(event.envelope, event.topic, event.payload, {}, SIZE_MAX, false);
        }
    }
    // Subscription barriers: ask again until the echo comes (the first may pass before the
    // broker has taken the new subscription).
    for (auto& [token, lastSentUs] : syncPending) {
        if (welcomed && nowUs - lastSentUs >= 100000) {
            lastSentUs = nowUs;
            std::string payload = "{\"token\":";
            detail::appendQuoted(payload, token);
            payload += "}";
            sendControl("bus/sync/", detail::kTypeSync, std::move(payload));
        }
    }
    if (phase == MirrorPhase::Requesting && nowUs > snapshotDeadlineUs) {
        requestSnapshot(); // a chunk was lost (peer queue full): ask again
    }
    expireCommands(nowUs);
    flushOutbox();
}

void Client::Impl::republishState() {
    outbox->repostOwnState();
}

Status Client::Impl::publish(Kind kind, std::string_view path, std::string_view json, const PublishOptions& options) {
    if (!started) {
        return Status::failure("bus client: not started");
    }
    const std::string topic = makeTopic(kindName(kind), path);
    if (std::string error = checkTopic(topic, config.limits); !error.empty()) {
        return Status::failure("bus client: path '" + std::string(path) + "': " + error);
    }
    if (detail::topicDevice(topic).starts_with('_')) {
        return Status::failure("bus client: devices starting with '_' belong to the broker");
    }
    if (std::string error = checkJson(json, config.limits.maxDepth); !error.empty()) {
        return Status::failure("bus client: payload for '" + std::string(path) + "': " + error);
    }
    size_t total = topic.size() + json.size() + 512;
    for (const auto& attachment : options.attachments) {
        total += attachment.size();
    }
    if (total > config.limits.maxMessageBytes || options.attachments.size() + 3 > config.limits.maxFrames) {
        return Status::failure("bus client: message for '" + std::string(path) + "' beyond the size or frame limit");
    }
    if (options.reliable && (kind != Kind::Event || !options.attachments.empty())) {
        return Status::failure("bus client: only events without attachments can be reliable");
    }
    Envelope envelope;
    envelope.type = kind == Kind::State ? detail::kTypeState : kind == Kind::Event ? detail::kTypeEvent
                                                                                  : detail::kTypeTelemetry;
    envelope.acquiredUs = options.acquiredUs;
    envelope.reliable = options.reliable;
    if (options.reliable) {
        // Kept on the I/O thread for resending; the id is fixed now.
        envelope.id = outbox->session + ":e" + detail::randomHex(6);
        {
            std::lock_guard lock(readyMutex);
            pendingReliable.insert(envelope.id);
            if (options.messageIdOut != nullptr) {
                *options.messageIdOut = envelope.id;
            }
        }
        auto keep = [this, topic, payload = std::string(json), envelope] {
            unacked[envelope.id] = Unacked{topic, payload, envelope, detail::steadyUs()};
            statPending = unacked.size();
        };
        if (!outbox->postTask(std::move(keep))) {
            return Status::failure("bus client: stopped");
        }
    }
    const bool droppable = kind == Kind::Telemetry || !options.waitForRoom;
    // State is kept for republishing in the same step that queues it (see Outbox::ownState).
    const Outbox::Keep keep = kind == Kind::State ? Outbox::Keep::State : Outbox::Keep::Nothing;
    if (!outbox->post(std::move(envelope), topic, std::string(json), options.attachments, 10000, droppable, nullptr,
                      keep)) {
        ++statDropped;
        return Status::failure(droppable ? "bus client: not sent, queue full" : "bus client: stopped");
    }
    return Status::success();
}

Status Client::publishState(std::string_view path, std::string_view json, const PublishOptions& options) {
    return m_impl->publish(Kind::State, path, json, options);
}
Status Client::publishEvent(std::string_view path, std::string_view json, const PublishOptions& options) {
    return m_impl->publish(Kind::Event, path, json, options);
}
Status Client::publishTelemetry(std::string_view path, std::string_view json, const PublishOptions& options) {
    return m_impl->publish(Kind::Telemetry, path, json, options);
}

uint64_t Client::subscribe(std::string_view prefix, MessageHandler handler) {
    Impl& impl = *m_impl;
    const std::string wire = makePrefix(prefix);
    if (!wire.empty()) {
        const std::string_view kind = std::string_view(wire).substr(0, wire.find('/'));
        const bool kindOnly = wire.find('/') + 1 == wire.size();
        if ((kind != "state" && kind != "event" && kind != "telemetry") ||
            (!kindOnly && !checkTopic(wire, impl.config.limits).empty())) {
            return 0;
        }
    }
    const uint64_t id = impl.nextSubscriptionId++;
    {
        std::lock_guard lock(impl.subscriptionMutex);
        auto next = std::make_shared<std::vector<Impl::Subscription>>(*impl.subscriptions);
        next->push_back(Impl::Subscription{id, wire, std::move(handler)});
        impl.subscriptions = std::move(next);
    }
    impl.outbox->postTask([&impl, wire] { impl.sub.set(zmq::sockopt::subscribe, wire); });
    return id;
}

void Client::unsubscribe(uint64_t id) {
    Impl& impl = *m_impl;
    std::string wire;
    {
        std::lock_guard lock(impl.subscriptionMutex);
        auto next = std::make_shared<std::vector<Impl::Subscription>>();
        for (const auto& subscription : *impl.subscriptions) {
            if (subscription.id == id) {
                wire = subscription.prefix;
            } else {
                next->push_back(subscription);
            }
        }
        impl.subscriptions = std::move(next);
    }
    // ZeroMQ counts subscriptions, so this removes only the one subscribe() added.
    impl.outbox->postTask([&impl, wire] { impl.sub.set(zmq::sockopt::unsubscribe, wire); });
}

void Client::Impl::callback(std::function<void()> fn, bool droppable) {
    if (config.callbacks == ClientConfig::Callbacks::IoThread) {
        fn();
        return;
    }
    std::lock_guard lock(callbackMutex);
    if (droppable) {
        if (droppableQueued >= config.queueLimit) {
            ++statDropped;
            return;
        }
        ++droppableQueued;
        callbacks.push_back([this, fn = std::move(fn)] {
            {
                std::lock_guard inner(callbackMutex);
                --droppableQueued;
            }
            fn();
        });
        return;
    }
    callbacks.push_back(std::move(fn));
}

size_t Client::dispatch(size_t maxCallbacks) {
    Impl& impl = *m_impl;
    size_t done = 0;
    while (done < maxCallbacks) {
        std::function<void()> fn;
        {
            std::lock_guard lock(impl.callbackMutex);
            if (impl.callbacks.empty()) {
                break;
            }
            fn = std::move(impl.callbacks.front());
            impl.callbacks.pop_front();
        }
        fn();
        ++done;
    }
    return done;
}

std::optional<StateEntry> Client::state(std::string_view path) const {
    std::lock_guard lock(m_impl->mirrorMutex);
    const auto found = m_impl->mirror.find(std::string(path));
    if (found == m_impl->mirror.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::vector<StateEntry> Client::stateSnapshot(std::string_view prefix) const {
    std::vector<StateEntry> out;
    const std::string start(prefix);
    std::lock_guard lock(m_impl->mirrorMutex);
    for (auto it = m_impl->mirror.lower_bound(start); it != m_impl->mirror.end(); ++it) {
        const std::string& path = it->first;
        if (!path.starts_with(start)) {
            break;
        }
        // Segment-safe: "cam-1" takes "cam-1" and "cam-1/x", not "cam-10".
        if (start.empty() || path.size() == start.size() || path[start.size()] == '/' || start.back() == '/') {
            out.push_back(it->second);
        }
    }
    return out;
}

ClientStats Client::stats() const {
    const Impl& impl = *m_impl;
    ClientStats stats;
    stats.sent = impl.statSent;
    stats.received = impl.statReceived;
    stats.dropped = impl.statDropped;
    stats.duplicates = impl.statDuplicates;
    stats.resyncs = impl.statResyncs;
    stats.welcomes = impl.statWelcomes;
    stats.pendingReliable = impl.statPending;
    stats.eventCursor = impl.statEventCursor;
    stats.brokerOfflineAfterMs = impl.statOfflineAfterMs;
    stats.connected = impl.statConnected;
    stats.stateSynced = impl.statSynced;
    return stats;
}

} // namespace ccoc::bus
