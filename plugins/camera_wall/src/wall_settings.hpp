// wall_settings.hpp: the settings the camera wall plugin's panel types take, declared once
// (ccoc/settings.hpp): the host checks them at load and in --check, the docs print them, and the
// panels read them through ccoc::settings::Values.
#pragma once

#include "ccoc/settings.hpp"

namespace ccoc::wall {

/// The declarations of "camera.wall" and "camera.list", built on first use. Thread: any.
const settings::Declarations& wallSettings();

} // namespace ccoc::wall
