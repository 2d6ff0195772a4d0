// The extended commands, shared by Pelco-D and Pelco-P: both carry a code (D's command 2, P's
// data 2; always odd) and two data bytes (D's data 1/2, P's data 3/4). Internal to ccoc_pelco.
// Thread: any; pure functions.
#pragma once

#include "pelco_command.hpp"
#include "pelco_result.hpp"

#include <cstdint>
#include <optional>

namespace ccoc::pelco {

struct ExtendedBytes {
    uint8_t code = 0;  // odd
    uint8_t high = 0;  // D data 1, P data 3
    uint8_t low = 0;   // D data 2, P data 4
};

// The code and data of an extended `command`; nullopt for a Motion or a GeneralResponse (not
// extended commands). The command must already have passed validate().
[[nodiscard]] std::optional<ExtendedBytes> toExtended(const Command& command);

// The Command of an extended frame's code and data. Malformed when the code is one this layer
// knows but its data are out of range (preset 0, aux 9, pan position over 35999).
[[nodiscard]] Result<Command> fromExtended(const ExtendedBytes& bytes);

} // namespace ccoc::pelco
