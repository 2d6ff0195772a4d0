// tile_words.hpp: what a tile says about a camera it cannot show, in the interface language
// (the camera wall's catalogue, text domain "ccoc-camera-wall").
#pragma once

#include <string>
#include <string_view>

namespace ccoc::wall {

/// A reader whose next try is further away than this (a rejected login's long wait) has it shown
/// on the tile; the network's short backoff (at most 4 s with jitter) is not worth a countdown.
inline constexpr double kShowNextTryAfterSec = 5.0;

/// "1:00", "14:05": minutes and seconds, rounded up (a wait never shows as over too soon).
std::string minutesSeconds(double seconds);

/// A reader's offline reason (video::toString's word: "unauthorised", "timeout", "not found", ...)
/// translated; a word it does not know comes back as is. `reason` is NUL-terminated.
const char* reasonText(const char* reason);

/// "OFFLINE: unauthorised", with " — next try in 1:00" when the next try is more than
/// kShowNextTryAfterSec away (`nextTrySec` < 0: none planned); the reason translated by reasonText.
std::string offlineLabel(const char* reason, double nextTrySec);

/// The tile's menu item that makes its reader try again at once.
const char* retryNowLabel();

}  // namespace ccoc::wall
