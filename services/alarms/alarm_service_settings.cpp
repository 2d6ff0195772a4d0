// alarm_service_settings.cpp: the alarm service takes no settings in its [[service]] entry (its
// rules are the site's [alarms] and [[alarm_rule]] sections, checked by the site loader);
// declaring that makes a key written there an error ("unknown setting") instead of being ignored.
#include "ccoc/settings.hpp"

using ccoc::settings::Declaration;
using ccoc::settings::Declarations;

CCOC_SETTINGS_DECLARATIONS(Declarations{
    Declaration::service("alarms", "The alarm service: the site's alarms, their journal and rules ([alarms], [[alarm_rule]])"),
})
