// What an offline tile says: its reason, and the next try when it is far off (a rejected login),
// in English and in Thai from the camera wall's catalogue.
#include <catch2/catch.hpp>

#include "ccoc/i18n.hpp"
#include "tile_words.hpp"

using ccoc::wall::minutesSeconds;
using ccoc::wall::offlineLabel;

namespace {

// The build tree's catalogue of the camera wall, in `language`, as the host would set it.
void useLanguage(const char* language)
{
    ccoc::i18n::bindTextDomain("ccoc-camera-wall", std::string(CCOC_BINARY_DIR) + "/share/locale");
    REQUIRE(ccoc::i18n::applyProcessLanguage(language));
}

} // namespace

TEST_CASE("camera_wall/tile words: an unauthorised tile says when the next try is")
{
    useLanguage("en");
    CHECK(minutesSeconds(60.0) == "1:00");
    CHECK(minutesSeconds(59.2) == "1:00");  // rounded up: never "over" before it is
    CHECK(minutesSeconds(845.0) == "14:05");
    CHECK(minutesSeconds(-3.0) == "0:00");
    CHECK(offlineLabel("unauthorised", 60.0) == "OFFLINE: unauthorised — next try in 1:00");
    // The network's short backoff and "no try planned" show no countdown.
    CHECK(offlineLabel("timeout", 3.5) == "OFFLINE: timeout");
    CHECK(offlineLabel("refused", -1.0) == "OFFLINE: refused");
    CHECK(std::string(ccoc::wall::retryNowLabel()) == "retry now");
}

TEST_CASE("camera_wall/tile words: in Thai the reason is translated too")
{
    useLanguage("th");
    CHECK(offlineLabel("unauthorised", 120.0) == "ออฟไลน์: ไม่ได้รับอนุญาต — ลองใหม่ใน 2:00");
    CHECK(offlineLabel("timeout", 3.5) == "ออฟไลน์: หมดเวลา");
    CHECK(offlineLabel("not found", -1.0) == "ออฟไลน์: ไม่พบสตรีม");
    CHECK(std::string(ccoc::wall::reasonText("connecting-ish")) == "connecting-ish");  // unknown: as is
    CHECK(std::string(ccoc::wall::retryNowLabel()) == "ลองใหม่ทันที");
}
