// The broker's clock as seen from a peer: judges a command's deadline (envelope `deadline_us`,
// stamped by the broker in its own clock) on a machine whose clock differs from the broker's
// (sdk/docs/bus-protocol.md section 7.2). Header-only, no sockets.
//
// How: every timestamp the broker wrote (the `sent_us` of what it sends, the `received_us` of a
// command it forwards) was taken at or before the moment the peer reads it, so
// `local clock - broker timestamp` is the clock offset plus a delay that is never negative. The
// smallest such sample over the last kWindowUs is the best estimate of the offset, and it errs
// only towards a broker clock that is behind the real one, by the smallest delay seen (well
// under a millisecond on a LAN) plus the drift of both clocks over the window. kSkewMarginUs
// covers that error: a command counts as expired kSkewMarginUs before its deadline by the estimate.
//
// Thread: not thread-safe; the Client keeps one on its I/O thread. Ownership: plain value.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

namespace ccoc::bus {

class BrokerClock {
public:
    // A command counts as expired this long before its deadline by our estimate of broker time.
    static constexpr int64_t kSkewMarginUs = 25000;
    // Samples older than this (steady clock) are forgotten, so a stepped clock heals in a minute.
    static constexpr int64_t kWindowUs = 60'000'000;

    // The broker wrote `brokerUs` (its wall clock, microseconds since 1970); we read it at our wall
    // clock `localUs` and steady clock `steadyUs`. Ignores brokerUs <= 0 (field absent).
    void observe(int64_t brokerUs, int64_t localUs, int64_t steadyUs) {
        if (brokerUs <= 0) {
            return;
        }
        const int64_t offset = localUs - brokerUs;
        // A monotonic queue: its front is the smallest offset within the window.
        while (!m_samples.empty() && m_samples.back().offsetUs >= offset) {
            m_samples.pop_back();
        }
        m_samples.push_back(Sample{steadyUs, offset});
        while (m_samples.size() > 1 && steadyUs - m_samples.front().steadyUs > kWindowUs) {
            m_samples.pop_front();
        }
    }

    // A new broker (another epoch, perhaps another machine): its clock is unknown again.
    void reset() { m_samples.clear(); }

    // Local wall clock minus broker clock, as estimated; nullopt before the first sample.
    [[nodiscard]] std::optional<int64_t> offsetUs() const {
        if (m_samples.empty()) {
            return std::nullopt;
        }
        return m_samples.front().offsetUs;
    }

    // How long, in microseconds of our clock, a command with broker deadline `deadlineUs` may still
    // start: <= 0 means expired (never execute it). Without any sample the local clock is taken
    // as the broker's.
    [[nodiscard]] int64_t remainingUs(int64_t deadlineUs, int64_t localUs) const {
        const int64_t brokerNowUs = localUs - offsetUs().value_or(0);
        return deadlineUs - kSkewMarginUs - brokerNowUs;
    }

private:
    struct Sample {
        int64_t steadyUs;
        int64_t offsetUs;
    };
    std::deque<Sample> m_samples;
};

} // namespace ccoc::bus
