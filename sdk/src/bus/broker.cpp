// ccoc::bus::Broker: life cycle, the I/O loop and its timers. Message handlers are in
// broker_messages.cpp.
#include "broker_impl.hpp"

#include "json_scan.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace ccoc::bus {

Broker::Broker(BrokerConfig config) : m_impl(std::make_unique<Impl>(std::move(config))) {}
Broker::~Broker() { stop(); }

Status Broker::start() { return m_impl->start(); }
void Broker::stop() { m_impl->stop(); }
bool Broker::running() const noexcept { return m_impl->isRunning.load(); }
std::string Broker::frontendEndpoint() const { return m_impl->boundFrontend; }
std::string Broker::publisherEndpoint() const { return m_impl->boundPublisher; }
const std::string& Broker::epoch() const noexcept { return m_impl->epoch; }

BrokerStats Broker::stats() const {
    const Impl& impl = *m_impl;
    BrokerStats stats;
    stats.received = impl.statReceived;
    stats.published = impl.statPublished;
    stats.badMessages = impl.statBad;
    stats.refused = impl.statRefused + impl.zap.refusedCount();
    stats.rateLimited = impl.statRateLimited;
    stats.lateReplies = impl.statLateReplies;
    stats.commandsRouted = impl.statCommands;
    stats.retainedKeys = impl.statRetained;
    stats.brokerSeq = impl.statBrokerSeq;
    stats.eventSeq = impl.statEventSeq;
    stats.peers = impl.statPeers;
    stats.onlineDrivers = impl.statOnline;
    stats.notices = impl.statNotices;
    stats.journalHeld = impl.statJournalHeld;
    stats.journalOk = impl.statJournalOk;
    return stats;
}

std::vector<DriverInfo> Broker::drivers() const {
    std::lock_guard lock(m_impl->infoMutex);
    std::vector<DriverInfo> out;
    for (const auto& [source, driver] : m_impl->drivers) {
        DriverInfo info{source, driver.session, driver.devices, driver.online, driver.lastHeardWallUs,
                        driver.messages, {}, driver.heartbeatMs, driver.offlineAfterMs};
        for (const auto& device : driver.claimed) {
            if (std::find(driver.devices.begin(), driver.devices.end(), device) == driver.devices.end()) {
                info.waiting.push_back(device);
            }
        }
        out.push_back(std::move(info));
    }
    return out;
}

Status generateCurveKeyPair(std::string& publicKey, std::string& secretKey) {
    char publicText[41] = {};
    char secretText[41] = {};
    if (zmq_curve_keypair(publicText, secretText) != 0) {
        return Status::failure("bus: this libzmq has no CURVE support");
    }
    publicKey = publicText;
    secretKey = secretText;
    return Status::success();
}

void Broker::Impl::log(LogLevel level, const std::string& message) const {
    if (config.log) {
        config.log(level, message);
        return;
    }
    static constexpr const char* kNames[] = {"debug", "info", "warning", "error"};
    std::fprintf(stderr, "[%s] %s\n", kNames[static_cast<int>(level)], message.c_str());
}

namespace {

Status checkConfig(const BrokerConfig& config) {
    if (config.frontendEndpoint.empty() || config.publisherEndpoint.empty()) {
        return Status::failure("bus broker: frontend and publisher endpoints are required");
    }
    if (config.heartbeatMs <= 0 || config.offlineAfterMs <= config.heartbeatMs) {
        return Status::failure("bus broker: heartbeat_ms must be > 0 and offline_after_ms larger than it");
    }
    if (config.security.curve) {
        if (config.security.serverPublicKey.size() != 40 || config.security.serverSecretKey.size() != 40) {
            return Status::failure("bus broker: CURVE keys must be 40 characters of Z85 text");
        }
        for (const auto& entry : config.security.allow) {
            if (entry.publicKey.size() != 40 || !isValidSegment(entry.name)) {
                return Status::failure("bus broker: allow-list entry '" + entry.name +
                                       "' needs a source id (topic segment) and a 40-character public key");
            }
        }
    }
    return Status::success();
}

void applySecurity(zmq::socket_t& socket, const BrokerSecurity& security) {
    if (!security.curve) {
        return;
    }
    socket.set(zmq::sockopt::curve_server, 1);
    socket.set(zmq::sockopt::curve_secretkey, security.serverSecretKey);
    socket.set(zmq::sockopt::zap_domain, "ccoc");
}

} // namespace

