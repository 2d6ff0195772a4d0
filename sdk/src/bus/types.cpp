// Names of the bus's enumerations, as they appear on the wire.
#include "ccoc/bus/types.hpp"

namespace ccoc::bus {

std::string_view kindName(Kind kind) noexcept {
    switch (kind) {
    case Kind::State: return "state";
    case Kind::Event: return "event";
    case Kind::Telemetry: return "telemetry";
    }
    return "state";
}

std::string_view commandStatusName(CommandStatus status) noexcept {
    switch (status) {
    case CommandStatus::Ok: return "ok";
    case CommandStatus::Error: return "error";
    case CommandStatus::Busy: return "busy";
    case CommandStatus::Rejected: return "rejected";
    case CommandStatus::Timeout: return "timeout";
    case CommandStatus::Unavailable: return "unavailable";
    }
    return "error";
}

std::optional<CommandStatus> parseCommandStatus(std::string_view name) noexcept {
    for (const auto status : {CommandStatus::Ok, CommandStatus::Error, CommandStatus::Busy, CommandStatus::Rejected,
                              CommandStatus::Timeout, CommandStatus::Unavailable}) {
        if (commandStatusName(status) == name) {
            return status;
        }
    }
    return std::nullopt;
}

} // namespace ccoc::bus
