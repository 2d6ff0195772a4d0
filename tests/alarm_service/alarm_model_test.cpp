// The alarm model: decoding driver events and commands with clear messages, records round-trip.
#include "ccoc/alarm.hpp"

#include <catch2/catch.hpp>

using namespace ccoc::alarm;

TEST_CASE("alarm_service/model-event-decoding") {
    const auto good = decodeEvent(R"({"type":"vendor.acme-cut-fence","active":false,"point":"003","extra":1})");
    REQUIRE(good.ok());
    CHECK(good.value->type == "vendor.acme-cut-fence");
    CHECK_FALSE(good.value->active);
    CHECK(good.value->point == "003");
    CHECK(decodeEvent("[1]").error == "the alarm event is an array; expected a JSON object");
    CHECK(decodeEvent("{").error == "the alarm event is not valid JSON; expected a JSON object");
    CHECK(decodeEvent(R"({"active":true})").error == "the alarm event has no 'type'; expected a string");
    CHECK(decodeEvent(R"({"type":"door","active":"yes"})").error ==
          "'active' of the alarm event is a string; expected true or false");
    CHECK(decodeEvent(R"({"type":"vendor.","active":true})").error.starts_with("'type' of the alarm event is 'vendor.'"));
    // A device's configured alarm_type stands in for a missing type.
    const auto fallback = decodeEvent(R"({"active":true})", "door");
    REQUIRE(fallback.ok());
    CHECK(fallback.value->type == "door");
    CHECK(decodeEvent(encodeEvent(*good.value)).value->point == "003");
}

TEST_CASE("alarm_service/model-priorities") {
    CHECK(defaultPriority("panic") == 1);
    CHECK(defaultPriority("fire") == 1);
    CHECK(defaultPriority("glass_break") == 2);
    CHECK(defaultPriority("tamper") == 3);
    CHECK(defaultPriority("camera_offline") == 4);
    CHECK(defaultPriority("vendor.x") == 3);
    CHECK(isKnownType("device_fault"));
    CHECK_FALSE(isKnownType("Door"));
    CHECK_FALSE(isKnownType("vendor.A"));
}

TEST_CASE("alarm_service/model-record-round-trip") {
    AlarmRecord record;
    record.id = "A-20261127-000042";
    record.device = "door-front";
    record.deviceName = "ประตูหน้าสถานี";
    record.type = "door";
    record.priority = 2;
    record.state = State::Closed;
    record.count = 3;
    record.position = std::pair{13.73, 100.542};
    record.cameras = {"cam1"};
    record.ack = Acknowledgement{"op", 5, "seen"};
    record.close = Closure{"op", 6, "real", "caught"};
    record.notes = {Note{"op", 7, "โทรแล้ว"}};
    const auto decoded = decodeRecord(encodeRecord(record));
    REQUIRE(decoded.ok());
    CHECK(encodeRecord(*decoded.value) == encodeRecord(record));
    CHECK(decodeRecord(R"({"id":"A","device":"d","type":"door","priority":9,"state":"new"})").error ==
          "'priority' of the alarm record is 9; expected an integer from 1 to 5");
    AlarmSummary summary;
    summary.open = 2;
    summary.byPriority[0] = 2;
    CHECK(decodeSummary(encodeSummary(summary)).value->byPriority[0] == 2);
}

TEST_CASE("alarm_service/model-command-decoding") {
    CHECK(decodeCommand("alarm.close", R"({"id":"A","operator":"op"})").error ==
          "the args of alarm.close has no 'outcome'; expected a string");
    CHECK(decodeCommand("alarm.close", R"({"id":"A","operator":"op","outcome":"done"})").error ==
          "'outcome' of the args of alarm.close is 'done'; expected one of real, false_alarm, test, other");
    CHECK(decodeCommand("alarm.shout", "{}").error ==
          "unknown action 'alarm.shout'; expected alarm.ack, alarm.assign, alarm.close, alarm.note or alarm.history");
    const auto history = decodeCommand("alarm.history", "null");
    REQUIRE(history.ok());
    CHECK(history.value->limit == 200);
    CHECK(decodeCommand("alarm.history", R"({"limit":0})").error ==
          "'limit' of the args of alarm.history is 0; expected an integer from 1 to 1000");
    AlarmCommand ack;
    ack.action = Action::Ack;
    ack.id = "A-1";
    ack.operatorName = "op";
    ack.note = "n";
    const auto back = decodeCommand("alarm.ack", encodeCommandArgs(ack));
    REQUIRE(back.ok());
    CHECK(back.value->note == "n");
}
