// Rate limit for log lines caused by others (a sensor sending garbage, a broker that is down): at
// most one line per key per interval, with a count of the lines held back. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace ccoc::mqtt {

class LogRateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit LogRateLimiter(std::chrono::milliseconds interval = std::chrono::seconds(10)) : interval_(interval) {}

    // Whether a line for `key` may be logged now; when it may, the number of lines held back
    // since the last one (0 for none). nullopt: hold this one back.
    std::optional<uint64_t> allow(const std::string& key, Clock::time_point now = Clock::now())
    {
        // Keys come from the network (topics): bound the map so a flood of topics cannot grow it.
        if (entries_.size() > kMaxKeys && entries_.find(key) == entries_.end()) {
            entries_.clear();
        }
        auto [it, fresh] = entries_.try_emplace(key);
        Entry& entry = it->second;
        if (!fresh && now - entry.lastLogged < interval_) {
            ++entry.heldBack;
            return std::nullopt;
        }
        entry.lastLogged = now;
        const uint64_t held = entry.heldBack;
        entry.heldBack = 0;
        return held;
    }

private:
    static constexpr size_t kMaxKeys = 1000;
    struct Entry {
        Clock::time_point lastLogged{};
        uint64_t heldBack = 0;
    };
    std::chrono::milliseconds interval_;
    std::map<std::string, Entry> entries_;
};

} // namespace ccoc::mqtt