Status Broker::Impl::start() {
    if (isRunning) {
        return Status::failure("bus broker: already running");
    }
    if (Status status = checkConfig(config); !status.ok()) {
        return status;
    }
    epoch = detail::randomHex(8);
    if (Status status = journal.open(config.journalPath, config.journalKeep); !status.ok()) {
        return status;
    }
    if (config.journalPath.empty()) {
        log(LogLevel::Info, "bus broker: no journal file; reliable events survive only while this broker runs");
    }
    detail::Journal& stored = journal.journal();
    journalId = stored.id();
    lastEventSeq = settledEventSeq = stored.lastSeq();
    statEventSeq = lastEventSeq;
    if (stored.openedAfterCrash()) {
        log(LogLevel::Warning, "bus broker: the journal was not closed by its last broker (it stopped without "
                               "closing it); event numbers go on from " + std::to_string(lastEventSeq + 1) +
                               ", past any it may have published before it stopped");
    }
    recentEvents.clear();
    recentOrder.clear();
    std::vector<std::string> newestFirst;
    stored.recentKeys(kRecentEvents, [&](uint64_t seq, std::string_view source, std::string_view messageId) {
        std::string key = std::string(source) + "/" + std::string(messageId);
        recentEvents.emplace(key, seq);
        newestFirst.push_back(std::move(key));
    });
    recentOrder.assign(newestFirst.rbegin(), newestFirst.rend());
    if (config.security.curve) {
        if (config.security.builtinZapHandler) {
            if (Status status = zap.start(context, config.security.allow, config.log); !status.ok()) {
                journal.stop();
                return status;
            }
        }
        if (!detail::zapHandlerAnswers(context, 1000)) {
            zap.stop();
            journal.stop();
            return Status::failure("bus broker: CURVE is on but no ZAP handler answers on inproc://zeromq.zap.01; "
                                   "refusing to start, because libzmq would then let every client in");
        }
    }
    // Cut a sender at the socket, before libzmq allocates the frame (section 11).
    const int64_t maxMessageBytes = static_cast<int64_t>(
        config.maxMessageBytes != 0 ? config.maxMessageBytes : config.limits.maxMessageBytes + kMaxMessageSlack);
    try {
        router = zmq::socket_t(context, zmq::socket_type::router);
        router.set(zmq::sockopt::maxmsgsize, maxMessageBytes);
        router.set(zmq::sockopt::router_mandatory, 1);
        router.set(zmq::sockopt::linger, 0);
        router.set(zmq::sockopt::rcvhwm, config.peerHighWaterMark);
        router.set(zmq::sockopt::sndhwm, config.peerHighWaterMark);
        applySecurity(router, config.security);
        router.bind(config.frontendEndpoint);
        boundFrontend = router.get(zmq::sockopt::last_endpoint);
        publisher = zmq::socket_t(context, zmq::socket_type::pub);
        publisher.set(zmq::sockopt::linger, 0);
        publisher.set(zmq::sockopt::sndhwm, config.publisherHighWaterMark);
        publisher.set(zmq::sockopt::maxmsgsize, maxMessageBytes); // a SUB sends only subscriptions
        applySecurity(publisher, config.security);
        publisher.bind(config.publisherEndpoint);
        boundPublisher = publisher.get(zmq::sockopt::last_endpoint);
        // Handshake failures never reach the ROUTER as messages: watch for them (section 10).
        const int events = ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;
        const std::string monitorBase = "inproc://ccoc-broker-monitor-" + epoch;
        for (auto [socket, monitor, name] : {std::tuple{&router, &routerMonitor, "frontend"},
                                             std::tuple{&publisher, &publisherMonitor, "publisher"}}) {
            const std::string endpoint = monitorBase + "-" + name;
            if (zmq_socket_monitor(socket->handle(), endpoint.c_str(), events) != 0) {
                throw zmq::error_t();
            }
            *monitor = zmq::socket_t(context, zmq::socket_type::pair);
            monitor->set(zmq::sockopt::linger, 0);
            monitor->connect(endpoint);
        }
    } catch (const zmq::error_t& error) {
        routerMonitor.close();
        publisherMonitor.close();
        router.close();
        publisher.close();
        zap.stop();
        journal.stop();
        return Status::failure("bus broker: cannot bind " + config.frontendEndpoint + " / " +
                               config.publisherEndpoint + ": " + error.what());
    }
    stopping = false;
    isRunning = true;
    journal.start(config.journalCommitDelayMs, kReplayBatch, config.journalRetryMaxMs);
    journalOk = true;
    statJournalOk = true;
    statJournalHeld = 0;
    onJournalHealth(detail::JournalWriter::Health{}); // desks see the journal's health from the start
    thread = std::thread([this] { run(); });
    log(LogLevel::Info, "bus broker: epoch " + epoch + " on " + boundFrontend + " and " + boundPublisher +
                            (config.security.curve ? " (CURVE)" : " (no security)"));
    return Status::success();
}

