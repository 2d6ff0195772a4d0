// The alarm service's journal thread: writes each batch the worker has applied, in order, and
// commits (several batches in one transaction when they queue up behind a slow disk). The worker
// never waits for the disk, so an alarm reaches the desks while the previous one is still on its
// way to the journal; what must wait (command replies, closed items leaving the bus, the raised
// and escalated events, the bus cursor) is handed back to the worker once its batch is committed.
//
// A write that fails (disk full, file unwritable, a journal another process broke) loses nothing:
// the failed batches are rolled back and kept, in order, with every batch submitted after them,
// and written again after a back-off (0.1 s doubling to the configured ceiling) until they commit.
// The worker hears of each change of health (failing, written again) through `Health`.
//
// Thread: start(), stop() on the service's owner thread; submit() on the worker; the writer
// journal is touched only by the journal thread once started; `done` and `health` are called on
// the journal thread.
#pragma once

#include "alarm_journal.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ccoc::alarm_service {

struct BatchEffects;

// One batch's writes, and what to do once they are committed.
struct JournalJob {
    JournalJob();
    ~JournalJob(); // where BatchEffects is complete (alarm_batch.cpp)
    JournalJob(const JournalJob&) = delete;
    JournalJob& operator=(const JournalJob&) = delete;

    // Each write may run more than once (again after a failed commit): it must only write.
    std::vector<std::function<bool(AlarmJournal&)>> writes;
    std::optional<BusCursor> cursor;         // saved with the writes when the cursor moved
    std::unique_ptr<BatchEffects> effects;   // published by the worker once committed
    std::vector<std::string> eventKeys;      // events in this batch (the worker's duplicate check)
    // Set by the journal thread: true once committed; false only for batches still unwritten
    // when the service stops (their events stay in the broker's journal, before the cursor).
    bool ok = false;
    std::string error;
};

// A change of the journal's health, for the worker.
struct JournalHealthChange {
    bool ok = true;     // false: a write failed and is retried; true: written again
    std::string error;  // the journal's error at the failed write
    size_t jobsWaiting = 0;
};

class JournalThread {
public:
    using Done = std::function<void(std::unique_ptr<JournalJob>)>;
    using Health = std::function<void(const JournalHealthChange&)>;

    JournalThread() = default;
    ~JournalThread();
    JournalThread(const JournalThread&) = delete;
    JournalThread& operator=(const JournalThread&) = delete;

    // Starts writing to `writer` (kept by the caller, unused by it until stop()). `done` gets
    // every job back, in order, once committed; `health` each failure after a good write and each
    // good write after a failure. `maxRetryMs`: the longest wait between two attempts.
    void start(AlarmJournal& writer, Done done, Health health, int maxRetryMs);
    // Writes what is queued (one more attempt for batches that are failing), then stops: what
    // still cannot be written comes back through `done` with ok false. Idempotent.
    void stop();
    void submit(std::unique_ptr<JournalJob> job);
    // Attempts to commit that failed so far (each retry counts). [any thread]
    [[nodiscard]] uint64_t failedAttempts() const noexcept { return m_failedAttempts.load(); }

private:
    void run();
    // Tries to commit `m_retry` (the jobs not yet written, oldest first); true when committed.
    bool writePending();

    AlarmJournal* m_writer = nullptr;
    Done m_done;
    Health m_health;
    std::chrono::milliseconds m_maxRetry{2000};
    std::thread m_thread;
    std::mutex m_mutex; // guards the two members below
    std::condition_variable m_wake;
    std::deque<std::unique_ptr<JournalJob>> m_queue;
    bool m_stopping = false;
    // [journal thread] jobs taken from the queue and not yet committed, and the back-off.
    std::vector<std::unique_ptr<JournalJob>> m_pending;
    bool m_failing = false;
    std::chrono::milliseconds m_backoff{0};
    std::atomic<uint64_t> m_failedAttempts{0};
};

} // namespace ccoc::alarm_service
