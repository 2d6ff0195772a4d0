// What a Pelco frame says, independent of the wire format: the same Command is written as a
// Pelco-D or a Pelco-P frame by pelco_frame.hpp. These are the protocol's own terms (speeds
// 0-63, preset numbers, raw 16-bit positions), not a PTZ device model.
// Thread: any; plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace ccoc::pelco {

enum class Pan { None, Left, Right };
enum class Tilt { None, Up, Down };
enum class Zoom { None, Tele, Wide };
enum class Focus { None, Near, Far };
enum class Iris { None, Open, Close };

// Highest pan and tilt speed of both protocols (0x3F); turbo is a separate flag.
inline constexpr int kMaxSpeed = 0x3F;

// A standard (non-extended) command: the motions in progress until the next command. All None
// with speeds 0 is "stop". A camera keeps moving until it receives another command: the driver,
// not this layer, sends the stop.
struct Motion {
    Pan pan = Pan::None;
    Tilt tilt = Tilt::None;
    int panSpeed = 0;      // 0..kMaxSpeed
    int tiltSpeed = 0;     // 0..kMaxSpeed
    bool panTurbo = false; // the fastest pan the camera has (D: data 1 = FF; P: data 3 = 40)
    Zoom zoom = Zoom::None;
    Focus focus = Focus::None;
    Iris iris = Iris::None;

    friend bool operator==(const Motion&, const Motion&) = default;
};

enum class PresetAction { Set, Clear, GoTo };

// Set (store the current position), clear or go to preset `number`, 1..255.
struct Preset {
    PresetAction action = PresetAction::GoTo;
    int number = 1;

    friend bool operator==(const Preset&, const Preset&) = default;
};

// Switch auxiliary output `number` (1..8, relays or wipers on the receiver) on or off.
struct Aux {
    bool on = true;
    int number = 1;

    friend bool operator==(const Aux&, const Aux&) = default;
};

enum class Axis { Pan, Tilt, Zoom };

// Pelco-D extended: ask for the position of one axis (51 / 53 / 55); the answer is a
// PositionReport (59 / 5B / 5D).
struct PositionQuery {
    Axis axis = Axis::Pan;

    friend bool operator==(const PositionQuery&, const PositionQuery&) = default;
};

// Pelco-D extended: move one axis to a raw position (4B / 4D / 4F). Pan is hundredths of a degree,
// 0..35999 from the camera's zero; tilt and zoom are the camera's own 16-bit scale.
struct PositionSet {
    Axis axis = Axis::Pan;
    uint16_t value = 0;

    friend bool operator==(const PositionSet&, const PositionSet&) = default;
};

// The camera's answer to a PositionQuery (59 / 5B / 5D), in the same units as PositionSet.
struct PositionReport {
    Axis axis = Axis::Pan;
    uint16_t value = 0;

    friend bool operator==(const PositionReport&, const PositionReport&) = default;
};

// Any other extended command (command 2 odd): zones, patterns, lens speeds, screen text... Kept
// raw so that a frame this layer does not interpret is still read as a frame, not as junk.
struct OtherExtended {
    uint8_t command = 0x01; // odd: the extended-command bit is set
    uint8_t data1 = 0;
    uint8_t data2 = 0;

    friend bool operator==(const OtherExtended&, const OtherExtended&) = default;
};

// Pelco-D only: the 4-byte answer many receivers send after each command they take,
// FF address alarms checksum (checksum = address + alarms mod 256). `alarms` is the receiver's
// alarm byte as sent; its bits are the receiver's alarm inputs.
struct GeneralResponse {
    uint8_t alarms = 0;

    friend bool operator==(const GeneralResponse&, const GeneralResponse&) = default;
};

using Command =
    std::variant<Motion, Preset, Aux, PositionQuery, PositionSet, PositionReport, OtherExtended, GeneralResponse>;

// A frame's meaning: which receiver, and what. `address` is the receiver's address as set on the
// camera (D: 1..254; P: 1..32, sent as address - 1, see pelco_frame.hpp).
struct Message {
    int address = 1;
    Command command;

    friend bool operator==(const Message&, const Message&) = default;
};

// Checks the ranges of `command` alone (speeds, preset and aux numbers, pan position); the
// address is checked by the encoder of each protocol. Empty when fine, otherwise what is wrong
// and what was expected.
[[nodiscard]] std::string validate(const Command& command);

// What the Pelco documents reserve preset `number` for, or "" when it is an ordinary preset.
// Pelco domes (Spectra) give some numbers a function instead of a stored position: going to 33
// flips the dome 180 degrees, 34 turns pan to its zero, and setting 92/93 (scan limits), 95 (the
// dome's on-screen menu) or 96-99 (scans) starts that function. Other vendors copy some of these
// and add their own, so they are a warning for the operator, not an error: the encoder sends them.
[[nodiscard]] std::string_view reservedPresetMeaning(int number) noexcept;

// "go to preset 1", "pan right 32, tilt up 10", "query pan position": for logs and test output.
[[nodiscard]] std::string describe(const Command& command);
[[nodiscard]] std::string_view axisName(Axis axis) noexcept;
// "0F": one byte as two upper-case hex digits, as the Pelco documents write them.
[[nodiscard]] std::string hexByte(unsigned value);

} // namespace ccoc::pelco
