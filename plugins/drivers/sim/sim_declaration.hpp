// The sim driver's settings declaration (sim_declaration.cpp), exported as
// ccoc_settings_declarations.
#pragma once

#include "ccoc/settings.hpp"

namespace ccoc::sim {

// [any-thread] Built on the first call; static, never changed.
const settings::Declarations& simDeclarations();

} // namespace ccoc::sim
