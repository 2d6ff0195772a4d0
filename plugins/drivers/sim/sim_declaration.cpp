// The sim driver's settings, declared once (ccoc/settings.hpp): ccoc-host --check and ccoc-driverd
// check a site's [[driver]] settings against it before the driver starts, and the docs' table is
// generated from it. sim_settings.cpp reads what it declares.
#include "sim_declaration.hpp"

namespace ccoc::sim {

const settings::Declarations& simDeclarations()
{
    using settings::Declaration;
    static const settings::Declarations declarations{
        Declaration::driver("sim", "Simulated door contacts, motion sensors, panic buttons and street lights (demo, tests)")
            .strings("doors", "Device ids of the simulated door contacts").byDefault("[\"door-1\", \"door-2\"]").notEmpty()
            .orLegacyString()
            .strings("motion", "Device ids of the simulated motion sensors").byDefault("[\"motion-1\"]").notEmpty()
            .orLegacyString()
            .strings("panic", "Device ids of the simulated panic buttons").byDefault("[\"panic-1\"]").notEmpty()
            .orLegacyString()
            .strings("lights", "Device ids of the simulated street lights").byDefault("[\"light-1\", \"light-2\", \"light-3\"]")
            .notEmpty().orLegacyString()
            .number("mean_interval_s", "Mean seconds between random changes of one device").range(0.001, 86400).byDefault("5.0")
            .number("fault_chance", "Chance that a light's change is a lamp fault").range(0, 1).byDefault("0.05")
            .integer("seed", "Seed of the random changes; 0: a random seed").range(0, 4294967295.0).byDefault("0")
            .boolean("allow_crash", "Accept the commands sim.crash and sim.hang (tests of the supervisor)").byDefault("false")
            .boolean("crash_on_start", "Crash in start (tests of the crash-loop cap)").byDefault("false"),
        // None of the sim's devices reads settings of its own: a [[device]] of this driver with
        // settings would be silently ignored, so it is refused.
        Declaration::device("sim", "The sim driver's devices take no settings"),
    };
    return declarations;
}

} // namespace ccoc::sim

CCOC_SETTINGS_DECLARATIONS(ccoc::sim::simDeclarations())
