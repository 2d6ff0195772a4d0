// The [[driver]]'s settings (and those of its [[device]]s) checked against what the driver's
// shared object declares (ccoc/settings.h), before the driver is started, as ccoc-host checks
// them: a ccoc-driverd run on its own, on another machine, is held to the same site file.
#pragma once

#include "driver_runner.hpp"

#include <string>

// Prints every mistake as "FILE:LINE:COL: ..." to stderr and returns ccoc::driverd::kExitUsage when there is
// one, else kExitOk. A driver that declares nothing is not checked (the host warns about it).
// Reads `siteFile` again for the devices and the ids they may name. Thread: main, before start.
int checkDeclaredSettings(const std::string& siteFile, const ccoc::driverd::RunnerOptions& options);
