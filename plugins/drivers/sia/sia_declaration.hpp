// The sia driver's settings declaration (sia_declaration.cpp), exported as
// ccoc_settings_declarations.
#pragma once

#include "ccoc/settings.hpp"

namespace ccoc::sia {

// [any-thread] Built on the first call; static, never changed.
const settings::Declarations& siaDeclarations();

} // namespace ccoc::sia
