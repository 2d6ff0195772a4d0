// bus_settings.cpp: the bus panel takes no settings; declaring that makes a key written under it
// an error ("unknown setting") instead of being silently ignored.
#include "ccoc/settings.hpp"

using ccoc::settings::Declaration;
using ccoc::settings::Declarations;

CCOC_SETTINGS_DECLARATIONS(Declarations{
    Declaration::panel("bus.status", "The bus at a glance: every driver (online or not), its devices and message rates"),
})
