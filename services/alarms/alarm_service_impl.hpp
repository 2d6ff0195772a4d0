// Internal: the alarm service's parts shared by alarm_service.cpp (threads, queue, start/stop)
// and alarm_batch.cpp (what one batch of events and commands does).
#pragma once

#include "alarm_book.hpp"
#include "alarm_journal.hpp"
#include "alarm_journal_thread.hpp"
#include "alarm_rules.hpp"
#include "alarm_service.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace ccoc::alarm_service {

// One unit of work the I/O thread hands to the worker.
struct Work {
    std::optional<bus::Message> event;
    std::optional<bus::IncomingCommand> command;
    bus::Responder responder;
    std::optional<std::vector<std::string>> retainedIds; // alarm items the broker holds (sweep)
    std::optional<std::pair<std::string, uint64_t>> replayEnd; // journal, through (client's replay done)
    std::unique_ptr<JournalJob> done;                    // a batch back from the journal thread
    std::optional<JournalHealthChange> health;           // the journal failing, or written again
};

// When an open, unacknowledged alarm escalates next.
struct Escalation {
    EscalationPolicy policy;
    int64_t nextUs = 0;
};

// What a batch changed: items, the summary and wall commands are published at once, the rest
// once the journal thread has committed it.
struct BatchEffects {
    std::set<std::string> changed;           // alarm ids to republish (or remove when closed)
    std::vector<std::string> raised;         // new alarms
    std::vector<std::string> escalated;      // alarms escalated
    std::vector<WallCommand> walls;
    struct PendingReply {
        bus::Responder responder;
        bus::CommandStatus status = bus::CommandStatus::Ok;
        std::string message;
        std::string alarmId;    // result: this alarm's record
        std::string resultJson; // or this result
        // or this one, filled on the journal thread in the batch's own transaction (history)
        std::shared_ptr<std::string> resultFromJournal;
    };
    std::vector<PendingReply> replies;
    bool cursorMoved = false;
};

struct AlarmService::Impl {
    Impl(const site::Site& site, AlarmServiceConfig config);

    void log(LogLevel level, const std::string& message) const;
    void enqueue(Work work);
    void run();

    // alarm_batch.cpp
    void processBatch(std::deque<Work>& batch);
    void takeEvent(const bus::Message& message, JournalJob& job);
    void advanceCursor(const bus::Message& message, BatchEffects& effects);
    void takeReplayEnd(const std::string& busJournal, uint64_t through, BatchEffects& effects);
    void takeCommand(const bus::IncomingCommand& command, bus::Responder responder, JournalJob& job);
    void escalateDue(int64_t nowUs, JournalJob& job);
    void saveLater(JournalJob& job, const alarm::AlarmRecord& record);
    // A batch back from the journal thread: publish what waited for the commit (or, at stop, say
    // what could not be written and answer its commands with an error).
    void finishJob(std::unique_ptr<JournalJob> job);
    // alarm_journal_fault.cpp: the journal failing or written again (log, health, own alarm).
    void takeJournalHealth(const JournalHealthChange& change, JournalJob& job);
    // An event of the service's own device "alarms" (the journal-fault alarm), taken like a
    // driver's but outside the bus cursor.
    void takeOwnEvent(bool active, const std::string& text, int64_t nowUs, JournalJob& job);
    // state/alarms/journal/ when it changed; a reminder in the log at most once a minute.
    void publishJournalHealth(int64_t nowUs);
    [[nodiscard]] std::vector<std::string> alarmsNotStored() const;
    // An event beyond the bound while the journal fails: left in the broker's journal, and the
    // cursor stays before it. `alarmEvent`: an alarm's (counted for the operators), not another.
    void holdEvent(const bus::Message& message, bool alarmEvent);
    void publish(BatchEffects& effects);
    void publishEarly(BatchEffects& effects);
    void publishAll();
    // The record as the desks get it: `stored` false while a change of it waits for the journal.
    [[nodiscard]] std::string encodeItem(const alarm::AlarmRecord& record) const;
    // At start: the rules' camera pushes of the open, unacknowledged alarms, again.
    void pushOpenAlarmsToWalls();
    void armEscalation(const alarm::AlarmRecord& record, int64_t fromUs);
    // [sweeper thread] Reads which alarm items the broker retains and hands them to the worker,
    // which removes those of alarms that are not open (closed by a run that died before it could
    // remove them).
    void sweepRetained();
    void removeStaleItems(const std::vector<std::string>& retainedIds);
    [[nodiscard]] int64_t nextWakeUs() const;
    // alarm_publish.cpp: wall.set_tile, sent again (with backoff) while the wall is not on the bus
    // yet or does not answer: a host that starts draws its walls a moment after the service runs.
    void sendWall(const WallCommand& wall, int attempt);
    void sendDueWalls(int64_t nowUs);

    const site::Site& site;
    AlarmServiceConfig config;
    std::unique_ptr<AlarmJournal> journal; // [journal thread once started] the writer
    std::unique_ptr<AlarmJournal> reader;  // [worker] reads what is committed
    JournalThread journalThread;
    std::string temporaryJournal;          // the file standing in for "in memory"; removed at stop
    std::set<std::string> pendingKeys;     // [worker] event keys of batches not yet committed
    // [worker] alarm id -> batches not yet committed that changed it: while any, the alarm is
    // published with "stored": false.
    std::map<std::string, int> unstored;
    size_t eventsWaiting = 0;              // [worker] alarm events in batches not yet committed
    std::set<std::string> unwrittenAtStop; // [owner, in stop()] alarms of batches never written
    std::string unwrittenError;

    // [worker] the journal's health, as the journal thread last said.
    struct JournalFault {
        bool failing = false;
        std::string error;
        int64_t sinceUs = 0;
        int64_t loggedUs = 0;              // the last error line of this episode
        std::vector<std::string> logged;   // the alarms that line named
        std::set<std::string> episode;     // every alarm that waited during this episode
        uint64_t eventsHeld = 0;           // events left in the broker's journal (beyond the bound)
        bool cursorFrozen = false;         // an event was held: the cursor stays before it
        uint64_t heldFromSeq = 0;          // the first event held
        std::string lastPublished;         // state/alarms/journal/ as last published
    } fault;
    AlarmBook book;
    std::unique_ptr<bus::Client> client;

    std::mutex queueMutex;
    std::condition_variable queueWake;
    std::deque<Work> queue;
    bool stopping = false;
    std::thread worker;
    std::thread sweeper;

    // [worker] the bus cursor: every reliable event up to cursor.eventSeq was handled; those above
    // it that were handled out of order wait in handledAbove.
    BusCursor cursor;
    std::set<uint64_t> handledAbove;
    uint64_t highestTaken = 0;  // [worker] the highest event number taken from cursor.journal
    std::map<std::string, Escalation> escalations; // [worker] by alarm id
    std::string lastSummary;                       // [worker]

    struct WallRetry {
        WallCommand wall;
        int attempt = 0;
        int64_t dueUs = 0;
    };
    mutable std::mutex wallMutex;
    std::vector<WallRetry> wallRetries; // [any thread, wallMutex]

    mutable std::mutex statsMutex;
    AlarmServiceStats stats;
};

// Microseconds since the Unix epoch.
int64_t wallClockUs();

} // namespace ccoc::alarm_service
