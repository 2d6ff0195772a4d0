// Pelco-D frames: the published vectors byte for byte, every command's bits, the ranges the
// encoder refuses (with words), and decoding back what was encoded.
#include <catch2/catch.hpp>

#include "pelco_frame.hpp"

#include <vector>

using namespace ccoc::pelco;

namespace {

std::vector<uint8_t> bytesOf(const Result<Frame>& frame)
{
    REQUIRE(frame.ok());
    const auto bytes = frame.value().bytes();
    return {bytes.begin(), bytes.end()};
}

Motion panRight(int speed)
{
    Motion motion;
    motion.pan = Pan::Right;
    motion.panSpeed = speed;
    return motion;
}

} // namespace

// The three vectors the Pelco-D documents and most camera manuals print for camera 1.
TEST_CASE("pelco/d_published_vectors: stop, pan right at 0x20 and go to preset 1 for address 1")
{
    CHECK(bytesOf(encodeD(1, Motion{})) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01});
    CHECK(bytesOf(encodeD(1, panRight(0x20))) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x02, 0x20, 0x00, 0x23});
    CHECK(bytesOf(encodeD(1, Preset{PresetAction::GoTo, 1})) ==
          std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x07, 0x00, 0x01, 0x09});
}

TEST_CASE("pelco/d_command_bits: directions, diagonals, lens, presets, aux and position frames")
{
    Motion upLeft;
    upLeft.pan = Pan::Left;
    upLeft.tilt = Tilt::Up;
    upLeft.panSpeed = 0x3F;
    upLeft.tiltSpeed = 0x10;
    // 01 + 00 + 0C + 3F + 10 = 5C
    CHECK(bytesOf(encodeD(1, upLeft)) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x0C, 0x3F, 0x10, 0x5C});
    Motion downRightTurbo;
    downRightTurbo.pan = Pan::Right;
    downRightTurbo.tilt = Tilt::Down;
    downRightTurbo.panTurbo = true;
    downRightTurbo.tiltSpeed = 0x3F;
    // 02 + 00 + 12 + FF + 3F = 0152 -> 52
    CHECK(bytesOf(encodeD(2, downRightTurbo)) == std::vector<uint8_t>{0xFF, 0x02, 0x00, 0x12, 0xFF, 0x3F, 0x52});

    Motion lens;
    lens.zoom = Zoom::Tele;
    CHECK(bytesOf(encodeD(1, lens)) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x20, 0x00, 0x00, 0x21});
    lens.zoom = Zoom::Wide;
    CHECK(bytesOf(encodeD(1, lens)) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x40, 0x00, 0x00, 0x41});
    lens = {};
    lens.focus = Focus::Far;
    CHECK(bytesOf(encodeD(1, lens)) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x80, 0x00, 0x00, 0x81});
    lens.focus = Focus::Near;
    CHECK(bytesOf(encodeD(1, lens)) == std::vector<uint8_t>{0xFF, 0x01, 0x01, 0x00, 0x00, 0x00, 0x02});
    lens = {};
    lens.iris = Iris::Open;
    CHECK(bytesOf(encodeD(1, lens)) == std::vector<uint8_t>{0xFF, 0x01, 0x02, 0x00, 0x00, 0x00, 0x03});
    lens.iris = Iris::Close;
    CHECK(bytesOf(encodeD(1, lens)) == std::vector<uint8_t>{0xFF, 0x01, 0x04, 0x00, 0x00, 0x00, 0x05});

    CHECK(bytesOf(encodeD(1, Preset{PresetAction::Set, 5})) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x03, 0x00, 0x05, 0x09});
    CHECK(bytesOf(encodeD(1, Preset{PresetAction::Clear, 255})) ==
          std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x05, 0x00, 0xFF, 0x05});
    CHECK(bytesOf(encodeD(1, Aux{true, 2})) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x09, 0x00, 0x02, 0x0C});
    CHECK(bytesOf(encodeD(1, Aux{false, 2})) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x0B, 0x00, 0x02, 0x0E});

    CHECK(bytesOf(encodeD(1, PositionQuery{Axis::Pan})) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x51, 0x00, 0x00, 0x52});
    CHECK(bytesOf(encodeD(1, PositionQuery{Axis::Tilt})) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x53, 0x00, 0x00, 0x54});
    CHECK(bytesOf(encodeD(1, PositionQuery{Axis::Zoom})) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x55, 0x00, 0x00, 0x56});
    // 90.00 degrees = 9000 = 0x2328; 01 + 00 + 59 + 23 + 28 = A5
    CHECK(bytesOf(encodeD(1, PositionReport{Axis::Pan, 9000})) ==
          std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x59, 0x23, 0x28, 0xA5});
    CHECK(bytesOf(encodeD(1, PositionSet{Axis::Pan, 9000})) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x4B, 0x23, 0x28, 0x97});
}

