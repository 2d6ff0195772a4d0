// Range checks, reserved presets and descriptions of Pelco commands (see pelco_command.hpp).
#include "pelco_command.hpp"

#include <cstdio>

namespace ccoc::pelco {

namespace {

// The highest pan position, in hundredths of a degree: 359.99 degrees.
constexpr int kMaxPanHundredths = 35999;

std::string checkSpeed(const char* which, int speed)
{
    if (speed < 0 || speed > kMaxSpeed) {
        return std::string(which) + " speed " + std::to_string(speed) + " is out of range: expected 0 to " +
               std::to_string(kMaxSpeed) + " (use turbo for the fastest pan)";
    }
    return {};
}

struct Validator {
    std::string operator()(const Motion& motion) const
    {
        if (std::string problem = checkSpeed("pan", motion.panSpeed); !problem.empty()) {
            return problem;
        }
        return checkSpeed("tilt", motion.tiltSpeed);
    }
    std::string operator()(const Preset& preset) const
    {
        if (preset.number < 1 || preset.number > 255) {
            return "preset " + std::to_string(preset.number) + " is out of range: expected 1 to 255";
        }
        return {};
    }
    std::string operator()(const Aux& aux) const
    {
        // The Pelco documents give aux 1 to 8 (the receiver's relay outputs).
        if (aux.number < 1 || aux.number > 8) {
            return "aux " + std::to_string(aux.number) + " is out of range: expected 1 to 8";
        }
        return {};
    }
    std::string operator()(const PositionQuery&) const { return {}; }
    std::string operator()(const PositionSet& set) const
    {
        if (set.axis == Axis::Pan && set.value > kMaxPanHundredths) {
            return "pan position " + std::to_string(set.value) +
                   " is out of range: expected 0 to 35999 (hundredths of a degree)";
        }
        return {};
    }
    std::string operator()(const PositionReport&) const { return {}; }
    std::string operator()(const GeneralResponse&) const { return {}; }
    std::string operator()(const OtherExtended& other) const
    {
        if ((other.command & 0x01u) == 0) {
            return "extended command " + hexByte(other.command) + " is even: an extended command has bit 0 set";
        }
        return {};
    }
};

const char* panName(Pan pan)
{
    return pan == Pan::Left ? "left" : "right";
}

struct Describer {
    std::string operator()(const Motion& motion) const
    {
        std::string text;
        auto add = [&text](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
        if (motion.pan != Pan::None) {
            add(std::string("pan ") + panName(motion.pan) + " " +
                (motion.panTurbo ? std::string("turbo") : std::to_string(motion.panSpeed)));
        }
        if (motion.tilt != Tilt::None) {
            add(std::string("tilt ") + (motion.tilt == Tilt::Up ? "up " : "down ") + std::to_string(motion.tiltSpeed));
        }
        if (motion.zoom != Zoom::None) {
            add(motion.zoom == Zoom::Tele ? "zoom tele" : "zoom wide");
        }
        if (motion.focus != Focus::None) {
            add(motion.focus == Focus::Near ? "focus near" : "focus far");
        }
        if (motion.iris != Iris::None) {
            add(motion.iris == Iris::Open ? "iris open" : "iris close");
        }
        return text.empty() ? "stop" : text;
    }
    std::string operator()(const Preset& preset) const
    {
        const char* verb = preset.action == PresetAction::Set ? "set" : preset.action == PresetAction::Clear ? "clear" : "go to";
        return std::string(verb) + " preset " + std::to_string(preset.number);
    }
    std::string operator()(const Aux& aux) const
    {
        return "aux " + std::to_string(aux.number) + (aux.on ? " on" : " off");
    }
    std::string operator()(const PositionQuery& query) const
    {
        return "query " + std::string(axisName(query.axis)) + " position";
    }
    std::string operator()(const PositionSet& set) const
    {
        return "set " + std::string(axisName(set.axis)) + " position " + std::to_string(set.value);
    }
    std::string operator()(const PositionReport& report) const
    {
        return std::string(axisName(report.axis)) + " position is " + std::to_string(report.value);
    }
    std::string operator()(const GeneralResponse& response) const
    {
        return "general response, alarms " + hexByte(response.alarms);
    }
    std::string operator()(const OtherExtended& other) const
    {
        return "extended command " + hexByte(other.command) + " (data " + hexByte(other.data1) + " " +
               hexByte(other.data2) + ")";
    }
};

} // namespace

std::string validate(const Command& command)
{
    return std::visit(Validator{}, command);
}

std::string_view reservedPresetMeaning(int number) noexcept
{
    switch (number) {
    case 33: return "go to 33 flips the dome 180 degrees";
    case 34: return "go to 34 turns pan to its zero position";
    case 92: return "set 92 stores the left scan limit";
    case 93: return "set 93 stores the right scan limit";
    case 95: return "set 95 opens the dome's on-screen menu";
    case 96: return "set 96 stops a scan";
    case 97: return "set 97 starts a random scan";
    case 98: return "set 98 starts a frame scan";
    case 99: return "set 99 starts an auto scan";
    default: return {};
    }
}

std::string describe(const Command& command)
{
    return std::visit(Describer{}, command);
}

std::string hexByte(unsigned value)
{
    char text[8];
    std::snprintf(text, sizeof text, "%02X", value & 0xFFu);
    return text;
}

std::string_view axisName(Axis axis) noexcept
{
    switch (axis) {
    case Axis::Pan: return "pan";
    case Axis::Tilt: return "tilt";
    case Axis::Zoom: return "zoom";
    }
    return "?";
}

} // namespace ccoc::pelco
