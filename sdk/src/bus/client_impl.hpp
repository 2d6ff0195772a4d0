// Internals of ccoc::bus::Client, shared by client.cpp (life cycle, loop, publishing),
// client_receive.cpp (what arrives: welcome, state mirror, events) and client_commands.cpp
// (commands both ways, Responder). Internal to ccoc_bus.
//
// Thread: fields marked [io] are touched only by the I/O thread; the Outbox, the callback queue
// and the mirror have their own mutexes.
#pragma once

#include "ccoc/bus/broker_clock.hpp"
#include "ccoc/bus/client.hpp"
#include "ccoc/bus/codec.hpp"

#include "wire.hpp"

#include <zmq.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ccoc::bus {

// Messages and tasks handed to the I/O thread from any thread. Shared with Responders, which may
// outlive the Client.
struct Outbox {
    struct Item {
        std::string topic;
        std::string envelope;
        std::string payload;
        std::vector<std::string> attachments;
        std::function<void()> task; // set: run on the I/O thread instead of sending
    };
    std::mutex mutex;
    std::condition_variable roomFreed;
    std::deque<Item> items;
    int wakeFd = -1;         // eventfd polled by the I/O thread
    bool closed = false;
    std::string session;
    uint64_t seq = 0;        // last sequence number used (guarded by mutex)
    std::string source;
    // What this client published as retained state: topic -> payload, attachments (guarded by
    // mutex), for republishing after a welcome or a resync. Changed in the same locked step that
    // queues the message, so a republish never queues a value older than one queued before it,
    // whichever thread published (a stale republish would overwrite the newer value at the broker).
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> ownState;

    enum class Keep { Nothing, State, Removal }; // what post() does to ownState
    // Builds the envelope (id, seq) and queues a message. Returns false when closed.
    bool post(Envelope envelope, std::string topic, std::string payload, std::vector<std::string> attachments,
              size_t limit, bool dropWhenFull, std::string* messageId = nullptr, Keep keep = Keep::Nothing);
    bool postTask(std::function<void()> task);
    // Queues every value of ownState again, after everything queued so far.
    void repostOwnState();
    void wake();       // locks
    void wakeLocked(); // caller holds mutex

private:
    void queueLocked(Envelope envelope, std::string topic, std::string payload, std::vector<std::string> attachments,
                     std::string* messageId); // caller holds mutex
};

struct Responder::State {
    std::shared_ptr<Outbox> outbox;
    std::string commandId;
    std::string replyTopic;
    std::atomic<bool> answered{false};
};

struct Client::Impl {
    explicit Impl(ClientConfig configIn);

    // client.cpp
    Status start();
    void stop();
    void run();
    void timers(int64_t nowUs);
    void flushOutbox();
    void sendHello();
    // The broker forgot us or restarted: say hello, unless one is outstanding already (one at a
    // time, protocol section 9; the retry timer resends it).
    void helloNeeded();
    void sendControl(std::string_view topic, std::string_view type, std::string payload, std::string_view corr = {});
    Status publish(Kind kind, std::string_view path, std::string_view json, const PublishOptions& options);
    void callback(std::function<void()> fn, bool droppable);
    void republishState();

    // client_receive.cpp
    void onDealerMessage(Decoded& message);
    void onSubMessage(Decoded& message);
    void onWelcome(const Decoded& message);
    void onBrokerHeartbeat(const Decoded& message, bool fromPublisher);
    void onSnapshot(const Decoded& message);
    void onState(Decoded& message);
    void onEvent(Decoded& message);
    void requestSnapshot();
    void requestReplay();
    void onReplayEnd(const Decoded& message);
    // Marks reliable event number `seq` of the current journal as handled (cursor, or above it).
    void takeNumber(uint64_t seq);
    void applyState(const Decoded& message);
    void deliver(const Decoded& message, Kind kind);

    // client_commands.cpp
    void onCommand(const Decoded& message);
    void onReply(const Decoded& message);
    void expireCommands(int64_t nowUs);
    void failAllCommands();

