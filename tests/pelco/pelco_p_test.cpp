// Pelco-P frames: the equivalents of the Pelco-D vectors, derived from the Pelco-P tables, every
// command's bits, the address mapping (camera 1 = 00 on the wire), ranges and decoding.
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

} // namespace

// Derivation, from the Pelco-P layout A0 addr d1 d2 d3 d4 AF xor (xor of the first seven bytes):
//   camera 1 is address 00 on the wire; A0 ^ AF = 0F, so the checksum is 0F ^ addr ^ d1 ^ d2 ^ d3 ^ d4.
//   stop:              d1..d4 = 00 00 00 00          -> 0F
//   pan right at 0x20: d2 bit 1 (02), d3 pan speed 20 -> 0F ^ 02 ^ 20 = 2D
//   go to preset 1:    d2 = 07 (extended), d4 = 01    -> 0F ^ 07 ^ 01 = 09
TEST_CASE("pelco/p_derived_vectors: stop, pan right at 0x20 and go to preset 1 for camera 1")
{
    CHECK(bytesOf(encodeP(1, Motion{})) == std::vector<uint8_t>{0xA0, 0x00, 0x00, 0x00, 0x00, 0x00, 0xAF, 0x0F});
    Motion right;
    right.pan = Pan::Right;
    right.panSpeed = 0x20;
    CHECK(bytesOf(encodeP(1, right)) == std::vector<uint8_t>{0xA0, 0x00, 0x00, 0x02, 0x20, 0x00, 0xAF, 0x2D});
    CHECK(bytesOf(encodeP(1, Preset{PresetAction::GoTo, 1})) ==
          std::vector<uint8_t>{0xA0, 0x00, 0x00, 0x07, 0x00, 0x01, 0xAF, 0x09});
}

// Further derivations, as above (checksum = 0F ^ addr ^ d1 ^ d2 ^ d3 ^ d4):
//   camera 32 stop:            addr 1F                       -> 0F ^ 1F = 10
//   up-left 3F/10, camera 2:   addr 01, d2 0C, d3 3F, d4 10  -> 0F ^ 01 ^ 0C ^ 3F ^ 10 = 2D
//   pan left turbo, camera 1:  d2 04, d3 40 (turbo)          -> 0F ^ 04 ^ 40 = 4B
//   focus far / near:          d1 01 / 02                    -> 0E / 0D
//   iris open / close:         d1 04 / 08                    -> 0B / 07
//   zoom tele / wide:          d2 20 / 40                    -> 2F / 4F
//   set preset 5:              d2 03, d4 05                  -> 0F ^ 03 ^ 05 = 09
//   clear preset 255:          d2 05, d4 FF                  -> 0F ^ 05 ^ FF = F5
//   aux on 2 / off 2:          d2 09 / 0B, d4 02             -> 04 / 06
TEST_CASE("pelco/p_command_bits: addresses, diagonals, turbo, lens, presets and aux")
{
    CHECK(bytesOf(encodeP(32, Motion{})) == std::vector<uint8_t>{0xA0, 0x1F, 0x00, 0x00, 0x00, 0x00, 0xAF, 0x10});
    Motion upLeft;
    upLeft.pan = Pan::Left;
    upLeft.tilt = Tilt::Up;
    upLeft.panSpeed = 0x3F;
    upLeft.tiltSpeed = 0x10;
    CHECK(bytesOf(encodeP(2, upLeft)) == std::vector<uint8_t>{0xA0, 0x01, 0x00, 0x0C, 0x3F, 0x10, 0xAF, 0x2D});
    Motion turbo;
    turbo.pan = Pan::Left;
    turbo.panTurbo = true;
    CHECK(bytesOf(encodeP(1, turbo)) == std::vector<uint8_t>{0xA0, 0x00, 0x00, 0x04, 0x40, 0x00, 0xAF, 0x4B});

    auto lensFrame = [](Motion motion) { return bytesOf(encodeP(1, motion)); };
    Motion lens;
    lens.focus = Focus::Far;
    CHECK(lensFrame(lens) == std::vector<uint8_t>{0xA0, 0x00, 0x01, 0x00, 0x00, 0x00, 0xAF, 0x0E});
    lens.focus = Focus::Near;
    CHECK(lensFrame(lens) == std::vector<uint8_t>{0xA0, 0x00, 0x02, 0x00, 0x00, 0x00, 0xAF, 0x0D});
    lens = {};
    lens.iris = Iris::Open;
    CHECK(lensFrame(lens) == std::vector<uint8_t>{0xA0, 0x00, 0x04, 0x00, 0x00, 0x00, 0xAF, 0x0B});
    lens.iris = Iris::Close;
    CHECK(lensFrame(lens) == std::vector<uint8_t>{0xA0, 0x00, 0x08, 0x00, 0x00, 0x00, 0xAF, 0x07});
    lens = {};
    lens.zoom = Zoom::Tele;
    CHECK(lensFrame(lens) == std::vector<uint8_t>{0xA0, 0x00, 0x00, 0x20, 0x00, 0x00, 0xAF, 0x2F});
    lens.zoom = Zoom::Wide;
    CHECK(lensFrame(lens) == std::vector<uint8_t>{0xA0, 0x00, 0x00, 0x40, 0x00, 0x00, 0xAF, 0x4F});

    CHECK(bytesOf(encodeP(1, Preset{PresetAction::Set, 5})) ==
          std::vector<uint8_t>{0xA0, 0x00, 0x00, 0x03, 0x00, 0x05, 0xAF, 0x09});
    CHECK(bytesOf(encodeP(1, Preset{PresetAction::Clear, 255})) ==
          std::vector<uint8_t>{0xA0, 0x00, 0x00, 0x05, 0x00, 0xFF, 0xAF, 0xF5});
    CHECK(bytesOf(encodeP(1, Aux{true, 2})) == std::vector<uint8_t>{0xA0, 0x00, 0x00, 0x09, 0x00, 0x02, 0xAF, 0x04});
    CHECK(bytesOf(encodeP(1, Aux{false, 2})) == std::vector<uint8_t>{0xA0, 0x00, 0x00, 0x0B, 0x00, 0x02, 0xAF, 0x06});
}

