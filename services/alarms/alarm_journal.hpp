// The alarm service's journal: one SQLite file (WAL, synchronous=FULL) that holds every alarm,
// every event that made or changed one (each event_id once), every operator action and the bus
// cursor (which reliable events of which broker journal were handled).
//
// Thread: one thread at a time (the service's worker). Errors are values: a false return or an
// empty optional, with lastError() saying what failed.
#pragma once

#include "ccoc/alarm.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace ccoc::alarm_service {

// Where the service is in the broker's journal of reliable events.
struct BusCursor {
    std::string journal; // the broker journal's id; empty: none yet
    uint64_t eventSeq = 0; // every event up to this one was handled
};

class AlarmJournal {
public:
    // Opens (creating if needed) the journal at `path`; an empty path keeps it in memory. Null
    // and `error` set when the file cannot be opened or is not an alarm journal.
    static std::unique_ptr<AlarmJournal> open(const std::string& path, std::string& error);
    ~AlarmJournal();
    AlarmJournal(const AlarmJournal&) = delete;
    AlarmJournal& operator=(const AlarmJournal&) = delete;
    AlarmJournal(AlarmJournal&&) = delete;
    AlarmJournal& operator=(AlarmJournal&&) = delete;

    // One transaction per batch: everything between begin() and commit() is written together.
    bool begin();
    bool commit();
    void rollback();

    // Whether an event with this id was already stored.
    [[nodiscard]] bool hasEvent(const std::string& eventId);
    // Stores an event (the payload as received) for `alarmId`. A repeat of an id is ignored.
    bool addEvent(const std::string& eventId, const std::string& alarmId, const std::string& device,
                  const std::string& source, int64_t receivedUs, const std::string& payload);
    // Inserts or replaces the alarm (by id); `number` is the alarm's serial number.
    bool saveAlarm(int64_t number, const alarm::AlarmRecord& record);
    bool addAction(const std::string& alarmId, const std::string& who, int64_t atUs, const std::string& what,
                   const std::string& note);
    bool saveCursor(const BusCursor& cursor);

    [[nodiscard]] BusCursor cursor();
    // Every alarm that is not closed, oldest first, with its serial number.
    [[nodiscard]] std::vector<std::pair<int64_t, alarm::AlarmRecord>> openAlarms();
    // The state of alarm `id`, or nullopt when there is no such alarm.
    [[nodiscard]] std::optional<alarm::AlarmRecord> findAlarm(const std::string& id);
    // The largest serial number used so far (0 when none).
    [[nodiscard]] int64_t lastNumber();
    // Record JSON of alarms, newest first: at most `limit`, containing `search` (empty: any), first
    // seen before `beforeUs` (0: any).
    [[nodiscard]] std::vector<std::string> history(int limit, const std::string& search, int64_t beforeUs);
    // How many events are stored (tests, statistics).
    [[nodiscard]] int64_t eventCount();

    [[nodiscard]] const std::string& lastError() const noexcept { return error_; }

private:
    AlarmJournal() = default;
    bool exec(const char* sql);
    bool fail(const char* what);
    sqlite3_stmt* prepare(const char* sql);

    sqlite3* db_ = nullptr;
    std::vector<sqlite3_stmt*> statements_;
    sqlite3_stmt* hasEvent_ = nullptr;
    sqlite3_stmt* addEvent_ = nullptr;
    sqlite3_stmt* saveAlarm_ = nullptr;
    sqlite3_stmt* addAction_ = nullptr;
    sqlite3_stmt* saveCursor_ = nullptr;
    std::string error_;
};

} // namespace ccoc::alarm_service
