// The bus broker as a library: the host embeds it, `ccoc-bus broker` wraps it
// (sdk/docs/bus-protocol.md). Configured from a plain struct; runs on its own threads.
//
// Thread: start/stop/stats from any one controlling thread; stats() from any thread.
#pragma once

#include "ccoc/bus/types.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::bus {

enum class LogLevel { Debug, Info, Warning, Error };
// Called from broker threads; must be thread-safe. Never receives key material.
using LogSink = std::function<void(LogLevel, std::string_view message)>;

// One allow-list entry (protocol section 10): a key, the identity it proves, what it may do.
struct AllowEntry {
    std::string name;                          // source id ("sim-1", "console-1")
    std::string publicKey;                     // Z85, 40 characters
    std::vector<std::string> publishPrefixes;  // wire prefixes it may send: "state/cam-1/", "cmd/"
    std::vector<std::string> devices;          // devices it may own (drivers)
};

struct BrokerSecurity {
    bool curve = false;           // CURVE on both sockets
    std::string serverPublicKey;  // Z85
    std::string serverSecretKey;  // Z85, never logged
    std::vector<AllowEntry> allow;
    // true: the broker binds its own ZAP handler (normal). false: it expects one already bound in
    // the context (tests use this to prove the broker refuses to start when none answers).
    bool builtinZapHandler = true;
};

struct BrokerConfig {
    std::string frontendEndpoint = "tcp://127.0.0.1:5570";  // ROUTER; "tcp://127.0.0.1:*" picks a port
    std::string publisherEndpoint = "tcp://127.0.0.1:5571"; // PUB
    int heartbeatMs = 1000;
    int offlineAfterMs = 3000;
    std::string journalPath;       // SQLite file for reliable events; empty: in memory only
    size_t journalKeep = 100000;   // newest reliable events kept
    // Tests only: hold every journal commit this long, as a slow disk would (shows that delivery
    // does not wait for the journal while acks do).
    int journalCommitDelayMs = 0;
    int peerHighWaterMark = 10000; // per-peer ROUTER queues
    int publisherHighWaterMark = 100000;
    double maxRatePerSender = 0;   // messages/s per peer; 0: unlimited
    // ZMQ_MAXMSGSIZE of the ROUTER: a frame larger than this cuts the sender's connection before
    // libzmq allocates it (a 400 MiB message would otherwise be buffered whole). 0: the decoder's
    // whole-message limit (limits.maxMessageBytes) plus 64 KiB, so a message a little too large
    // still reaches the decoder and its sender gets a `bad-message` notice (protocol section 11).
    size_t maxMessageBytes = 0;
    // Log lines a remote peer can cause (bad input, refusals, handshake failures, devices taken):
    // at most one per peer and reason per interval, the rest counted into the next line.
    int badInputLogIntervalMs = 10000;
    // Notices back to a peer (protocol section 5.2): at most one per peer and code per interval.
    int noticeIntervalMs = 1000;
    // A journal that cannot commit is retried with back-off, doubling up to this (section 8.1).
    int journalRetryMaxMs = 5000;
    Limits limits;
    BrokerSecurity security;
    LogSink log;                   // empty: stderr
};

struct BrokerStats {
    uint64_t received = 0;
    uint64_t published = 0;
    uint64_t badMessages = 0;      // failed decoding
    uint64_t refused = 0;          // not allowed: wrong identity, prefix, device not owned, superseded session
    uint64_t rateLimited = 0;
    uint64_t lateReplies = 0;
    uint64_t commandsRouted = 0;
    uint64_t retainedKeys = 0;
    uint64_t brokerSeq = 0;
    uint64_t eventSeq = 0;         // number of the last reliable event published
    uint64_t peers = 0;
    uint64_t onlineDrivers = 0;
    uint64_t notices = 0;          // notices sent to peers (section 5.2), after rate limiting
    uint64_t journalHeld = 0;      // reliable events published but not yet stored (journal failing)
    bool journalOk = true;         // false while the journal cannot commit (section 8.1)
};

// A driver as the broker sees it (for the host's bus panel and `ccoc-bus list`).
struct DriverInfo {
    std::string source;
    std::string session;
    std::vector<std::string> devices;  // the devices it owns (section 7.1)
    bool online = false;
    int64_t lastHeardUs = 0;       // wall clock
    uint64_t messages = 0;
    std::vector<std::string> waiting;  // announced, but owned by another live driver (section 7.1)
    int heartbeatMs = 0;               // its own interval, from its hello (section 9)
    int offlineAfterMs = 0;            // silent this long: offline
};

class Broker {
public:
    explicit Broker(BrokerConfig config);
    ~Broker(); // stops
    Broker(const Broker&) = delete;
    Broker& operator=(const Broker&) = delete;

    // Binds, opens the journal, starts the threads. Errors: bad config, bind failure, journal
    // failure, CURVE without a ZAP handler answering. On error nothing keeps running.
    Status start();
    // Stops the threads and closes sockets and journal. Idempotent.
    void stop();
    [[nodiscard]] bool running() const noexcept;

    // Actual endpoints after start (a "*" port resolved), for clients to connect to.
    [[nodiscard]] std::string frontendEndpoint() const;
    [[nodiscard]] std::string publisherEndpoint() const;
    [[nodiscard]] const std::string& epoch() const noexcept;

    [[nodiscard]] BrokerStats stats() const;
    [[nodiscard]] std::vector<DriverInfo> drivers() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

// Makes a CURVE key pair, Z85 text. Error when libzmq lacks CURVE.
Status generateCurveKeyPair(std::string& publicKey, std::string& secretKey);

} // namespace ccoc::bus
