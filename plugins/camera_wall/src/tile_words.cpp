// tile_words.cpp: offline labels with the next try's countdown.
#include "tile_words.hpp"

#include <cmath>
#include <cstdio>

#include "ccoc/i18n.hpp"

namespace ccoc::wall {

std::string minutesSeconds(double seconds)
{
    const long total = seconds <= 0.0 ? 0 : static_cast<long>(std::ceil(seconds));
    char text[32];
    std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    return text;
}

const char* reasonText(const char* reason)
{
    // The reader's words are an enum's names (ccoc/video/stream_state.hpp), kept English in logs.
    struct Entry {
        std::string_view word;
        const char* text;
    };
    const Entry entries[] = {
        {"refused", trc("offline reason", "refused")},
        {"timeout", trc("offline reason", "timeout")},
        {"unauthorised", trc("offline reason", "unauthorised")},
        {"not found", trc("offline reason", "not found")},
        {"unsupported codec", trc("offline reason", "unsupported codec")},
        {"unsupported URL scheme", trc("offline reason", "unsupported URL scheme")},
        {"ended", trc("offline reason", "ended")},
        {"failed", trc("offline reason", "failed")},
    };
    for (const Entry& entry : entries) {
        if (reason != nullptr && entry.word == reason) {
            return entry.text;
        }
    }
    return reason != nullptr ? reason : "";
}

std::string offlineLabel(const char* reason, double nextTrySec)
{
    if (nextTrySec > kShowNextTryAfterSec) {
        return i18n::format(tr("OFFLINE: %s — next try in %s"), reasonText(reason), minutesSeconds(nextTrySec).c_str());
    }
    return i18n::format(tr("OFFLINE: %s"), reasonText(reason));
}

const char* retryNowLabel()
{
    return tr("retry now");
}

}  // namespace ccoc::wall
