// Compiled at test time: the settings C++ layer must build warning-free on its own, and a
// declaration written the way the plugin guide shows must compile.
#include "ccoc/settings.hpp"

using namespace ccoc::settings;

CCOC_SETTINGS_DECLARATIONS(Declarations{
    Declaration::panel("example.panel", "An example panel")
        .integer("columns", "Tiles across").range(1, 8).byDefault("2")
        .strings("cameras", "Camera per tile").references(Reference::Camera).byDefault("[]"),
    Declaration::driver("example", "An example driver").listenAddress("listen", "Where it listens").required(),
})