void Broker::Impl::stop() {
    if (!isRunning) {
        return;
    }
    stopping = true;
    if (thread.joinable()) {
        thread.join();
    }
    journal.stop(); // stores what is queued, then marks the journal closed in order
    if (statJournalHeld > 0) {
        log(LogLevel::Error, "bus broker: stopping with " + std::to_string(statJournalHeld.load()) +
                                 " events the journal could not store; their senders still hold them and resend");
    }
    zmq_socket_monitor(router.handle(), nullptr, 0);
    zmq_socket_monitor(publisher.handle(), nullptr, 0);
    routerMonitor.close();
    publisherMonitor.close();
    router.close();
    publisher.close();
    zap.stop();
    isRunning = false;
}

void Broker::Impl::run() {
    std::vector<zmq::message_t> parts;
    nextHeartbeatUs = detail::steadyUs();
    lastLoopUs = nextHeartbeatUs;
    while (!stopping) {
        zmq::pollitem_t items[4] = {{router.handle(), 0, ZMQ_POLLIN, 0},
                                    {nullptr, journal.wakeFd(), ZMQ_POLLIN, 0},
                                    {routerMonitor.handle(), 0, ZMQ_POLLIN, 0},
                                    {publisherMonitor.handle(), 0, ZMQ_POLLIN, 0}};
        // Short waits keep timers (TTL, heartbeats, offline) accurate to a few ms.
        const int ready = zmq::poll(items, 4, std::chrono::milliseconds(10));
        if (ready > 0) {
            if ((items[1].revents & ZMQ_POLLIN) != 0) {
                takeJournalResults();
            }
            if ((items[2].revents & ZMQ_POLLIN) != 0) {
                takeMonitorEvents(routerMonitor, "frontend " + boundFrontend);
            }
            if ((items[3].revents & ZMQ_POLLIN) != 0) {
                takeMonitorEvents(publisherMonitor, "publisher " + boundPublisher);
            }
            // A bounded burst, so timers still run under a flood.
            for (int i = 0; (items[0].revents & ZMQ_POLLIN) != 0 && i < 2000 && !stopping; ++i) {
                try {
                    if (!detail::receiveParts(router, parts)) {
                        break;
                    }
                    handle(parts);
                } catch (const std::exception& error) {
                    log(LogLevel::Error, std::string("bus broker: internal error handling a message: ") + error.what());
                }
            }
        }
        // After reading what waits: peers are judged silent only once their queued messages are in.
        timers(detail::steadyUs());
    }
}

void Broker::Impl::forgiveStall(int64_t nowUs) {
    // Timers run once a round (a 10 ms poll and one burst). A round longer than a heartbeat means
    // this thread did not run (a loaded machine, a stopped process); what the peers sent meanwhile
    // is still in the sockets, so that time must not count as their silence.
    const int64_t stallUs = nowUs - lastLoopUs - 10'000;
    lastLoopUs = nowUs;
    if (stallUs <= static_cast<int64_t>(config.heartbeatMs) * 1000) {
        return;
    }
    std::lock_guard lock(infoMutex);
    for (auto& [source, driver] : drivers) {
        driver.lastHeardSteadyUs = std::min(nowUs, driver.lastHeardSteadyUs + stallUs);
    }
    for (auto& [routingId, peer] : peers) {
        peer.lastHeardSteadyUs = std::min(nowUs, peer.lastHeardSteadyUs + stallUs);
    }
}

