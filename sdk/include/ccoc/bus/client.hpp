// The bus client: what drivers, consoles, tools and the host use to speak the bus
// (sdk/docs/bus-protocol.md). No ImGui, no GLFW.
//
// Threads: a Client owns one I/O thread that holds its sockets. Every public function may be
// called from any thread (they hand work to the I/O thread and never wait on the network).
// Callbacks run on the I/O thread when ClientConfig::callbacks is IoThread, or on the thread that
// calls dispatch() when it is Queued (the host uses Queued so plugin callbacks run on its main
// thread). A callback must not call stop() or destroy the Client.
//
// Errors a caller can cause (bad path, bad JSON, not started) come back as Status values; the
// Client never throws out of its public functions except std::bad_alloc.
#pragma once

#include "ccoc/bus/types.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::bus {

enum class Role { Driver, Console, Tool };

// CURVE keys, Z85 text (40 characters each). Never logged.
struct CurveClientKeys {
    std::string publicKey;
    std::string secretKey;
    std::string serverPublicKey; // the broker's
};

struct ClientConfig {
    std::string sourceId;                  // "sim-1": a topic segment; the envelope's "src"
    Role role = Role::Console;
    std::string frontendEndpoint;          // broker ROUTER, "tcp://127.0.0.1:5570"
    std::string publisherEndpoint;         // broker PUB, "tcp://127.0.0.1:5571"
    std::vector<std::string> devices;      // devices this driver owns (role Driver)
    int heartbeatMs = 1000;
    bool mirrorState = false;              // keep a retained-state mirror (Clone pattern)
    bool receiveReliableEvents = false;    // replay missed reliable events from the journal
    // Resume reliable events after this position of this broker journal (Message::journal and
    // Message::eventSeq of the last event the application stored), instead of "from now on".
    // A broker with another journal replays its journal from the start.
    std::string eventCursorJournal;
    uint64_t eventCursorSeq = 0;
    std::optional<CurveClientKeys> curve;  // set when the bus uses CURVE
    // With receiveReliableEvents: every reliable event of `journal` up to `through` has now been
    // handed to the handlers, was a duplicate (by id) of one handed earlier under another number,
    // or does not exist (left out after a broker crash, or trimmed). Called after each replay
    // (replay-end/1) and when a duplicate is dropped, on the handlers' thread and after them. An
    // application that keeps its own cursor (Message::eventSeq) may move it to `through`.
    // Protocol section 8.
    std::function<void(const std::string& journal, uint64_t through)> onEventsSettled;
    enum class Callbacks { IoThread, Queued } callbacks = Callbacks::IoThread;
    size_t queueLimit = 10000;             // Queued: telemetry/state callbacks beyond are dropped
    Limits limits;
};

struct PublishOptions {
    int64_t acquiredUs = 0;                // 0: now
    bool reliable = false;                 // events only: at-least-once (protocol section 8)
    std::vector<std::string> attachments;  // binary frames, at most 5
    // When the outgoing queue is full (broker unreachable), wait for room (true: drivers, which
    // must not lose state) or fail at once with "queue full" (false: the render thread, which must
    // never wait; state stays kept and is republished after the next welcome, a reliable event
    // stays pending and is resent).
    bool waitForRoom = true;
    // Reliable events: receives the message id, for waitAcknowledged().
    std::string* messageIdOut = nullptr;
};

struct ClientStats {
    uint64_t sent = 0;
    uint64_t received = 0;
    uint64_t dropped = 0;          // bad input, queue overflow, late replies
    uint64_t duplicates = 0;       // reliable events dropped by message id
    uint64_t resyncs = 0;          // state mirror resyncs (gap or new epoch)
    uint64_t welcomes = 0;         // hello/welcome exchanges (1 + broker restarts)
    uint64_t pendingReliable = 0;  // events sent but not yet acknowledged
    uint64_t eventCursor = 0;      // with receiveReliableEvents: every reliable event up to this number was handled
    // The broker's offline_after_ms from the last welcome (0 before one): a driver the broker
    // calls online was heard within this long (protocol section 9).
    int64_t brokerOfflineAfterMs = 0;
    bool connected = false;        // a welcome came and the broker was heard recently
    bool stateSynced = false;      // mirror holds a snapshot and every update since
};

using MessageHandler = std::function<void(const Message&)>;
using ReplyHandler = std::function<void(const Reply&)>;

