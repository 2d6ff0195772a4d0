// The alarm service's journal thread: writes each batch the worker has applied, in order, and
// commits (several batches in one transaction when they queue up behind a slow disk). The worker
// never waits for the disk, so an alarm reaches the desks while the previous one is still on its
// way to the journal; what must wait (command replies, closed items leaving the bus, the raised
// and escalated events) is handed back to the worker once its batch is committed.
//
// Thread: start(), stop() on the service's owner thread; submit() and reset() on the worker; the
// writer journal is touched only by the journal thread once started.
#pragma once

#include "alarm_journal.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ccoc::alarm_service {

struct BatchEffects;

// One batch's writes, and what to do once they are committed (or not).
struct JournalJob {
    JournalJob();
    ~JournalJob(); // where BatchEffects is complete (alarm_batch.cpp)
    JournalJob(const JournalJob&) = delete;
    JournalJob& operator=(const JournalJob&) = delete;

    std::vector<std::function<bool(AlarmJournal&)>> writes;
    std::optional<BusCursor> cursor;         // saved with the writes when the cursor moved
    std::unique_ptr<BatchEffects> effects;   // published by the worker once committed
    std::vector<std::string> eventKeys;      // events in this batch (the worker's duplicate check)
    uint64_t generation = 0;                 // the worker's journal generation when submitted
    bool ok = false;                         // set by the journal thread
    std::string error;
};

// The journal as it is after a reset (the worker reloads its book from it).
struct JournalState {
    std::vector<std::pair<int64_t, alarm::AlarmRecord>> open;
    int64_t lastNumber = 0;
    BusCursor cursor;
    std::string error;
};

class JournalThread {
public:
    using Done = std::function<void(std::unique_ptr<JournalJob>)>;

    JournalThread() = default;
    ~JournalThread();
    JournalThread(const JournalThread&) = delete;
    JournalThread& operator=(const JournalThread&) = delete;

    // Starts writing to `writer` (kept by the caller, unused by it until stop()). `done` gets
    // every job back, in order, on the journal thread.
    void start(AlarmJournal& writer, Done done);
    // Writes what is queued, then stops. Idempotent.
    void stop();
    void submit(std::unique_ptr<JournalJob> job);
    // After a failed job: every job queued before this fails too (it was built on the failed
    // one); then the journal is read back and writing goes on. Blocks until done.
    JournalState reset();

private:
    struct Item {
        std::unique_ptr<JournalJob> job;
        std::promise<JournalState>* reset = nullptr;
    };
    void run();
    void writeGroup(std::vector<std::unique_ptr<JournalJob>>& group);

    AlarmJournal* m_writer = nullptr;
    Done m_done;
    std::thread m_thread;
    std::mutex m_mutex; // guards the three members below
    std::condition_variable m_wake;
    std::deque<Item> m_queue;
    bool m_stopping = false;
    bool m_failed = false; // [journal thread] a job failed; fail the rest until reset()
};

} // namespace ccoc::alarm_service
