// Dates (Buddhist era in Thai), numbers and durations in both languages: ccoc/i18n_format.hpp.
#include <catch2/catch.hpp>

#include <climits>

#include "ccoc/i18n_format.hpp"
#include "i18n_test_env.hpp"

using namespace ccoc::i18n;

namespace {

// 2026-12-08 14:05:09 UTC.
constexpr std::time_t kTuesday = 1796738709;

} // namespace

TEST_CASE("i18n/format: Thai dates count the Buddhist era, English ones the Gregorian year")
{
    ccoc::test::useUtc();
    CHECK(displayYear("th", 2026) == 2569);
    CHECK(displayYear("en", 2026) == 2026);
    CHECK(date("th", kTuesday) == "08/12/2569");
    CHECK(date("en", kTuesday) == "08/12/2026");
    CHECK(timeOfDay(kTuesday) == "14:05:09");
    CHECK(dateTime("th", kTuesday) == "08/12/2569 14:05");
    CHECK(dateTime("en", kTuesday) == "08/12/2026 14:05");
    // A list shows today's times alone and earlier days with their date.
    CHECK(moment("th", kTuesday, kTuesday + 3600) == "14:05:09");
    CHECK(moment("th", kTuesday - 86400, kTuesday) == "07/12/2569 14:05");
    CHECK(moment("en", kTuesday - 86400, kTuesday) == "07/12/2026 14:05");
}

TEST_CASE("i18n/format: numbers group their thousands, rounded to the digits asked for")
{
    CHECK(number(0LL) == "0");
    CHECK(number(999LL) == "999");
    CHECK(number(1000LL) == "1,000");
    CHECK(number(1234567LL) == "1,234,567");
    CHECK(number(-1234LL) == "-1,234");
    CHECK(number(LLONG_MIN) == "-9,223,372,036,854,775,808");
    CHECK(number(1234.56, 1) == "1,234.6");
    CHECK(number(19.96, 1) == "20.0");
    CHECK(number(-2500.0, 0) == "-2,500");
    CHECK(number(-0.04, 1) == "0.0");  // no "-0.0"
    CHECK(number(0.5, 3) == "0.500");
}

TEST_CASE("i18n/format: durations in English are 5 s, 2 min, 1 h 3 min")
{
    REQUIRE(ccoc::test::useLanguage("en"));
    CHECK(duration(5) == "5 s");
    CHECK(duration(0.4) == "0 s");
    CHECK(duration(-3) == "0 s");
    CHECK(duration(59.4) == "59 s");
    CHECK(duration(60) == "1 min");
    CHECK(duration(125) == "2 min");
    CHECK(duration(3600) == "1 h");
    CHECK(duration(3780) == "1 h 3 min");
    CHECK(duration(90061) == "25 h 1 min");
}

TEST_CASE("i18n/format: durations in Thai come from the SDK's catalogue")
{
    REQUIRE(ccoc::test::useLanguage("th"));
    CHECK(duration(5) == "5 วินาที");
    CHECK(duration(125) == "2 นาที");
    CHECK(duration(3600) == "1 ชม.");
    CHECK(duration(3780) == "1 ชม. 3 นาที");
}

TEST_CASE("i18n/format: the site's names in the interface language, the other when one is empty")
{
    const std::string th = "ประตูหน้า", en = "Front door", none;
    CHECK(siteText("th", th, en) == th);
    CHECK(siteText("en", th, en) == en);
    CHECK(siteText("en", th, none) == th);
    CHECK(siteText("th", none, en) == en);
    CHECK(siteText("en", none, none).empty());
}
