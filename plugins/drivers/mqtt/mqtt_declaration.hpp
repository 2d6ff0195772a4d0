// The MQTT driver's settings declaration (mqtt_declaration.cpp), exported as
// ccoc_settings_declarations.
#pragma once

#include "ccoc/settings.hpp"

namespace ccoc::mqtt {

// [any-thread] Built on the first call; static, never changed.
const settings::Declarations& mqttDeclarations();

} // namespace ccoc::mqtt