TEST_CASE("pelco/p_ranges_rejected: cameras 0 and 33, and the value ranges shared with Pelco-D")
{
    for (int address : {0, 33, -1}) {
        const Result<Frame> frame = encodeP(address, Motion{});
        REQUIRE_FALSE(frame.ok());
        CHECK(frame.error().kind == ErrorKind::InvalidArgument);
        CHECK_THAT(frame.error().message, Catch::Contains("1 to 32") && Catch::Contains("00 to 1F"));
    }
    Motion tooFast;
    tooFast.tilt = Tilt::Down;
    tooFast.tiltSpeed = 64;
    CHECK_FALSE(encodeP(1, tooFast).ok());
    CHECK_FALSE(encodeP(1, Preset{PresetAction::GoTo, 0}).ok());
}

TEST_CASE("pelco/p_decode_roundtrip: every encodable command decodes back to itself, camera numbers kept")
{
    Motion diagonal;
    diagonal.pan = Pan::Right;
    diagonal.tilt = Tilt::Up;
    diagonal.panSpeed = 1;
    diagonal.tiltSpeed = 2;
    diagonal.focus = Focus::Near;
    diagonal.iris = Iris::Close;
    Motion turbo;
    turbo.pan = Pan::Left;
    turbo.panTurbo = true;
    turbo.zoom = Zoom::Tele;
    const std::vector<Command> commands{Motion{}, diagonal, turbo, Preset{PresetAction::Set, 1},
                                        Preset{PresetAction::GoTo, 255}, Aux{true, 3}, PositionQuery{Axis::Pan},
                                        PositionReport{Axis::Tilt, 4500}};
    for (int address : {1, 32}) {
        for (const Command& command : commands) {
            INFO(describe(command) << " to camera " << address);
            const Result<Frame> frame = encodeP(address, command);
            REQUIRE(frame.ok());
            const Result<Message> message = decodeP(frame.value().bytes());
            REQUIRE(message.ok());
            CHECK(message.value() == Message{address, command});
        }
    }
}

TEST_CASE("pelco/p_decode_rejects: STX, ETX, checksum, wire address and unsupported bits, naming the byte")
{
    auto problemOf = [](std::vector<uint8_t> bytes, bool fixChecksum = true) {
        if (fixChecksum) {
            bytes[7] = checksumP(bytes);
        }
        const Result<Message> message = decodeP(bytes);
        REQUIRE_FALSE(message.ok());
        CHECK(message.error().kind == ErrorKind::Malformed);
        return message.error().message;
    };
    CHECK_THAT(problemOf({0xA0, 0x00, 0x00, 0x02, 0x20, 0x00, 0xAF, 0x2C}, false),
               Catch::Contains("checksum (byte 8) is 2C: expected 2D"));
    CHECK_THAT(problemOf({0xA1, 0x00, 0x00, 0x00, 0x00, 0x00, 0xAF, 0x00}), Catch::Contains("STX A0"));
    CHECK_THAT(problemOf({0xA0, 0x00, 0x00, 0x00, 0x00, 0x00, 0xAE, 0x00}), Catch::Contains("ETX AF"));
    CHECK_THAT(problemOf({0xA0, 0x20, 0x00, 0x00, 0x00, 0x00, 0xAF, 0x00}), Catch::Contains("address (byte 2) is 20"));
    CHECK_THAT(problemOf({0xA0, 0x00, 0x40, 0x00, 0x00, 0x00, 0xAF, 0x00}), Catch::Contains("not supported"));
    CHECK_THAT(problemOf({0xA0, 0x00, 0x00, 0x02, 0x41, 0x00, 0xAF, 0x00}), Catch::Contains("pan speed (byte 5) is 41"));
    CHECK_THAT(problemOf({0xA0, 0x00, 0x03, 0x00, 0x00, 0x00, 0xAF, 0x00}), Catch::Contains("opposite"));
}
