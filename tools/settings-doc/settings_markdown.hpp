// settings_markdown.hpp: a declaration as a markdown section with its settings table, the form
// the docs under docs/settings/ are generated in.
#pragma once

#include "ccoc/settings.hpp"

#include <string>

namespace ccoc::settings_doc {

/// "### `camera.wall` (panel type)", its help, and a table: setting, type, default, meaning.
/// Pure.
std::string markdown(const settings::Declaration& declaration);

} // namespace ccoc::settings_doc
