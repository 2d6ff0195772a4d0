// One rate limiter for everything a remote peer can make the broker do again and again: a log
// line (a junk connection per millisecond must not fill the disk) or a notice back to the peer (a
// peer stuck in a loop must not flood its own queue). Internal to ccoc_bus.
//
// A line is keyed by who caused it (a source id, a peer address, an endpoint) and why (a notice
// code, a handshake error). One key passes at most once per interval; what it holds back is
// counted and reported with its next line. A flood of distinct keys (each connection a stranger)
// is bounded too: at most `maxKeysPerInterval` keys pass per interval, the rest are counted
// together and reported with the next line that passes.
//
// Thread: any; every call locks (the broker's I/O thread and its ZAP handler thread share one).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ccoc::bus::detail {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    RateLimiter(std::chrono::milliseconds interval, size_t maxKeysPerInterval);

    // What a call that may pass learns: whether it passed, and how many were held back before it.
    struct Pass {
        uint64_t sameKey = 0;    // held back for this key since its last pass
        uint64_t otherKeys = 0;  // held back for keys over the per-interval key budget
    };
    // nullopt: held back (counted). Otherwise pass, with the counts to report.
    std::optional<Pass> allow(std::string_view who, std::string_view why, Clock::time_point now = Clock::now());

    // The text to append to a line that passed: "" or " (3 more like it not logged; ...)".
    [[nodiscard]] static std::string describe(const Pass& pass);

    [[nodiscard]] uint64_t heldBack() const;

private:
    struct Entry {
        Clock::time_point last;
        uint64_t held = 0;
    };
    mutable std::mutex m_mutex; // guards everything below
    std::chrono::milliseconds m_interval;
    size_t m_maxKeys;
    std::unordered_map<std::string, Entry> m_entries;
    Clock::time_point m_windowStart{};
    size_t m_keysInWindow = 0;
    uint64_t m_otherHeld = 0;
    uint64_t m_totalHeld = 0;
};

} // namespace ccoc::bus::detail
