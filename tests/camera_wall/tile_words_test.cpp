// What an offline tile says: its reason, and the next try when it is far off (a rejected login).
#include <catch2/catch.hpp>

#include "tile_words.hpp"

using ccoc::wall::minutesSeconds;
using ccoc::wall::offlineLabel;

TEST_CASE("camera_wall/tile words: an unauthorised tile says when the next try is")
{
    CHECK(minutesSeconds(60.0) == "1:00");
    CHECK(minutesSeconds(59.2) == "1:00");  // rounded up: never "over" before it is
    CHECK(minutesSeconds(845.0) == "14:05");
    CHECK(minutesSeconds(-3.0) == "0:00");
    CHECK(offlineLabel(false, "unauthorised", 60.0) == "OFFLINE: unauthorised — next try in 1:00");
    CHECK(offlineLabel(true, "unauthorised", 120.0) == "ออฟไลน์: unauthorised — ลองใหม่ใน 2:00");
    // The network's short backoff and "no try planned" show no countdown.
    CHECK(offlineLabel(false, "timeout", 3.5) == "OFFLINE: timeout");
    CHECK(offlineLabel(false, "refused", -1.0) == "OFFLINE: refused");
    CHECK(std::string(ccoc::wall::retryNowLabel(false)) == "retry now");
}
