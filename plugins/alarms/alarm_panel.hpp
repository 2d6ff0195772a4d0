// alarm_panel.hpp: the "alarm.list" panel: the operator's open alarms (priority colours,
// unacknowledged ones blinking), filter and search, the selected alarm's details, procedure,
// linked cameras and actions (acknowledge, assign, close, note), and the history tab.
//
// Settings (the [[panel]]'s settings table):
//   sound     = false          play the alarm tone (alarm_sound.hpp) for each new unacknowledged
//                              alarm; the terminal bell where the sound device cannot play
//   sound_device = "default"   the ALSA PCM it plays on
//   sound_repeat_s = 0         > 0: the tone again every so many seconds while an alarm is
//                              unacknowledged (at least 2)
//   sound_mute_s = 300         with reminders: how long the "silence reminders" button silences
//                              them (a new alarm still sounds)
//   wall      = "wall.wall"    the camera wall device a linked camera's button sends to
//   wall_tile = 1              the tile it goes to
//   select_top = false         while no alarm is selected, show the top one's details (a desk
//                              or wall display without a mouse)
//
// With CCOC_ALARM_TRACE=1 in the environment the panel logs "first drawn ID event_id=E at_us=T"
// the first time it draws an alarm (alarm-to-screen timing in bench/alarms and the host tests).
//
// Thread: main thread (tick and draw).
#pragma once

#include "alarm_bell.hpp"
#include "alarm_sound.hpp"
#include "alarm_view_model.hpp"
#include "ccoc/i18n_format.hpp"
#include "ccoc/plugin.hpp"

#include <memory>
#include <set>
#include <string>

namespace ccoc::alarms {

class AlarmPanel : public Panel {
public:
    AlarmPanel(const Host& host, std::string id, std::string settings);

    void tick(double nowSec) override;
    void draw(const DrawInfo& info) override;

private:
    void readSettings();
    void logChanges();
    // alarm_panel_sound.cpp
    void tickSound(double nowSec);
    void sound(int priority);
    void ringBell();
    void drawSoundControls();
    // The interface language now (the host may switch it between frames).
    [[nodiscard]] std::string language() const { return locale_.language(); }

    // alarm_panel.cpp
    void drawOutcome();
    void drawEscalations(const std::string& screen);
    void drawFilters();
    void drawList(float width, float height);
    void drawHistory();
    // alarm_panel_details.cpp
    void drawDetails(const AlarmRecord& alarm);
    void drawActions(const AlarmRecord& alarm);
    void drawCameras(const AlarmRecord& alarm);

    AlarmViewModel model_;
    AlarmBell bell_;
    std::unique_ptr<AlarmSound> tone_; // made at the first alarm to sound
    i18n::Locale locale_;
    bool sound_ = false;
    std::string soundDevice_ = "default";
    double soundRepeatSec_ = 0.0;
    double soundMuteSec_ = 300.0;
    std::string wallDevice_;
    int wallTile_ = 1;
    bool selectTop_ = false;
    double nowSec_ = 0;
    std::string selected_;
    size_t loggedOpen_ = ~size_t{0};
    size_t loggedUnacknowledged_ = ~size_t{0};
    std::string loggedOutcome_;
    bool trace_ = false;
    std::set<std::string> drawn_;  // with trace_: alarms already drawn once
    std::set<std::string> alertLogged_; // with trace_: escalations already shown once
    // Inputs of the details pane; cleared when another alarm is selected.
    char ackNote_[256] = {};
    char assignTo_[64] = {};
    char closeNote_[256] = {};
    int closeOutcome_ = 0;
    char noteText_[256] = {};
    char search_[96] = {};
    char historySearch_[96] = {};
    int stateFilter_ = 0;  // all, new, acknowledged
    int typeFilter_ = 0;   // 0: all, else index + 1 into model_.types()
};

/// "14:02:07" (today) or "27/11/2569 14:02" in local time, in the calendar of `language`; "-" for 0.
[[nodiscard]] std::string formatTime(int64_t us, std::string_view language);

}  // namespace ccoc::alarms