void Broker::Impl::timers(int64_t nowUs) {
    forgiveStall(nowUs);
    if (nowUs >= nextHeartbeatUs) {
        nextHeartbeatUs = nowUs + static_cast<int64_t>(config.heartbeatMs) * 1000;
        std::string payload = "{\"epoch\":";
        detail::appendQuoted(payload, epoch);
        payload += ",\"broker_seq\":" + std::to_string(brokerSeq) + ",\"journal\":";
        detail::appendQuoted(payload, journalId);
        payload += ",\"event_seq\":" + std::to_string(lastEventSeq) + "}";
        const std::string envelope = encodeEnvelope(brokerEnvelope(detail::kTypeHeartbeat));
        detail::sendMessage(publisher, {}, "bus/heartbeat/", envelope, payload);
    }
    const int64_t offlineUs = static_cast<int64_t>(config.offlineAfterMs) * 1000;
    std::vector<std::string> wentOffline;
    {
        std::lock_guard lock(infoMutex);
        for (auto& [source, driver] : drivers) {
            // Each driver by its own interval (its hello's heartbeat_ms, section 9).
            const int64_t driverOfflineUs =
                static_cast<int64_t>(driver.offlineAfterMs > 0 ? driver.offlineAfterMs : config.offlineAfterMs) * 1000;
            if (driver.online && nowUs - driver.lastHeardSteadyUs > driverOfflineUs) {
                driver.online = false;
                --statOnline;
                wentOffline.push_back(source);
            }
        }
    }
    for (const auto& source : wentOffline) {
        Driver copy;
        {
            std::lock_guard lock(infoMutex);
            copy = drivers[source];
        }
        peerLog(LogLevel::Warning, source, "offline",
                "bus broker: driver '" + source + "' silent for " +
                    std::to_string(copy.offlineAfterMs > 0 ? copy.offlineAfterMs : config.offlineAfterMs) +
                    " ms; its devices are offline");
        markDriverStale(source, copy);
        handOverDevicesOf(source); // to drivers that announced them too, if any is online
        {
            std::lock_guard lock(infoMutex);
            copy = drivers[source];
        }
        publishDriverPresence(source, copy);
    }
    for (auto it = pending.begin(); it != pending.end();) {
        if (nowUs >= it->second.deadlineSteadyUs) {
            sendReply(it->second.callerRoutingId, it->second.topic, it->first, "timeout",
                      "no reply from '" + it->second.ownerSource + "' within " + std::to_string(it->second.ttlMs) +
                          " ms");
            it = pending.erase(it);
        } else {
            ++it;
        }
    }
    // Forget peers silent for long, so reconnecting clients cannot grow the table for ever.
    for (auto it = peers.begin(); it != peers.end();) {
        const int64_t peerOfflineUs =
            it->second.offlineAfterMs > 0 ? static_cast<int64_t>(it->second.offlineAfterMs) * 1000 : offlineUs;
        if (nowUs - it->second.lastHeardSteadyUs > 10 * peerOfflineUs) {
            it = peers.erase(it);
        } else {
            ++it;
        }
    }
    statPeers = peers.size();
}

void Broker::Impl::onJournalHealth(const detail::JournalWriter::Health& health) {
    statJournalHeld = health.held;
    if (health.ok != journalOk) {
        journalOk = health.ok;
        statJournalOk = health.ok;
        if (!health.ok) {
            journalFailedSinceUs = detail::wallClockUs();
            log(LogLevel::Error, "bus broker: the journal cannot store events: " + health.error +
                                     "; retrying with back-off for as long as it takes. Events are still published "
                                     "once each, but not acked (their senders keep them) until it can");
        } else {
            log(LogLevel::Info, "bus broker: the journal stores events again (failing since " +
                                    std::to_string((detail::wallClockUs() - journalFailedSinceUs) / 1000) +
                                    " ms); the held events are stored and acked");
        }
    }
    std::string payload = "{\"ok\":";
    payload += health.ok ? "true" : "false";
    payload += ",\"error\":";
    detail::appendQuoted(payload, health.error);
    payload += ",\"held\":" + std::to_string(health.held) +
               ",\"since_us\":" + std::to_string(health.ok ? 0 : journalFailedSinceUs) + "}";
    const std::string topic = "state/_bus/journal/";
    Retained& entry = retained[topic];
    if (entry.payload == payload) {
        return;
    }
    entry.payload = std::move(payload);
    entry.source = std::string(detail::kBrokerSource);
    entry.session = epoch;
    entry.acquiredUs = entry.receivedUs = detail::wallClockUs();
    statRetained = retained.size();
    publishState(topic, entry, {});
}

Envelope Broker::Impl::brokerEnvelope(std::string_view type) {
    Envelope envelope;
    ++ownSeq;
    envelope.id = "b" + epoch + ":" + std::to_string(ownSeq);
    envelope.type = std::string(type);
    envelope.source = std::string(detail::kBrokerSource);
    envelope.session = epoch;
    envelope.seq = ownSeq;
    envelope.sentUs = detail::wallClockUs();
    envelope.epoch = epoch;
    return envelope;
}

} // namespace ccoc::bus
