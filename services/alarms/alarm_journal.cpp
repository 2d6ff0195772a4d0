// AlarmJournal: the SQLite tables behind the alarm service.
#include "alarm_journal.hpp"

#include <sqlite3.h>

namespace ccoc::alarm_service {
namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS alarms(
  number INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  device TEXT NOT NULL,
  type TEXT NOT NULL,
  point TEXT NOT NULL,
  state TEXT NOT NULL,
  priority INTEGER NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alarms_state ON alarms(state);
CREATE INDEX IF NOT EXISTS alarms_first ON alarms(first_us);
CREATE TABLE IF NOT EXISTS events(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  alarm_id TEXT NOT NULL,
  device TEXT NOT NULL,
  source TEXT NOT NULL,
  received_us INTEGER NOT NULL,
  payload TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS actions(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  alarm_id TEXT NOT NULL,
  who TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  what TEXT NOT NULL,
  note TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS actions_alarm ON actions(alarm_id);
CREATE TABLE IF NOT EXISTS cursor(
  one INTEGER PRIMARY KEY CHECK (one = 1),
  journal TEXT NOT NULL,
  event_seq INTEGER NOT NULL);
)";

void bindText(sqlite3_stmt* statement, int index, const std::string& text) {
    sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string columnText(sqlite3_stmt* statement, int column) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
    return text != nullptr ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement, column))) : std::string();
}

// Runs a statement that returns no rows and resets it.
bool runOnce(sqlite3_stmt* statement) {
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return rc == SQLITE_DONE;
}

} // namespace

std::unique_ptr<AlarmJournal> AlarmJournal::open(const std::string& path, std::string& error) {
    std::unique_ptr<AlarmJournal> journal(new AlarmJournal());
    const std::string target = path.empty() ? ":memory:" : path;
    if (sqlite3_open(target.c_str(), &journal->db_) != SQLITE_OK) {
        error = "cannot open the alarm journal " + target + ": " +
                (journal->db_ != nullptr ? sqlite3_errmsg(journal->db_) : "out of memory");
        return nullptr;
    }
    sqlite3_busy_timeout(journal->db_, 5000);
    if (!journal->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;") || !journal->exec(kSchema)) {
        error = "cannot use " + target + " as the alarm journal: " + journal->error_;
        return nullptr;
    }
    journal->hasEvent_ = journal->prepare("SELECT 1 FROM events WHERE event_id = ?1");
    journal->addEvent_ = journal->prepare(
        "INSERT OR IGNORE INTO events(event_id, alarm_id, device, source, received_us, payload) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    journal->saveAlarm_ = journal->prepare(
        "INSERT INTO alarms(number, id, device, type, point, state, priority, first_us, last_us, record) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(id) DO UPDATE SET state = excluded.state, "
        "priority = excluded.priority, last_us = excluded.last_us, record = excluded.record");
    journal->addAction_ =
        journal->prepare("INSERT INTO actions(alarm_id, who, at_us, what, note) VALUES(?1, ?2, ?3, ?4, ?5)");
    journal->saveCursor_ = journal->prepare(
        "INSERT INTO cursor(one, journal, event_seq) VALUES(1, ?1, ?2) ON CONFLICT(one) DO UPDATE SET "
        "journal = excluded.journal, event_seq = excluded.event_seq");
    if (!journal->error_.empty()) {
        error = "cannot use " + target + " as the alarm journal: " + journal->error_;
        return nullptr;
    }
    return journal;
}

AlarmJournal::~AlarmJournal() {
    for (sqlite3_stmt* statement : statements_) {
        sqlite3_finalize(statement);
    }
    sqlite3_close(db_);
}

bool AlarmJournal::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        error_ = message != nullptr ? message : "unknown SQLite error";
        sqlite3_free(message);
        return false;
    }
    return true;
}

bool AlarmJournal::fail(const char* what) {
    error_ = std::string(what) + ": " + sqlite3_errmsg(db_);
    return false;
}

sqlite3_stmt* AlarmJournal::prepare(const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) {
        error_ = std::string("cannot prepare a statement: ") + sqlite3_errmsg(db_);
        return nullptr;
    }
    statements_.push_back(statement);
    return statement;
}

bool AlarmJournal::begin() { return exec("BEGIN IMMEDIATE"); }

bool AlarmJournal::commit() {
    if (exec("COMMIT")) {
        return true;
    }
    rollback();
    return false;
}

void AlarmJournal::rollback() {
    const std::string kept = error_;
    exec("ROLLBACK");
    error_ = kept;
}

bool AlarmJournal::hasEvent(const std::string& eventId) {
    bindText(hasEvent_, 1, eventId);
    const bool found = sqlite3_step(hasEvent_) == SQLITE_ROW;
    sqlite3_reset(hasEvent_);
    sqlite3_clear_bindings(hasEvent_);
    return found;
}

