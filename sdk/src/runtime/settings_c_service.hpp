// The C service "ccoc.settings/1" (ccoc/plugin.h) over a site::Settings table, for the runners
// that host one plugin per process: ccoc-driverd and ccoc-serviced (the host has its own, per
// plugin).
//
// Thread: the table's functions are [any-thread] as long as the Settings is not modified.
#pragma once

#include "ccoc/plugin.h"
#include "ccoc/site.hpp"

namespace ccoc::runtime {

// Finds the settings of a plugin's host view (null: none). Called on every lookup.
using SettingsOf = const site::Settings* (*)(const ccoc_host* host);

// The function table to hand out as "ccoc.settings/1", one per `resolve` function: valid for the
// process's life. Strings returned point into the Settings and live as long as it does.
[[nodiscard]] const ccoc_settings_service_v1* settingsService(SettingsOf resolve) noexcept;

} // namespace ccoc::runtime
