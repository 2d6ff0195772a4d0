// The language through the SDK: tr/trn/trc bound to a plugin's text domain (this test is built as
// the alarm list, CCOC_TEXT_DOMAIN "ccoc-alarms"), switched at run time the way the host does it,
// without any generated system locale (only the C library's own C.UTF-8).
#include <catch2/catch.hpp>

#include <string>

#include "ccoc/i18n.hpp"
#include "i18n_test_env.hpp"

using ccoc::tr;
using ccoc::trc;

TEST_CASE("i18n/language: the plugin's words in Thai and English, switched at run time")
{
    REQUIRE(ccoc::test::useLanguage("th", {"ccoc-alarms"}));
    CHECK(std::string(tr("Open alarms")) == "สัญญาณเตือนที่เปิดอยู่");
    CHECK(std::string(tr("Acknowledge")) == "รับทราบ");
    // The next lookup after a switch uses the new language: no cache keeps the old words.
    REQUIRE(ccoc::i18n::applyProcessLanguage("en"));
    CHECK(std::string(tr("Open alarms")) == "Open alarms");
    REQUIRE(ccoc::i18n::applyProcessLanguage("th"));
    CHECK(std::string(tr("Open alarms")) == "สัญญาณเตือนที่เปิดอยู่");
    // A language with no catalogue reads English.
    REQUIRE(ccoc::i18n::applyProcessLanguage("fr"));
    CHECK(std::string(tr("Open alarms")) == "Open alarms");
}

TEST_CASE("i18n/language: one English word in two contexts has two translations")
{
    REQUIRE(ccoc::test::useLanguage("th", {"ccoc-alarms"}));
    // "cleared" in the list is the state; in the details it says the alarm has been cleared.
    CHECK(std::string(tr("cleared")) == "กลับสู่ปกติ");
    CHECK(std::string(trc("alarm details", "cleared")) == "กลับสู่ปกติแล้ว");
    CHECK(std::string(trc("close outcome", "real")) == "เหตุจริง");
    // Untranslated context: the English word itself, not the catalogue's key.
    CHECK(std::string(trc("no such context", "cleared")) == "cleared");
    REQUIRE(ccoc::i18n::applyProcessLanguage("en"));
    CHECK(std::string(trc("alarm details", "cleared")) == "cleared");
}

TEST_CASE("i18n/language: a count picks its plural form (the alarm journal fault chip)")
{
    REQUIRE(ccoc::test::useLanguage("en", {"ccoc-alarms"}));
    const char* one = "alarm journal fault: %lld alarm not stored";
    const char* many = "alarm journal fault: %lld alarms not stored";
    CHECK(ccoc::i18n::format(dngettext("ccoc-alarms", one, many, 1), 1LL) == "alarm journal fault: 1 alarm not stored");
    CHECK(ccoc::i18n::format(dngettext("ccoc-alarms", one, many, 3), 3LL) == "alarm journal fault: 3 alarms not stored");
    REQUIRE(ccoc::i18n::applyProcessLanguage("th"));
    // Thai has one form for every count.
    CHECK(ccoc::i18n::format(dngettext("ccoc-alarms", one, many, 3), 3LL) == "บันทึกเหตุขัดข้อง: 3 เหตุยังไม่ได้บันทึก");
}

TEST_CASE("i18n/language: panel titles through the plugin's domain, title_th for plugins without one")
{
    REQUIRE(ccoc::test::useLanguage("th", {"ccoc-alarms"}));
    CHECK(std::string(ccoc::i18n::panelTitle("th", "ccoc-alarms", "Alarms", "ignored")) == "สัญญาณเตือน");
    // A plugin built before catalogues: its title_th in Thai, its title in English.
    CHECK(std::string(ccoc::i18n::panelTitle("th", nullptr, "Old panel", "แผงเก่า")) == "แผงเก่า");
    CHECK(std::string(ccoc::i18n::panelTitle("en", nullptr, "Old panel", "แผงเก่า")) == "Old panel");
    CHECK(std::string(ccoc::i18n::panelTitle("th", "", "Old panel", nullptr)) == "Old panel");
    CHECK(ccoc::i18n::panelTitle("th", "ccoc-alarms", nullptr, nullptr) == nullptr);
}
