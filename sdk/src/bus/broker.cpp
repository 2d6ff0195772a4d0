// ccoc::bus::Broker: life cycle, the I/O loop and its timers. Message handlers are in
// broker_messages.cpp.
#include "broker_impl.hpp"

#include "json_scan.hpp"

#include <cstdio>

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
    return stats;
}

std::vector<DriverInfo> Broker::drivers() const {
    std::lock_guard lock(m_impl->infoMutex);
    std::vector<DriverInfo> out;
    for (const auto& [source, driver] : m_impl->drivers) {
        out.push_back(DriverInfo{source, driver.session, driver.devices, driver.online, driver.lastHeardWallUs,
                                 driver.messages});
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
    try {
        router = zmq::socket_t(context, zmq::socket_type::router);
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
        applySecurity(publisher, config.security);
        publisher.bind(config.publisherEndpoint);
        boundPublisher = publisher.get(zmq::sockopt::last_endpoint);
    } catch (const zmq::error_t& error) {
        router.close();
        publisher.close();
        zap.stop();
        journal.stop();
        return Status::failure("bus broker: cannot bind " + config.frontendEndpoint + " / " +
                               config.publisherEndpoint + ": " + error.what());
    }
    stopping = false;
    isRunning = true;
    journal.start(config.journalCommitDelayMs, kReplayBatch);
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
    router.close();
    publisher.close();
    zap.stop();
    isRunning = false;
}

void Broker::Impl::run() {
    std::vector<zmq::message_t> parts;
    nextHeartbeatUs = detail::steadyUs();
    // Stop reading while this many events wait for the journal (a stalled disk): senders keep
    // theirs until acked, and numbers stay within the gap a restart leaves (journal.hpp).
    const auto journalFull = [this] { return lastEventSeq - settledEventSeq >= detail::Journal::kUncleanGap - 1; };
    while (!stopping) {
        timers(detail::steadyUs());
        const bool full = journalFull();
        zmq::pollitem_t items[2] = {{router.handle(), 0, static_cast<short>(full ? 0 : ZMQ_POLLIN), 0},
                                    {nullptr, journal.wakeFd(), ZMQ_POLLIN, 0}};
        // Short waits keep timers (TTL, heartbeats, offline) accurate to a few ms.
        if (zmq::poll(items, 2, std::chrono::milliseconds(10)) <= 0) {
            continue;
        }
        if ((items[1].revents & ZMQ_POLLIN) != 0) {
            takeJournalResults();
        }
        if ((items[0].revents & ZMQ_POLLIN) == 0) {
            continue;
        }
        // A bounded burst, so timers still run under a flood.
        for (int i = 0; i < 2000 && !stopping && !journalFull(); ++i) {
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
}

void Broker::Impl::timers(int64_t nowUs) {
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
            if (driver.online && nowUs - driver.lastHeardSteadyUs > offlineUs) {
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
        log(LogLevel::Warning, "bus broker: driver '" + source + "' silent for " +
                                   std::to_string(config.offlineAfterMs) + " ms; its devices are offline");
        markDriverStale(source, copy);
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
        if (nowUs - it->second.lastHeardSteadyUs > 10 * offlineUs) {
            it = peers.erase(it);
        } else {
            ++it;
        }
    }
    statPeers = peers.size();
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
