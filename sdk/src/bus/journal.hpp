// The broker's journal of reliable events (protocol section 8): an SQLite database where an
// event is written before the broker acknowledges it, so accepted but undelivered events survive
// a broker restart. Internal to ccoc_bus.
//
// Thread: one thread at a time (the broker's I/O thread).
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
    void close();

    [[nodiscard]] const std::string& id() const noexcept { return m_id; }
    [[nodiscard]] uint64_t lastSeq() const noexcept { return m_lastSeq; }

    // Groups the stores that follow into one transaction (one fsync for a burst of events).
    void begin();
    void commit();

    struct Stored {
        uint64_t seq = 0;
        bool inserted = false; // false: (source, id) was already there
    };
    // Stores an event unless (source, messageId) is known. Error: the database failed.
    bool store(std::string_view source, std::string_view messageId, std::string_view topic,
               std::string_view envelope, std::string_view payload, Stored& stored, std::string& error);

    using ReplayFn = std::function<void(uint64_t seq, std::string_view topic, std::string_view envelope,
                                        std::string_view payload)>;
    // Calls fn for events with seq > after, oldest first, at most `limit`. Returns how many.
    size_t replay(uint64_t after, size_t limit, const ReplayFn& fn);

private:
    bool exec(const char* sql, std::string& error);
    void trim();

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_find = nullptr;
    sqlite3_stmt* m_insert = nullptr;
    sqlite3_stmt* m_replay = nullptr;
    std::string m_id;
    uint64_t m_lastSeq = 0;
    size_t m_keep = 100000;
    bool m_inTransaction = false;
};

} // namespace ccoc::bus::detail