    ClientConfig config;
    std::shared_ptr<Outbox> outbox = std::make_shared<Outbox>();
    zmq::context_t context;
    zmq::socket_t dealer;
    zmq::socket_t sub;
    std::thread thread;
    std::atomic<bool> stopping{false};
    std::atomic<bool> started{false};
    Limits brokerLimits; // for what the broker sends: larger snapshot chunks

    // [io] connection
    std::deque<Outbox::Item> backlog; // waiting for room in the DEALER
    // Hellos sent since the last welcome: a welcome to any of them is the one awaited (a slow
    // broker's answer to the first still counts after a retry).
    std::vector<std::string> helloIds;
    std::string epoch;
    std::string journal;
    int64_t lastHelloUs = 0;
    int64_t lastHeartbeatSentUs = 0;
    int64_t lastHeardUs = 0;
    bool welcomed = false;
    // The broker's clock, from its timestamps, for command deadlines (protocol section 7.2).
    BrokerClock brokerClock;
    // Notes the timestamp of a message the broker itself sent (src "_bus").
    void observeBrokerClock(const Decoded& message);

    // [io] reliable events not yet acknowledged: id -> topic, payload, last send
    struct Unacked {
        std::string topic;
        std::string payload;
        Envelope envelope;
        int64_t lastSentUs = 0;
    };
    std::map<std::string, Unacked> unacked;

    // [io] reliable events received
    uint64_t eventCursor = 0;
    bool cursorSet = false;
    std::set<uint64_t> handledAbove;
    std::unordered_set<std::string> seenIds;
    std::deque<std::string> seenOrder;
    int64_t lastReplayUs = 0;

    // mirror (Clone pattern); mirrorMutex guards mirror, and the io thread alone writes it
    enum class MirrorPhase { Idle, Requesting, Synced };
    MirrorPhase phase = MirrorPhase::Idle; // [io]
    std::string snapshotId;                 // [io]
    int64_t snapshotDeadlineUs = 0;         // [io]
    std::map<std::string, StateEntry> snapshotBuffer; // [io] being received
    std::vector<Decoded> pendingUpdates;    // [io] arrived during the snapshot
    uint64_t lastBrokerSeq = 0;             // [io]
    mutable std::mutex mirrorMutex;
    std::map<std::string, StateEntry> mirror; // by path

    // subscriptions
    struct Subscription {
        uint64_t id;
        std::string prefix; // wire prefix
        MessageHandler handler;
    };
    std::mutex subscriptionMutex;
    std::shared_ptr<const std::vector<Subscription>> subscriptions = std::make_shared<std::vector<Subscription>>();
    std::atomic<uint64_t> nextSubscriptionId{1};

    // commands sent: id -> handler, local deadline [io]
    struct Waiting {
        ReplyHandler handler;
        int64_t deadlineUs = 0;
    };
    std::unordered_map<std::string, Waiting> waiting;
    // commands served
    CommandHandler commandHandler;
    DeadmanHandler deadmanHandler;
    std::map<std::string, std::pair<std::string, int64_t>> deadmen; // device/action -> (action, expiry) [io]

    // callbacks in Queued mode
    std::mutex callbackMutex;
    std::deque<std::function<void()>> callbacks;
    size_t droppableQueued = 0;

    // subscription barriers (waitSubscribed): token -> last sync/1 sent [io]
    std::map<std::string, int64_t> syncPending;
    std::atomic<uint64_t> nextSyncToken{1};
    std::set<std::string> syncReached; // guarded by readyMutex
    std::unordered_set<std::string> pendingReliable; // reliable event ids not yet acked; readyMutex

    // readiness
    std::mutex readyMutex;
    std::condition_variable readyChanged;

    std::atomic<uint64_t> statSent{0}, statReceived{0}, statDropped{0}, statDuplicates{0}, statResyncs{0},
        statWelcomes{0}, statPending{0}, statEventCursor{0};
    std::atomic<int64_t> statOfflineAfterMs{0};
    std::atomic<bool> statConnected{false}, statSynced{false};
};

} // namespace ccoc::bus
