// The delay before the next reconnect attempt: it starts at `initial`, doubles after each failure
// up to `max`, and goes back to `initial` after a success, so a serial server that is down is
// not hammered and one that comes back is found again within `max`.
// Thread: one owner; pure (no clock: the caller adds the delay to its own "now").
#pragma once

#include <chrono>

namespace ccoc::pelco {

class ReconnectBackoff {
public:
    ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds max) noexcept
        : initial_(initial), max_(max < initial ? initial : max), next_(initial)
    {
    }

    // The delay to wait after this failure; the one after will be twice as long (at most max).
    std::chrono::milliseconds afterFailure() noexcept
    {
        const std::chrono::milliseconds delay = next_;
        next_ = next_ * 2 > max_ ? max_ : next_ * 2;
        return delay;
    }
    // A connection succeeded: the next failure waits `initial` again.
    void reset() noexcept { next_ = initial_; }

private:
    std::chrono::milliseconds initial_;
    std::chrono::milliseconds max_;
    std::chrono::milliseconds next_;
};

} // namespace ccoc::pelco
