// alarm_settings.cpp: the declaration of the alarm list's settings, and its export.
#include "alarm_settings.hpp"

namespace ccoc::alarms {

const settings::Declarations& alarmSettings()
{
    using settings::Declaration;
    static const settings::Declarations declarations{
        Declaration::panel("alarm.list", "The operator's alarm list: open alarms, filters, acknowledge and close, "
                                         "the selected alarm's procedure and cameras")
            .boolean("sound", "Play the alarm tone for each new unacknowledged alarm (three high beeps for priorities "
                              "1-2, one lower beep for 3-5)")
            .byDefault("false")
            .string("sound_device", "The ALSA PCM the tone plays on (aplay -L lists them; \"plughw:1,0\" for a second card)")
            .byDefault("\"default\"").notEmpty()
            .duration("sound_repeat_s", "0: the tone once per new alarm; else (at least 2) again every so many seconds "
                                        "while any alarm is unacknowledged")
            .byDefault("0")
            .duration("sound_mute_s", "How long \"Silence reminders\" silences them").atLeast(10).byDefault("300")
            // Not a Reference::Wall: on a site with several machines the wall may be drawn by
            // another host, whose [[panel]] is in that host's file, not this one.
            .string("wall", "The camera wall device a linked camera's button sends wall.set_tile to (\"wall.PANEL-ID\", "
                            "on this host or another of the site)")
            .byDefault("\"\"")
            .integer("wall_tile", "The tile it goes to, from 1").range(1, 64).byDefault("1")
            .boolean("select_top", "While no alarm is selected, show the top one's details (a display without a mouse)")
            .byDefault("false"),
    };
    return declarations;
}

} // namespace ccoc::alarms

CCOC_SETTINGS_DECLARATIONS(ccoc::alarms::alarmSettings())
