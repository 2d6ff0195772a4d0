// Extended command codes of Pelco-D and Pelco-P (see extended_command.hpp).
#include "extended_command.hpp"

#include <string>

namespace ccoc::pelco {

namespace {

constexpr uint8_t kSetPreset = 0x03;
constexpr uint8_t kClearPreset = 0x05;
constexpr uint8_t kGoToPreset = 0x07;
constexpr uint8_t kAuxOn = 0x09;
constexpr uint8_t kAuxOff = 0x0B;
constexpr uint8_t kSetPan = 0x4B; // then 4D tilt, 4F zoom
constexpr uint8_t kQueryPan = 0x51; // then 53 tilt, 55 zoom
constexpr uint8_t kReportPan = 0x59; // then 5B tilt, 5D zoom

uint8_t axisOffset(Axis axis)
{
    return static_cast<uint8_t>(2 * static_cast<int>(axis));
}

uint8_t high(uint16_t value)
{
    return static_cast<uint8_t>(value >> 8);
}

uint8_t low(uint16_t value)
{
    return static_cast<uint8_t>(value & 0xFFu);
}

struct Encoder {
    std::optional<ExtendedBytes> operator()(const Motion&) const { return std::nullopt; }
    std::optional<ExtendedBytes> operator()(const Preset& preset) const
    {
        const uint8_t code = preset.action == PresetAction::Set     ? kSetPreset
                             : preset.action == PresetAction::Clear ? kClearPreset
                                                                    : kGoToPreset;
        return ExtendedBytes{code, 0, static_cast<uint8_t>(preset.number)};
    }
    std::optional<ExtendedBytes> operator()(const Aux& aux) const
    {
        return ExtendedBytes{aux.on ? kAuxOn : kAuxOff, 0, static_cast<uint8_t>(aux.number)};
    }
    std::optional<ExtendedBytes> operator()(const PositionQuery& query) const
    {
        return ExtendedBytes{static_cast<uint8_t>(kQueryPan + axisOffset(query.axis)), 0, 0};
    }
    std::optional<ExtendedBytes> operator()(const PositionSet& set) const
    {
        return ExtendedBytes{static_cast<uint8_t>(kSetPan + axisOffset(set.axis)), high(set.value), low(set.value)};
    }
    std::optional<ExtendedBytes> operator()(const PositionReport& report) const
    {
        return ExtendedBytes{static_cast<uint8_t>(kReportPan + axisOffset(report.axis)), high(report.value),
                             low(report.value)};
    }
    std::optional<ExtendedBytes> operator()(const GeneralResponse&) const { return std::nullopt; }
    std::optional<ExtendedBytes> operator()(const OtherExtended& other) const
    {
        return ExtendedBytes{other.command, other.data1, other.data2};
    }
};

// The axis of a code in a run of three (base, base+2, base+4), if it is one.
std::optional<Axis> axisOf(uint8_t code, uint8_t base)
{
    if (code == base) {
        return Axis::Pan;
    }
    if (code == base + 2) {
        return Axis::Tilt;
    }
    if (code == base + 4) {
        return Axis::Zoom;
    }
    return std::nullopt;
}

// A decoded command is checked with the same rules as one to be encoded, so what the reader
// accepts can always be written back.
Result<Command> checked(Command command)
{
    if (std::string problem = validate(command); !problem.empty()) {
        return makeError(ErrorKind::Malformed, problem);
    }
    return command;
}

} // namespace

std::optional<ExtendedBytes> toExtended(const Command& command)
{
    return std::visit(Encoder{}, command);
}

Result<Command> fromExtended(const ExtendedBytes& bytes)
{
    const uint16_t value = static_cast<uint16_t>((bytes.high << 8) | bytes.low);
    switch (bytes.code) {
    case kSetPreset: return checked(Preset{PresetAction::Set, bytes.low});
    case kClearPreset: return checked(Preset{PresetAction::Clear, bytes.low});
    case kGoToPreset: return checked(Preset{PresetAction::GoTo, bytes.low});
    case kAuxOn: return checked(Aux{true, bytes.low});
    case kAuxOff: return checked(Aux{false, bytes.low});
    default: break;
    }
    if (std::optional<Axis> axis = axisOf(bytes.code, kSetPan)) {
        return checked(PositionSet{*axis, value});
    }
    if (std::optional<Axis> axis = axisOf(bytes.code, kQueryPan)) {
        return checked(PositionQuery{*axis});
    }
    if (std::optional<Axis> axis = axisOf(bytes.code, kReportPan)) {
        return checked(PositionReport{*axis, value});
    }
    return checked(OtherExtended{bytes.code, bytes.high, bytes.low});
}

} // namespace ccoc::pelco
