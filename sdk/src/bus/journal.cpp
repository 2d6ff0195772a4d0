#include "journal.hpp"

#include "wire.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>

namespace ccoc::bus::detail {
namespace {

std::string_view columnText(sqlite3_stmt* statement, int column) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_blob(statement, column));
    const int size = sqlite3_column_bytes(statement, column);
    return text == nullptr ? std::string_view() : std::string_view(text, static_cast<size_t>(size));
}

void bindText(sqlite3_stmt* statement, int index, std::string_view text) {
    sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

} // namespace

Journal::~Journal() { close(); }

void Journal::close(bool clean) {
    if (m_db == nullptr) {
        return;
    }
    std::string error;
    if (m_inTransaction) {
        commit(error);
    }
    if (clean) {
        setMeta("running", "0", error); // closed in order: the next run needs no gap
    }
    sqlite3_finalize(m_find);
    sqlite3_finalize(m_insert);
    sqlite3_finalize(m_replay);
    m_find = m_insert = m_replay = nullptr;
    sqlite3_close(m_db);
    m_db = nullptr;
}

bool Journal::setMeta(const char* key, const std::string& value, std::string& error) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(m_db, "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value=?2",
                           -1, &statement, nullptr) != SQLITE_OK) {
        error = sqlite3_errmsg(m_db);
        return false;
    }
    sqlite3_bind_text(statement, 1, key, -1, SQLITE_TRANSIENT);
    bindText(statement, 2, value);
    const bool ok = sqlite3_step(statement) == SQLITE_DONE;
    if (!ok) {
        error = sqlite3_errmsg(m_db);
    }
    sqlite3_finalize(statement);
    return ok;
}

std::string Journal::meta(const char* key) {
    sqlite3_stmt* statement = nullptr;
    std::string value;
    if (sqlite3_prepare_v2(m_db, "SELECT value FROM meta WHERE key=?1", -1, &statement, nullptr) == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, key, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(statement) == SQLITE_ROW) {
            value = std::string(columnText(statement, 0));
        }
    }
    sqlite3_finalize(statement);
    return value;
}

bool Journal::exec(const char* sql, std::string& error) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        error = message != nullptr ? message : "unknown SQLite error";
        sqlite3_free(message);
        return false;
    }
    return true;
}

Status Journal::open(const std::string& path, size_t keep) {
    close();
    m_keep = keep == 0 ? 1 : keep;
    const std::string target = path.empty() ? ":memory:" : path;
    if (sqlite3_open(target.c_str(), &m_db) != SQLITE_OK) {
        std::string reason = m_db != nullptr ? sqlite3_errmsg(m_db) : "out of memory";
        close();
        return Status::failure("bus journal '" + path + "': cannot open: " + reason);
    }
    std::string error;
    // FULL: an acknowledged event is on disk even if the machine loses power right after.
    const bool ok = exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                         "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                         "CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                         " src TEXT NOT NULL, msg_id TEXT NOT NULL, topic TEXT NOT NULL,"
                         " envelope TEXT NOT NULL, payload BLOB NOT NULL, UNIQUE(src, msg_id));",
                         error);
    if (!ok) {
        close();
        return Status::failure("bus journal '" + path + "': " + error);
    }
    m_id = meta("id");
    if (m_id.empty()) {
        m_id = randomHex(8);
        if (!setMeta("id", m_id, error)) {
            close();
            return Status::failure("bus journal '" + path + "': " + error);
        }
    }
    // AUTOINCREMENT keeps numbers growing even after old rows are trimmed.
    uint64_t stored = 0;
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(m_db, "SELECT seq FROM sqlite_sequence WHERE name='events'", -1, &statement, nullptr);
    if (sqlite3_step(statement) == SQLITE_ROW) {
        stored = static_cast<uint64_t>(sqlite3_column_int64(statement, 0));
    }
    sqlite3_finalize(statement);
    // The broker publishes an event before it is journalled. If the last run died, numbers above
    // what it stored may have reached subscribers with other events: start beyond all of them.
    // `floor` is where that run started, so a run that died before storing anything counts too.
    uint64_t base = std::max(stored, static_cast<uint64_t>(std::strtoull(meta("floor").c_str(), nullptr, 10)));
    m_afterCrash = meta("running") == "1";
    if (m_afterCrash) {
        base += kUncleanGap;
    }
    m_lastSeq = base;
    if (!setMeta("floor", std::to_string(base), error) || !setMeta("running", "1", error)) {
        close();
        return Status::failure("bus journal '" + path + "': " + error);
    }
    sqlite3_prepare_v2(m_db, "SELECT seq FROM events WHERE src=?1 AND msg_id=?2", -1, &m_find, nullptr);
    sqlite3_prepare_v2(m_db, "INSERT INTO events(seq, src, msg_id, topic, envelope, payload) VALUES(?6,?1,?2,?3,?4,?5)",
                       -1, &m_insert, nullptr);
    sqlite3_prepare_v2(m_db, "SELECT seq, topic, envelope, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                       -1, &m_replay, nullptr);
    if (m_find == nullptr || m_insert == nullptr || m_replay == nullptr) {
        std::string reason = sqlite3_errmsg(m_db);
        close();
        return Status::failure("bus journal '" + path + "': " + reason);
    }
    return Status::success();
}

