// tile_words.cpp: offline labels with the next try's countdown.
#include "tile_words.hpp"

#include <cmath>
#include <cstdio>

namespace ccoc::wall {

std::string minutesSeconds(double seconds)
{
    const long total = seconds <= 0.0 ? 0 : static_cast<long>(std::ceil(seconds));
    char text[32];
    std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    return text;
}

std::string offlineLabel(bool thai, const std::string& reason, double nextTrySec)
{
    std::string label = std::string(thai ? "ออฟไลน์" : "OFFLINE") + ": " + reason;
    if (nextTrySec > kShowNextTryAfterSec) {
        label += std::string(thai ? " — ลองใหม่ใน " : " — next try in ") + minutesSeconds(nextTrySec);
    }
    return label;
}

const char* retryNowLabel(bool thai)
{
    return thai ? "ลองใหม่ทันที" : "retry now";
}

}  // namespace ccoc::wall