// Answers one incoming command exactly once. If destroyed unanswered it answers
// error "driver dropped the command". Movable, not copyable. answer() may be called from any thread.
class Responder {
public:
    Responder() = default;
    ~Responder();
    Responder(Responder&&) noexcept;
    Responder& operator=(Responder&&) noexcept;
    Responder(const Responder&) = delete;
    Responder& operator=(const Responder&) = delete;
    // Sends the reply; later calls do nothing. Returns false when already answered.
    bool answer(Reply reply);
    [[nodiscard]] bool answered() const noexcept;

    struct State; // implementation detail
    explicit Responder(std::shared_ptr<State> state) : m_state(std::move(state)) {}

private:
    std::shared_ptr<State> m_state;
};

// [client callback thread] Handles a command for a device this driver owns.
using CommandHandler = std::function<void(const IncomingCommand&, Responder)>;
// [client callback thread] A continuous action's dead-man interval ran out: stop it.
using DeadmanHandler = std::function<void(std::string_view device, std::string_view action)>;

class Client {
public:
    explicit Client(ClientConfig config);
    ~Client(); // stops
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Validates the config, connects, starts the I/O thread, sends hello. Does not wait for the
    // broker: the bus may come up later. Error: bad config (says which field and why).
    Status start();
    // Stops the I/O thread and closes the sockets. Pending commands are answered `unavailable`.
    void stop();

    // Waits up to timeoutMs for a welcome (and, with mirrorState, a complete snapshot).
    // Returns false on timeout. [any thread but a callback]
    bool waitReady(int timeoutMs);

    // Subscription barrier: waits until every subscribe() made before this call is in effect at
    // the broker, so that whatever is published after it returns reaches this client (ZeroMQ
    // sends subscriptions asynchronously). Returns false on timeout or without a broker.
    // [any thread but a callback]
    bool waitSubscribed(int timeoutMs);

    // Publishes a state value (retained), an event, or telemetry. `path` is "DEVICE/KEY..."
    // ("cam-1/ptz/position"), `json` the payload. Errors: bad path, invalid JSON, too big.
    // State published here is also kept by the client and republished after every welcome and
    // every resync request.
    Status publishState(std::string_view path, std::string_view json, const PublishOptions& options = {});
    Status publishEvent(std::string_view path, std::string_view json, const PublishOptions& options = {});
    Status publishTelemetry(std::string_view path, std::string_view json, const PublishOptions& options = {});

    // Removes a retained state key at the broker: it leaves every mirror and every later
    // snapshot, and subscribers get a State message with `removed` set. The client stops
    // republishing it. Errors: bad path, not started. [any thread]
    Status removeState(std::string_view path);

    // Waits until the broker has acknowledged (journalled) the reliable event with this id (from
    // PublishOptions::messageIdOut). True at once for an id that is not pending. False on
    // timeout: the event stays pending and is still resent. [any thread but a callback]
    bool waitAcknowledged(const std::string& messageId, int timeoutMs);

    // Calls handler for every message whose topic starts with the prefix "KIND/SEGMENTS..."
    // ("event/cam-1", "state", "" for everything). Segment-safe: "event/cam-1" never matches
    // "event/cam-10". Returns an id for unsubscribe, or 0 and a logged reason on a bad prefix.
    uint64_t subscribe(std::string_view prefix, MessageHandler handler);
    void unsubscribe(uint64_t id);

    // Retained state from the mirror (mirrorState must be true). `path` "cam-1/ptz/position".
    [[nodiscard]] std::optional<StateEntry> state(std::string_view path) const;
    // Every retained entry whose path lies under the prefix ("cam-1", "" for all), sorted by path.
    [[nodiscard]] std::vector<StateEntry> stateSnapshot(std::string_view prefix = {}) const;

    // Sends a command; `onReply` is called exactly once (with timeout when nothing comes within
    // ttlMs + 1000 ms). Returns an error status (and does not call onReply) for a bad command.
    Status sendCommand(const Command& command, ReplyHandler onReply);

    // Serves commands for the devices in ClientConfig::devices. Set before start().
    void serveCommands(CommandHandler handler, DeadmanHandler onDeadman = {});

    // Queued mode: runs up to maxCallbacks queued callbacks on the calling thread; returns how many.
    size_t dispatch(size_t maxCallbacks = SIZE_MAX);

    [[nodiscard]] ClientStats stats() const;
    [[nodiscard]] const std::string& sessionId() const noexcept;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace ccoc::bus