void Journal::begin() {
    std::string error;
    if (m_db != nullptr && !m_inTransaction && exec("BEGIN", error)) {
        m_inTransaction = true;
    }
}

bool Journal::commit(std::string& error) {
    if (m_db == nullptr || !m_inTransaction) {
        return m_db != nullptr;
    }
    m_inTransaction = false;
    if (!exec("COMMIT", error)) {
        // Nothing of the transaction is stored (a full disk, an I/O error): undo it, so the next
        // attempt starts clean. SQLite may have rolled it back already; then this fails harmlessly.
        std::string ignored;
        exec("ROLLBACK", ignored);
        return false;
    }
    trim();
    return true;
}

void Journal::rollback() {
    if (m_db != nullptr && m_inTransaction) {
        std::string ignored;
        exec("ROLLBACK", ignored);
        m_inTransaction = false;
    }
}

void Journal::trim() {
    if (m_lastSeq <= m_keep) {
        return;
    }
    std::string error;
    const std::string sql = "DELETE FROM events WHERE seq <= " + std::to_string(m_lastSeq - m_keep);
    exec(sql.c_str(), error);
}

bool Journal::store(uint64_t seq, std::string_view source, std::string_view messageId, std::string_view topic,
                    std::string_view envelope, std::string_view payload, Stored& stored, std::string& error) {
    if (m_db == nullptr) {
        error = "journal is not open";
        return false;
    }
    sqlite3_reset(m_find);
    bindText(m_find, 1, source);
    bindText(m_find, 2, messageId);
    if (sqlite3_step(m_find) == SQLITE_ROW) {
        stored = Stored{static_cast<uint64_t>(sqlite3_column_int64(m_find, 0)), false};
        sqlite3_reset(m_find);
        return true;
    }
    sqlite3_reset(m_find);
    sqlite3_reset(m_insert);
    bindText(m_insert, 1, source);
    bindText(m_insert, 2, messageId);
    bindText(m_insert, 3, topic);
    bindText(m_insert, 4, envelope);
    sqlite3_bind_blob(m_insert, 5, payload.data(), static_cast<int>(payload.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(m_insert, 6, static_cast<sqlite3_int64>(seq));
    if (sqlite3_step(m_insert) != SQLITE_DONE) {
        error = sqlite3_errmsg(m_db);
        sqlite3_reset(m_insert);
        return false;
    }
    sqlite3_reset(m_insert);
    m_lastSeq = std::max(m_lastSeq, seq);
    stored = Stored{seq, true};
    if (!m_inTransaction) {
        trim();
    }
    return true;
}

void Journal::recentKeys(size_t limit, const KeyFn& fn) {
    if (m_db == nullptr) {
        return;
    }
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(m_db, "SELECT seq, src, msg_id FROM events ORDER BY seq DESC LIMIT ?1", -1, &statement, nullptr);
    sqlite3_bind_int64(statement, 1, static_cast<sqlite3_int64>(limit));
    while (sqlite3_step(statement) == SQLITE_ROW) {
        fn(static_cast<uint64_t>(sqlite3_column_int64(statement, 0)), columnText(statement, 1),
           columnText(statement, 2));
    }
    sqlite3_finalize(statement);
}

size_t Journal::replay(uint64_t after, size_t limit, const ReplayFn& fn) {
    if (m_db == nullptr) {
        return 0;
    }
    size_t count = 0;
    sqlite3_reset(m_replay);
    sqlite3_bind_int64(m_replay, 1, static_cast<sqlite3_int64>(after));
    sqlite3_bind_int64(m_replay, 2, static_cast<sqlite3_int64>(limit));
    while (sqlite3_step(m_replay) == SQLITE_ROW) {
        fn(static_cast<uint64_t>(sqlite3_column_int64(m_replay, 0)), columnText(m_replay, 1),
           columnText(m_replay, 2), columnText(m_replay, 3));
        ++count;
    }
    sqlite3_reset(m_replay);
    return count;
}

} // namespace ccoc::bus::detail
