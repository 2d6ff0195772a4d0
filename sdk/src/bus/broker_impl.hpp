// Internals of ccoc::bus::Broker, shared by broker.cpp (life cycle, loop, timers) and
// broker_messages.cpp (one handler per message type). Internal to ccoc_bus.
//
// Thread: everything below is touched only by the broker's I/O thread, except the atomics and
// what m_infoMutex guards.
#pragma once

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/codec.hpp"

#include "broker_rate_limit.hpp"
#include "journal_writer.hpp"
#include "wire.hpp"
#include "zap_handler.hpp"

#include <zmq.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace ccoc::bus {

struct Broker::Impl {
    // A connected peer, keyed by its ROUTER routing id.
    struct Peer {
        std::string routingId;
        std::string source;        // from hello
        std::string session;
        std::string role;
        std::string userId;        // authenticated identity (CURVE), empty without security
        const AllowEntry* allow = nullptr;
        bool helloDone = false;
        uint64_t lastSeq = 0;
        int64_t lastHeardSteadyUs = 0;
        double tokens = 0;         // rate limit bucket
        int64_t tokensAtUs = 0;
        int offlineAfterMs = 0;    // from its hello's heartbeat_ms (section 9); 0: the broker's
    };
    // What the broker keeps of one retained state topic.
    struct Retained {
        std::string payload;
        std::string source;
        std::string session;
        int64_t acquiredUs = 0;
        int64_t receivedUs = 0;
        uint64_t brokerSeq = 0;
        bool stale = false;
        std::vector<std::string> attachments;
    };
    struct Driver {
        std::string routingId;
        std::string session;
        std::vector<std::string> devices;  // owned now (a subset of `claimed`; section 7.1)
        std::vector<std::string> claimed;  // announced in its hello, in order
        int64_t helloSteadyUs = 0;         // claims are granted oldest hello first
        int heartbeatMs = 0;
        int offlineAfterMs = 0;
        bool online = false;
        int64_t lastHeardSteadyUs = 0;
        int64_t lastHeardWallUs = 0;
        uint64_t messages = 0;
    };
    struct PendingCommand {
        std::string callerRoutingId;
        std::string ownerSource;
        std::string topic;       // cmd/DEVICE/ACTION/
        int64_t deadlineSteadyUs = 0;
        int ttlMs = 0;
    };

    // Journalled events sent for one replay request.
    static constexpr size_t kReplayBatch = 10000;
    // Resent events recognised without asking the journal (older resends are published twice).
    static constexpr size_t kRecentEvents = 65536;

    explicit Impl(BrokerConfig configIn)
        : config(std::move(configIn)),
          logLimiter(std::chrono::milliseconds(config.badInputLogIntervalMs), kLogKeysPerInterval),
          noticeLimiter(std::chrono::milliseconds(config.noticeIntervalMs), kNoticeKeysPerInterval) {}

    // At most this many distinct (peer, reason) log lines per interval; strangers beyond it are
    // counted together (a flood of junk connections is each a new peer).
    static constexpr size_t kLogKeysPerInterval = 20;
    static constexpr size_t kNoticeKeysPerInterval = 1000;
    // Bounds of a peer's own heartbeat_ms in its hello (section 9).
    static constexpr int64_t kMinPeerHeartbeatMs = 100;
    static constexpr int64_t kMaxPeerHeartbeatMs = 60000;
    // ZMQ_MAXMSGSIZE over the decoder's limit by default: a little too large still gets a notice.
    static constexpr size_t kMaxMessageSlack = 64 * 1024;

    // broker.cpp
    Status start();
    void stop();
    void run();
    // broker.cpp: time the broker thread itself could not run (starved, stopped) is not counted as
    // its peers' silence; their heartbeats of that time are still waiting to be read (section 9).
    void forgiveStall(int64_t nowUs);
    void timers(int64_t nowUs);
    void log(LogLevel level, const std::string& message) const;

