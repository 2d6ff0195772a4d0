// system_settings.cpp: the system panels take no settings; declaring that makes a key written
// under one of them an error ("unknown setting") instead of being silently ignored.
#include "ccoc/settings.hpp"

using ccoc::settings::Declaration;
using ccoc::settings::Declarations;

CCOC_SETTINGS_DECLARATIONS(Declarations{
    Declaration::panel("system.info", "The station's name, code, zone, site file, screens and frame rate"),
    Declaration::panel("system.plugins", "Every plugin asked for: loaded, or refused with the reason"),
    Declaration::panel("system.drivers", "Every [[driver]]: running, restarting or stopped, with its restarts"),
})
