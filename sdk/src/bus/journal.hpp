// The broker's journal of reliable events (protocol section 8): an SQLite database where an
// event is written before the broker acknowledges it, so accepted but undelivered events survive
// a broker restart. Internal to ccoc_bus.
//
// Event numbers are given by the broker when an event arrives (it publishes at once and journals
// in the background), so the journal stores them as given. Numbers handed out by a run that died
// before its journal caught up may have reached subscribers; the next run therefore starts
// `kUncleanGap` above anything the dead run can have given (see open()).
//
// Thread: one thread at a time (the broker's journal thread, after open()).
#pragma once

#include "ccoc/bus/types.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ccoc::bus::detail {

class Journal {
public:
    Journal() = default;
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    // Opens (creating if needed) the journal at `path`; empty path: in memory. `keep`: newest
    // events kept.
    Status open(const std::string& path, size_t keep);
    // `clean` false: leave the journal marked as running, as a crash would, because numbers were
    // published that it could not store (the next run starts beyond them).
    void close(bool clean = true);

    // Most events a broker may have published and not yet journalled; also the gap left in the
    // numbers after a run that did not close its journal.
    static constexpr uint64_t kUncleanGap = 4096;

    [[nodiscard]] const std::string& id() const noexcept { return m_id; }
    // The last number stored, or the floor this run starts from, whichever is higher.
    [[nodiscard]] uint64_t lastSeq() const noexcept { return m_lastSeq; }
    // true: the previous run did not close this journal (it died), so open() skipped numbers.
    [[nodiscard]] bool openedAfterCrash() const noexcept { return m_afterCrash; }

    // Groups the stores that follow into one transaction (one fsync for a burst of events).
    void begin();
    // false: nothing since begin() is stored (rolled back), `error` says why.
    bool commit(std::string& error);
    // Drops what was stored since begin() (a store in the transaction failed).
    void rollback();


    struct Stored {
        uint64_t seq = 0;
        bool inserted = false; // false: (source, id) was already there
    };
    // Stores an event as number `seq` unless (source, messageId) is known (then `stored` names the
    // number it has). Error: the database failed.
    bool store(uint64_t seq, std::string_view source, std::string_view messageId, std::string_view topic,
               std::string_view envelope, std::string_view payload, Stored& stored, std::string& error);

    using KeyFn = std::function<void(uint64_t seq, std::string_view source, std::string_view messageId)>;
    // Calls fn for the newest `limit` events, newest first (the broker's in-memory duplicate check).
    void recentKeys(size_t limit, const KeyFn& fn);

    using ReplayFn = std::function<void(uint64_t seq, std::string_view topic, std::string_view envelope,
                                        std::string_view payload)>;
    // Calls fn for events with seq > after, oldest first, at most `limit`. Returns how many.
    size_t replay(uint64_t after, size_t limit, const ReplayFn& fn);

private:
    bool exec(const char* sql, std::string& error);
    bool setMeta(const char* key, const std::string& value, std::string& error);
    std::string meta(const char* key);
    void trim();

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_find = nullptr;
    sqlite3_stmt* m_insert = nullptr;
    sqlite3_stmt* m_replay = nullptr;
    std::string m_id;
    uint64_t m_lastSeq = 0;
    size_t m_keep = 100000;
    bool m_inTransaction = false;
    bool m_afterCrash = false;
};

} // namespace ccoc::bus::detail
