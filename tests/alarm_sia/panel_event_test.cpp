// Contact ID and SIA DC-04 codes mapped to the alarm contract's types, restores, zones and areas.
#include <catch2/catch.hpp>

#include "panel_event.hpp"

using namespace ccoc::sia;

namespace {

PanelEvent onlyCid(const std::string& data)
{
    const DataParse parse = mapContactId(data);
    INFO(data << ": " << parse.error);
    REQUIRE(parse.ok());
    REQUIRE(parse.events.size() == 1);
    return parse.events.front();
}

} // namespace

TEST_CASE("alarm_sia/cid: burglary, restore, zone, area, raw code and words")
{
    PanelEvent event = onlyCid("#1234|1130 01 003");
    CHECK(event.kind == PanelEvent::Kind::Alarm);
    CHECK(event.type == "intrusion");
    CHECK(event.active);
    CHECK(event.point == "003");
    CHECK(event.area == "01");
    CHECK(event.code == "ADM-CID 1130 01 003");
    CHECK(event.text == "Burglary, zone 003, area 01");

    event = onlyCid("#1234|3130 01 003");
    CHECK(event.type == "intrusion");
    CHECK_FALSE(event.active);
    CHECK_THAT(event.text, Catch::Contains("restored"));

    event = onlyCid("113101003"); // no account, no spaces
    CHECK(event.type == "intrusion");
    CHECK(event.text == "Burglary - perimeter, zone 003, area 01");
}

TEST_CASE("alarm_sia/cid: each event class maps to its contract type")
{
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"100", "panic"},     {"120", "panic"},        {"122", "panic"},     {"121", "duress"},
        {"110", "fire"},      {"111", "smoke"},        {"118", "fire"},      {"131", "intrusion"},
        {"132", "intrusion"}, {"134", "door"},         {"137", "tamper"},    {"140", "intrusion"},
        {"144", "tamper"},    {"145", "tamper"},       {"154", "water"},     {"151", "vendor.cid-151"},
        {"301", "device_fault"}, {"302", "device_fault"}, {"383", "tamper"}, {"750", "vendor.cid-750"},
        {"601", "vendor.test"},
    };
    for (const auto& [code, type] : expected) {
        const PanelEvent event = onlyCid("1" + code + " 01 007");
        CHECK(event.type == type);
        CHECK(event.kind == PanelEvent::Kind::Alarm);
    }
    CHECK(onlyCid("1601 00 000").test);
}

TEST_CASE("alarm_sia/cid: opening and closing are arming, periodic tests are supervision, status is active")
{
    PanelEvent event = onlyCid("3401 02 012");
    CHECK(event.kind == PanelEvent::Kind::Arming);
    CHECK(event.active); // 3 = closing = armed
    CHECK(event.point == "012");
    CHECK(event.area == "02");
    CHECK(onlyCid("1401 02 012").active == false);
    CHECK(onlyCid("1602 00 000").kind == PanelEvent::Kind::Supervision);
    event = onlyCid("6130 01 004");
    CHECK(event.active);
    CHECK_THAT(event.text, Catch::Contains("status"));
}

TEST_CASE("alarm_sia/cid: malformed Contact ID data is refused with what was expected")
{
    CHECK_THAT(mapContactId("#1234|1130 01").error, Catch::Contains("Q EEE GG ZZZ"));
    CHECK_THAT(mapContactId("#1234|2130 01 003").error, Catch::Contains("qualifier '2'"));
    CHECK_FALSE(mapContactId("#1234|1X30 01 003").ok());
}

TEST_CASE("alarm_sia/sia: DC-04 codes with area and zone, restores and unknown codes")
{
    DataParse parse = mapSiaData("#1234|Nri1/BA003");
    REQUIRE(parse.ok());
    REQUIRE(parse.events.size() == 1);
    CHECK(parse.events[0].type == "intrusion");
    CHECK(parse.events[0].active);
    CHECK(parse.events[0].point == "003");
    CHECK(parse.events[0].area == "1");
    CHECK(parse.events[0].code == "SIA BA003");
    CHECK(parse.events[0].text == "Burglary alarm, zone 003, area 1");

    const std::vector<std::tuple<std::string, std::string, bool>> expected = {
        {"BR", "intrusion", false}, {"PA", "panic", true},    {"PR", "panic", false},
        {"FA", "fire", true},       {"FR", "fire", false},    {"HA", "duress", true},
        {"TA", "tamper", true},     {"TR", "tamper", false},  {"WA", "water", true},
        {"WR", "water", false},     {"YT", "device_fault", true}, {"YR", "device_fault", false},
        {"QA", "vendor.sia-QA", true}, {"QR", "vendor.sia-QR", false},
    };
    for (const auto& [code, type, active] : expected) {
        parse = mapSiaData("|Nri2/" + code + "011");
        INFO(code << ": " << parse.error);
        REQUIRE(parse.ok());
        CHECK(parse.events[0].type == type);
        CHECK(parse.events[0].active == active);
        CHECK(parse.events[0].point == "011");
    }
}

TEST_CASE("alarm_sia/sia: several codes in one message, arming by user, tests, bad data")
{
    DataParse parse = mapSiaData("|Nri1/CL501");
    REQUIRE(parse.ok());
    CHECK(parse.events[0].kind == PanelEvent::Kind::Arming);
    CHECK(parse.events[0].active);
    CHECK(parse.events[0].text == "Closing (armed), user 501, area 1");
    CHECK_FALSE(mapSiaData("Nri1/OP501").events[0].active);
    CHECK(mapSiaData("NRP").events[0].kind == PanelEvent::Kind::Supervision);
    CHECK(mapSiaData("Nid5/RX").events[0].test);

    parse = mapSiaData("#99|Nri3/BA001/ti10:00/BA002");
    REQUIRE(parse.ok());
    REQUIRE(parse.events.size() == 2);
    CHECK(parse.events[1].point == "002");
    CHECK(parse.events[1].area == "3");

    CHECK_THAT(mapSiaData("#1234|Xri1/BA003").error, Catch::Contains("'N'"));
    CHECK_THAT(mapSiaData("#1234|Nri1").error, Catch::Contains("no event code"));
    CHECK_THAT(mapSiaData("#1234|Nri1/ba003").error, Catch::Contains("neither"));
    CHECK_THAT(mapSiaData("#1234|NBA0x3").error, Catch::Contains("not digits"));
}
