// alarm_settings.hpp: the settings of the "alarm.list" panel, declared once (ccoc/settings.hpp):
// the host checks them at load and in --check, the docs print them, the panel reads them typed.
#pragma once

#include "ccoc/settings.hpp"

namespace ccoc::alarms {

/// The declaration of "alarm.list", built on first use. Thread: any.
const settings::Declarations& alarmSettings();

} // namespace ccoc::alarms