bool AlarmJournal::addEvent(const std::string& eventId, const std::string& alarmId, const std::string& device,
                            const std::string& source, int64_t receivedUs, const std::string& payload) {
    bindText(addEvent_, 1, eventId);
    bindText(addEvent_, 2, alarmId);
    bindText(addEvent_, 3, device);
    bindText(addEvent_, 4, source);
    sqlite3_bind_int64(addEvent_, 5, receivedUs);
    bindText(addEvent_, 6, payload);
    return runOnce(addEvent_) || fail("cannot store an alarm event");
}

bool AlarmJournal::saveAlarm(int64_t number, const alarm::AlarmRecord& record) {
    sqlite3_bind_int64(saveAlarm_, 1, number);
    bindText(saveAlarm_, 2, record.id);
    bindText(saveAlarm_, 3, record.device);
    bindText(saveAlarm_, 4, record.type);
    bindText(saveAlarm_, 5, record.point);
    bindText(saveAlarm_, 6, std::string(alarm::stateName(record.state)));
    sqlite3_bind_int(saveAlarm_, 7, record.priority);
    sqlite3_bind_int64(saveAlarm_, 8, record.firstUs);
    sqlite3_bind_int64(saveAlarm_, 9, record.lastUs);
    bindText(saveAlarm_, 10, alarm::encodeRecord(record));
    return runOnce(saveAlarm_) || fail("cannot store an alarm");
}

bool AlarmJournal::addAction(const std::string& alarmId, const std::string& who, int64_t atUs, const std::string& what,
                             const std::string& note) {
    bindText(addAction_, 1, alarmId);
    bindText(addAction_, 2, who);
    sqlite3_bind_int64(addAction_, 3, atUs);
    bindText(addAction_, 4, what);
    bindText(addAction_, 5, note);
    return runOnce(addAction_) || fail("cannot store an operator action");
}

bool AlarmJournal::saveCursor(const BusCursor& cursor) {
    bindText(saveCursor_, 1, cursor.journal);
    sqlite3_bind_int64(saveCursor_, 2, static_cast<int64_t>(cursor.eventSeq));
    return runOnce(saveCursor_) || fail("cannot store the bus cursor");
}

BusCursor AlarmJournal::cursor() {
    BusCursor cursor;
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db_, "SELECT journal, event_seq FROM cursor WHERE one = 1", -1, &statement, nullptr);
    if (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
        cursor.journal = columnText(statement, 0);
        cursor.eventSeq = static_cast<uint64_t>(sqlite3_column_int64(statement, 1));
    }
    sqlite3_finalize(statement);
    return cursor;
}

std::vector<std::pair<int64_t, alarm::AlarmRecord>> AlarmJournal::openAlarms() {
    std::vector<std::pair<int64_t, alarm::AlarmRecord>> alarms;
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db_, "SELECT number, record FROM alarms WHERE state <> 'closed' ORDER BY number", -1, &statement,
                       nullptr);
    while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
        auto decoded = alarm::decodeRecord(columnText(statement, 1));
        if (decoded.ok()) {
            alarms.emplace_back(sqlite3_column_int64(statement, 0), std::move(*decoded.value));
        } else {
            error_ = "alarm number " + std::to_string(sqlite3_column_int64(statement, 0)) + " is unreadable: " + decoded.error;
        }
    }
    sqlite3_finalize(statement);
    return alarms;
}

std::optional<alarm::AlarmRecord> AlarmJournal::findAlarm(const std::string& id) {
    std::optional<alarm::AlarmRecord> found;
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db_, "SELECT record FROM alarms WHERE id = ?1", -1, &statement, nullptr);
    if (statement != nullptr) {
        bindText(statement, 1, id);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            found = alarm::decodeRecord(columnText(statement, 0)).value;
        }
    }
    sqlite3_finalize(statement);
    return found;
}

int64_t AlarmJournal::lastNumber() {
    int64_t number = 0;
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db_, "SELECT COALESCE(MAX(number), 0) FROM alarms", -1, &statement, nullptr);
    if (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
        number = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
    return number;
}

std::vector<std::string> AlarmJournal::history(int limit, const std::string& search, int64_t beforeUs) {
    std::vector<std::string> records;
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db_,
                       "SELECT record FROM alarms WHERE (?1 = '' OR instr(record, ?1) > 0) AND (?2 = 0 OR first_us < ?2) "
                       "ORDER BY first_us DESC, number DESC LIMIT ?3",
                       -1, &statement, nullptr);
    if (statement != nullptr) {
        bindText(statement, 1, search);
        sqlite3_bind_int64(statement, 2, beforeUs);
        sqlite3_bind_int(statement, 3, limit);
        while (sqlite3_step(statement) == SQLITE_ROW) {
            records.push_back(columnText(statement, 0));
        }
    }
    sqlite3_finalize(statement);
    return records;
}

int64_t AlarmJournal::eventCount() {
    int64_t count = 0;
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db_, "SELECT COUNT(*) FROM events", -1, &statement, nullptr);
    if (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
        count = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
    return count;
}

} // namespace ccoc::alarm_service
