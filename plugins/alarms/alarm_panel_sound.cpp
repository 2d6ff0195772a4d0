// alarm_panel_sound.cpp: the alarm list's tone: when it sounds, the terminal bell where the sound
// device cannot play, and the operator's "silence reminders" control.
#include "alarm_panel.hpp"

#include <imgui.h>

#include <cmath>
#include <string>

namespace ccoc::alarms {

void AlarmPanel::tickSound(double nowSec)
{
    if (!sound_) {
        return;
    }
    if (const int priority = model_.takeSoundRequest(nowSec, soundRepeatSec_); priority != 0) {
        sound(priority);
    }
    if (tone_ != nullptr) {
        if (const std::string problem = tone_->takeProblem(); !problem.empty()) {
            host().warn(problem + "; ringing the terminal bell instead");
            ringBell(); // for the alarm whose tone just failed
        }
    }
}

void AlarmPanel::sound(int priority)
{
    if (tone_ == nullptr) {
        tone_ = std::make_unique<AlarmSound>(soundDevice_);
    }
    tone_->play(priority); // tries the device again each time: it may have come back
    if (tone_->failing()) {
        ringBell();
    }
}

void AlarmPanel::ringBell()
{
    std::string why;
    if (!bell_.ring(&why) && !why.empty()) {
        host().warn(why);
    }
}

// With reminders on: a button that silences them for sound_mute_s (a sensor storm, an alarm being
// dealt with on the phone), and while silenced, how long is left and a button to end it. A new
// alarm still sounds: silence never hides one.
void AlarmPanel::drawSoundControls()
{
    if (!sound_ || soundRepeatSec_ <= 0.0) {
        return;
    }
    ImGui::SameLine(0, 24);
    const double left = model_.remindersMutedFor(nowSec_);
    if (left > 0.0) {
        // Whole minutes, rounded up: the silence never shows as over before it is.
        const double minutes = std::ceil(left / 60.0);
        const std::string text = i18n::format(tr("reminders silenced, %s left"), i18n::duration(minutes * 60.0).c_str());
        ImGui::TextColored(ImVec4(0.95f, 0.75f, 0.3f, 1.0f), "%s", text.c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("Sound on"))) {
            model_.muteReminders(nowSec_, 0.0);
            host().info("alarm list '" + instanceId() + "': reminders sound again");
        }
        return;
    }
    const std::string label = i18n::format(tr("Silence reminders %s"), i18n::duration(soundMuteSec_).c_str());
    if (ImGui::SmallButton(label.c_str())) {
        model_.muteReminders(nowSec_, soundMuteSec_);
        host().info("alarm list '" + instanceId() + "': reminders silenced for " +
                    std::to_string(static_cast<int>(soundMuteSec_)) + " s");
    }
}

} // namespace ccoc::alarms
