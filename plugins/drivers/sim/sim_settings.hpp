// The sim driver's settings (its [[driver]] settings table), read and checked. Pure: the settings
// arrive as JSON text and positions through `where`, so tests need no bus.
//
//   doors, motion, panic, lights   arrays of device ids: doors = ["door-front", "door-armory"]
//                                  (a comma-separated string is still read, with a warning that
//                                  shows the array; from --set, where there are no arrays, silently)
//   mean_interval_s                mean seconds between random changes of one device (5.0)
//   fault_chance                   chance that a light change is a lamp fault, 0..1 (0.05)
//   seed                           random seed (0: random)
//   allow_crash                    accept sim.crash / sim.hang (tests of the supervisor)
//   crash_on_start                 segfault in start (tests of the crash-loop cap)
#pragma once

#include "sim_world.hpp"

#include <functional>
#include <string>
#include <vector>

namespace ccoc::sim {

// Where a key of the settings table was written ("FILE:LINE:COL", or "--set KEY" for a value of
// the command line), or of its nearest table when the key is absent; empty when unknown.
using SettingsWhere = std::function<std::string(const std::string& key)>;

struct SimSettings {
    SimConfig config;
    bool crashOnStart = false;
    // Each "FILE:LINE:COL: settings: ..." (the position left out when unknown).
    std::vector<std::string> warnings; // read, but in a form to change (the old comma strings)
    std::vector<std::string> errors;   // refused: the driver does not start
};

// Reads `settingsJson` (the settings table as JSON). Never throws; a table that is not JSON or
// not an object is one error.
[[nodiscard]] SimSettings readSimSettings(const std::string& settingsJson, const SettingsWhere& where);

} // namespace ccoc::sim
