// tile_words.hpp: what a tile says about a camera it cannot show, in Thai or English.
#pragma once

#include <string>

namespace ccoc::wall {

/// A reader whose next try is further away than this (a rejected login's long wait) has it shown
/// on the tile; the network's short backoff (at most 4 s with jitter) is not worth a countdown.
inline constexpr double kShowNextTryAfterSec = 5.0;

/// "1:00", "14:05": minutes and seconds, rounded up (a wait never shows as over too soon).
std::string minutesSeconds(double seconds);

/// "OFFLINE: unauthorised", with " — next try in 1:00" when the next try is more than
/// kShowNextTryAfterSec away (`nextTrySec` < 0: none planned). Thai: "ออฟไลน์: ... — ลองใหม่ใน 1:00".
/// Reasons stay in the reader's words, as everywhere on the tile.
std::string offlineLabel(bool thai, const std::string& reason, double nextTrySec);

/// The tile's menu item that makes its reader try again at once.
const char* retryNowLabel(bool thai);

}  // namespace ccoc::wall