    // broker_messages.cpp
    void handle(std::vector<zmq::message_t>& parts);
    void onHello(Peer& peer, const Decoded& message);
    // broker_devices.cpp: who owns which device (section 7.1)
    void claimDevices(Peer& peer, const std::vector<std::string>& previous);
    void handOverDevicesOf(const std::string& source);
    void handOver(const std::string& source, const std::vector<std::string>& devices);
    void tellWhatIsTaken(const std::string& source);
    void refreshOwned(const std::string& source);
    bool mayPublishFor(const Peer& peer, std::string_view topic, std::string& why) const;
    void onState(Peer& peer, Decoded& message);
    void onEvent(Peer& peer, Decoded& message);
    void onTelemetry(Peer& peer, Decoded& message);
    void onCommand(Peer& peer, const Decoded& message);
    void onReply(Peer& peer, const Decoded& message);
    void onSnapshotRequest(Peer& peer, const Decoded& message);
    void onReplayRequest(Peer& peer, const Decoded& message);
    void onSync(Peer& peer, const Decoded& message);
    void takeJournalResults();
    void rememberEvent(std::string key, uint64_t seq);
    bool allowedTopic(const Peer& peer, std::string_view topic) const;
    // broker_notices.cpp. Every message the broker drops goes through one of these: counted, logged (rate limited) and
    // answered with a notice (rate limited; section 5.2). `message`: what is known of it, or null.
    void badInput(Peer& peer, const std::string& why, const Decoded* message = nullptr,
                  std::string_view code = "bad-message");
    void refuse(Peer& peer, const std::string& why, const Decoded* message = nullptr,
                std::string_view code = "not-allowed", std::string_view extraJson = {});
    void notice(Peer& peer, std::string_view code, const std::string& why, const Decoded* message,
                std::string_view extraJson = {});
    // A log line a remote peer caused, rate limited per (who, why).
    void peerLog(LogLevel level, const std::string& who, std::string_view why, const std::string& line);
    // broker_notices.cpp: handshake failures seen by the socket monitors (section 10)
    void takeMonitorEvents(zmq::socket_t& monitor, std::string_view socketName);
    // broker.cpp: a journal that fails or recovers (section 8.1)
    void onJournalHealth(const detail::JournalWriter::Health& health);
    void sendToPeer(const std::string& routingId, std::string_view topic, std::string_view type,
                    std::string_view payload, std::string_view corr = {});
    void sendReply(const std::string& routingId, std::string_view commandTopic, std::string_view corr,
                   std::string_view status, const std::string& message);
    void publishState(const std::string& topic, Retained& entry, std::string_view messageId, bool removed = false);
    void publishDriverPresence(const std::string& source, const Driver& driver);
    void markDriverStale(const std::string& source, const Driver& driver);
    Envelope brokerEnvelope(std::string_view type);

    BrokerConfig config;
    std::string epoch;
    zmq::context_t context;
    zmq::socket_t router;
    zmq::socket_t publisher;
    zmq::socket_t routerMonitor;     // PAIR ends of zmq_socket_monitor on the two sockets
    zmq::socket_t publisherMonitor;
    detail::RateLimiter logLimiter;
    detail::RateLimiter noticeLimiter;
    bool journalOk = true;
    int64_t journalFailedSinceUs = 0;
    detail::ZapHandler zap;
    detail::JournalWriter journal;
    std::string journalId;
    std::thread thread;
    std::atomic<bool> stopping{false};
    std::atomic<bool> isRunning{false};
    std::string boundFrontend;
    std::string boundPublisher;

    std::unordered_map<std::string, Peer> peers;
    std::map<std::string, Retained> retained;          // ordered: prefix ranges for snapshots
    std::unordered_map<std::string, std::string> owners; // device -> driver source
    std::unordered_map<std::string, PendingCommand> pending; // command id -> who waits
    uint64_t brokerSeq = 0;
    uint64_t ownSeq = 0;

    // Reliable events (protocol section 8): numbered and published as they arrive, journalled by
    // the journal thread, acked once stored. `lastEventSeq` is the last number handed out,
    // `settledEventSeq` the last the journal has stored; at most Journal::kUncleanGap apart (new
    // reliable events wait with their senders, `journal-busy`, while they are).
    uint64_t lastEventSeq = 0;
    uint64_t settledEventSeq = 0;
    // "source/id" -> number of the newest events, to publish a resent event only once.
    std::unordered_map<std::string, uint64_t> recentEvents;
    std::deque<std::string> recentOrder;
    std::vector<detail::JournalWriter::Result> journalResults;

    mutable std::mutex infoMutex;                 // guards drivers
    std::map<std::string, Driver> drivers;        // by source

    int64_t nextHeartbeatUs = 0;
    int64_t lastLoopUs = 0; // when run() last came round: a longer gap is time the broker could not listen
    std::atomic<uint64_t> statReceived{0}, statPublished{0}, statBad{0}, statRefused{0}, statRateLimited{0},
        statLateReplies{0}, statCommands{0}, statRetained{0}, statBrokerSeq{0}, statEventSeq{0}, statPeers{0},
        statOnline{0}, statNotices{0}, statJournalHeld{0};
    std::atomic<bool> statJournalOk{true};
};

} // namespace ccoc::bus
