#include "broker_rate_limit.hpp"

namespace ccoc::bus::detail {
namespace {
// Keys remembered at most; a flood of strangers is forgotten rather than grown without bound
// (their counts then go to the shared "other" count of the next line).
constexpr size_t kMaxEntries = 4096;
} // namespace

RateLimiter::RateLimiter(std::chrono::milliseconds interval, size_t maxKeysPerInterval)
    : m_interval(interval), m_maxKeys(maxKeysPerInterval) {}

std::optional<RateLimiter::Pass> RateLimiter::allow(std::string_view who, std::string_view why, Clock::time_point now) {
    std::lock_guard lock(m_mutex);
    if (m_windowStart == Clock::time_point{} || now - m_windowStart >= m_interval) {
        m_windowStart = now;
        m_keysInWindow = 0;
    }
    std::string key(who);
    key += '\n';
    key += why;
    auto found = m_entries.find(key);
    if (found != m_entries.end() && now - found->second.last < m_interval) {
        ++found->second.held;
        ++m_totalHeld;
        return std::nullopt;
    }
    if (m_keysInWindow >= m_maxKeys) {
        ++m_otherHeld;
        ++m_totalHeld;
        return std::nullopt;
    }
    if (found == m_entries.end()) {
        if (m_entries.size() >= kMaxEntries) {
            for (const auto& [ignored, entry] : m_entries) {
                m_otherHeld += entry.held;
            }
            m_entries.clear();
        }
        found = m_entries.emplace(std::move(key), Entry{}).first;
    }
    ++m_keysInWindow;
    Pass pass{found->second.held, m_otherHeld};
    found->second.last = now;
    found->second.held = 0;
    m_otherHeld = 0;
    return pass;
}

std::string RateLimiter::describe(const Pass& pass) {
    std::string text;
    if (pass.sameKey > 0) {
        text += std::to_string(pass.sameKey) + " more like it not logged";
    }
    if (pass.otherKeys > 0) {
        text += text.empty() ? "" : "; ";
        text += std::to_string(pass.otherKeys) + " lines about other peers not logged";
    }
    return text.empty() ? text : " (" + text + ")";
}

uint64_t RateLimiter::heldBack() const {
    std::lock_guard lock(m_mutex);
    return m_totalHeld;
}

} // namespace ccoc::bus::detail