TEST_CASE("pelco/d_ranges_rejected: addresses 0 and 255, speeds, presets, aux and pan position, in words")
{
    auto problemOf = [](const Result<Frame>& frame) {
        REQUIRE_FALSE(frame.ok());
        CHECK(frame.error().kind == ErrorKind::InvalidArgument);
        return frame.error().message;
    };
    CHECK_THAT(problemOf(encodeD(0, Motion{})), Catch::Contains("address 0") && Catch::Contains("1 to 254"));
    CHECK_THAT(problemOf(encodeD(255, Motion{})), Catch::Contains("broadcast"));
    CHECK_THAT(problemOf(encodeD(1, panRight(0x40))), Catch::Contains("pan speed 64") && Catch::Contains("0 to 63"));
    Motion tilt;
    tilt.tilt = Tilt::Up;
    tilt.tiltSpeed = -1;
    CHECK_THAT(problemOf(encodeD(1, tilt)), Catch::Contains("tilt speed -1"));
    CHECK_THAT(problemOf(encodeD(1, Preset{PresetAction::GoTo, 0})), Catch::Contains("preset 0") && Catch::Contains("1 to 255"));
    CHECK_THAT(problemOf(encodeD(1, Preset{PresetAction::Set, 256})), Catch::Contains("preset 256"));
    CHECK_THAT(problemOf(encodeD(1, Aux{true, 9})), Catch::Contains("aux 9") && Catch::Contains("1 to 8"));
    CHECK_THAT(problemOf(encodeD(1, PositionSet{Axis::Pan, 36000})), Catch::Contains("35999"));
    CHECK_THAT(problemOf(encodeD(1, OtherExtended{0x10, 0, 0})), Catch::Contains("even"));
    CHECK(encodeD(254, Motion{}).ok());
}

TEST_CASE("pelco/d_decode_roundtrip: every encodable command decodes back to itself")
{
    Motion diagonal;
    diagonal.pan = Pan::Left;
    diagonal.tilt = Tilt::Down;
    diagonal.panSpeed = 12;
    diagonal.tiltSpeed = 63;
    diagonal.zoom = Zoom::Wide;
    diagonal.iris = Iris::Open;
    Motion turbo;
    turbo.pan = Pan::Right;
    turbo.panTurbo = true;
    Motion focusFar;
    focusFar.focus = Focus::Far;
    const std::vector<Command> commands{Motion{}, diagonal, turbo, focusFar, Preset{PresetAction::Set, 200},
                                        Preset{PresetAction::Clear, 1}, Preset{PresetAction::GoTo, 99},
                                        Aux{true, 8}, Aux{false, 1}, PositionQuery{Axis::Zoom},
                                        PositionSet{Axis::Tilt, 0xFFFF}, PositionReport{Axis::Zoom, 0x1234},
                                        OtherExtended{0x25, 0x00, 0x02}};
    for (const Command& command : commands) {
        INFO(describe(command));
        const Result<Frame> frame = encodeD(17, command);
        REQUIRE(frame.ok());
        const Result<Message> message = decodeD(frame.value().bytes());
        REQUIRE(message.ok());
        CHECK(message.value() == Message{17, command});
    }
}

