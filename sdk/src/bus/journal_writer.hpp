// The broker's journal thread: stores reliable events and serves replays off the broker's I/O
// thread, so a slow disk (an fsync can stall for a hundred milliseconds) never holds up
// delivery, heartbeats or commands. Internal to ccoc_bus.
//
// Group commit: every store request queued while the previous transaction was on its way to the
// disk goes into the next one. Requests are handled in the order they were submitted, so a replay
// submitted after a store sees that store committed.
//
// A journal that cannot commit (a full or failing disk; protocol section 8.1): the batch is rolled
// back and held, in order, and retried with back-off (100 ms doubling to `retryMaxMs`) for as
// long as it takes; events submitted meanwhile queue behind it. No ack leaves for a held event,
// and a resend of one is absorbed (the broker published it already; the ack comes once it is
// stored). Each attempt reports its Health, so the broker can tell the desks.
//
// Thread: open(), journal(), start(), stop() on the owner's thread (the broker's start/stop);
// submit(), wakeFd(), take() on the broker's I/O thread; the journal is touched only by the
// journal thread once started.
#pragma once

#include "journal.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace ccoc::bus::detail {

class JournalWriter {
public:
    struct StoreRequest {
        uint64_t seq = 0;
        bool knownDuplicate = false; // already published under `seq`: only ack once it is stored
        std::string routingId;       // who gets the ack
        std::string source;
        std::string messageId;
        std::string topic;
        std::string envelope;
        std::string payload;
    };
    struct ReplayRequest {
        std::string routingId;
        std::string requestId;
        uint64_t after = 0;
        uint64_t through = 0; // the last number published when the request came in
    };
    struct Row {
        uint64_t seq = 0;
        std::string topic;
        std::string envelope;
        std::string payload;
    };
    struct Stored {
        std::string routingId;
        std::string source;
        std::string messageId;
        uint64_t seq = 0;
        bool ok = false;           // false: the database failed; no ack, the sender resends
        bool knownDuplicate = false;
        bool republished = false;  // the journal already had it under another number
        std::string error;
    };
    // After every commit attempt while the journal fails, and after the first that succeeds again.
    struct Health {
        bool ok = true;
        std::string error;         // the database's words, when !ok
        size_t held = 0;           // events waiting to be stored
    };
    struct Replayed {
        std::string routingId;
        std::string requestId;
        uint64_t after = 0;
        uint64_t through = 0;      // every event up to here has now been sent to the peer
        std::vector<Row> rows;
    };
    using Result = std::variant<Stored, Replayed, Health>;

    JournalWriter();
    ~JournalWriter();
    JournalWriter(const JournalWriter&) = delete;
    JournalWriter& operator=(const JournalWriter&) = delete;

    Status open(const std::string& path, size_t keep);
    // Before start() only.
    [[nodiscard]] Journal& journal() noexcept { return m_journal; }
    // Starts the thread. `commitDelayMs` (tests only) holds every commit that long, as a slow disk.
    void start(int commitDelayMs, size_t replayLimit, int retryMaxMs = 5000);
    // Handles what is queued, then stops the thread and closes the journal (marking it closed in
    // order). Results not yet taken are dropped (their senders resend). Idempotent.
    void stop();

    void submit(StoreRequest request);
    void submit(ReplayRequest request);
    // Readable (poll) while results wait to be taken.
    [[nodiscard]] int wakeFd() const noexcept { return m_wakeFd; }
    // Moves every waiting result into `out` (appending), oldest first.
    void take(std::vector<Result>& out);

private:
    using Request = std::variant<StoreRequest, ReplayRequest>;
    void run();
    // Stores the held requests and then `batch` in one transaction, or holds them all.
    void storeBatch(std::vector<StoreRequest>& batch, std::vector<Result>& results);
    void deliver(std::vector<Result>& results);

    Journal m_journal;
    int m_wakeFd = -1;
    int m_commitDelayMs = 0;
    size_t m_replayLimit = 1000;
    int m_retryMaxMs = 5000;
    // Journal thread only: what failed to commit, oldest first, and when to try again.
    std::vector<StoreRequest> m_held;
    int m_backoffMs = 0;
    uint64_t m_committedSeq = 0;     // every number up to here is stored (or never will be)
    std::thread m_thread;
    std::mutex m_mutex;              // guards the three members below
    std::condition_variable m_wake;
    std::deque<Request> m_queue;
    bool m_stopping = false;
    std::mutex m_resultMutex;        // guards m_results
    std::vector<Result> m_results;
};

} // namespace ccoc::bus::detail