TEST_CASE("pelco/d_decode_rejects: sync, checksum, address, speeds and unsupported bits, naming the byte")
{
    auto problemOf = [](std::vector<uint8_t> bytes, bool fixChecksum = true) {
        if (fixChecksum) {
            bytes[6] = checksumD(bytes);
        }
        const Result<Message> message = decodeD(bytes);
        REQUIRE_FALSE(message.ok());
        CHECK(message.error().kind == ErrorKind::Malformed);
        return message.error().message;
    };
    CHECK_THAT(problemOf({0xFF, 0x01, 0x00, 0x02, 0x20, 0x00, 0x24}, false),
               Catch::Contains("checksum (byte 7) is 24: expected 23"));
    CHECK_THAT(problemOf({0xFE, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00}), Catch::Contains("sync byte FF"));
    CHECK_THAT(problemOf({0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}), Catch::Contains("address (byte 2) is 00"));
    CHECK_THAT(problemOf({0xFF, 0x01, 0x00, 0x02, 0x40, 0x00, 0x00}), Catch::Contains("pan speed (byte 5) is 40"));
    CHECK_THAT(problemOf({0xFF, 0x01, 0x00, 0x08, 0x00, 0x41, 0x00}), Catch::Contains("tilt speed (byte 6) is 41"));
    CHECK_THAT(problemOf({0xFF, 0x01, 0x88, 0x00, 0x00, 0x00, 0x00}), Catch::Contains("not supported"));
    CHECK_THAT(problemOf({0xFF, 0x01, 0x00, 0x06, 0x10, 0x00, 0x00}), Catch::Contains("opposite"));
    CHECK_THAT(problemOf({0xFF, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00}), Catch::Contains("preset 0"));
    CHECK_THAT(problemOf({0xFF, 0x01, 0x00, 0x07, 0x00}, false), Catch::Contains("expected 7"));
}

TEST_CASE("pelco/d_general_response: FF address alarms checksum, read back, and none in Pelco-P")
{
    CHECK(bytesOf(encodeD(1, GeneralResponse{0x00})) == std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x01});
    CHECK(bytesOf(encodeD(0xFE, GeneralResponse{0x03})) == std::vector<uint8_t>{0xFF, 0xFE, 0x03, 0x01});
    const Result<Message> decoded = decodeD(std::vector<uint8_t>{0xFF, 0x07, 0x81, 0x88});
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == Message{7, GeneralResponse{0x81}});
    const Result<Message> bad = decodeD(std::vector<uint8_t>{0xFF, 0x07, 0x81, 0x89});
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Catch::Contains("general response checksum (byte 4) is 89: expected 88"));
    const Result<Frame> p = encodeP(1, GeneralResponse{});
    REQUIRE_FALSE(p.ok());
    CHECK_THAT(p.error().message, Catch::Contains("Pelco-P has no general response"));
}

TEST_CASE("pelco/reserved_presets: the documented special presets are named, ordinary ones are not")
{
    CHECK_THAT(std::string(reservedPresetMeaning(33)), Catch::Contains("flips"));
    CHECK_THAT(std::string(reservedPresetMeaning(34)), Catch::Contains("zero"));
    CHECK_THAT(std::string(reservedPresetMeaning(95)), Catch::Contains("menu"));
    CHECK(reservedPresetMeaning(1).empty());
    CHECK(reservedPresetMeaning(100).empty());
    // They are warnings, not errors: a driver may go to 33 on purpose.
    CHECK(encodeD(1, Preset{PresetAction::GoTo, 33}).ok());
}

TEST_CASE("pelco/describe_commands: commands read in words for log lines")
{
    Motion diagonal;
    diagonal.pan = Pan::Right;
    diagonal.panSpeed = 32;
    diagonal.tilt = Tilt::Up;
    diagonal.tiltSpeed = 10;
    diagonal.zoom = Zoom::Tele;
    CHECK(describe(Motion{}) == "stop");
    CHECK(describe(diagonal) == "pan right 32, tilt up 10, zoom tele");
    Motion turbo;
    turbo.pan = Pan::Left;
    turbo.panTurbo = true;
    CHECK(describe(turbo) == "pan left turbo");
    CHECK(describe(Preset{PresetAction::GoTo, 1}) == "go to preset 1");
    CHECK(describe(Aux{false, 3}) == "aux 3 off");
    CHECK(describe(PositionQuery{Axis::Tilt}) == "query tilt position");
    CHECK(describe(PositionReport{Axis::Pan, 9000}) == "pan position is 9000");
    CHECK(describe(OtherExtended{0x25, 0x00, 0x02}) == "extended command 25 (data 00 02)");
    CHECK(hexText(encodeD(1, Motion{}).value().bytes()) == "FF 01 00 00 00 00 01");
}
