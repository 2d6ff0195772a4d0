// alarm_panel_details.cpp: the selected alarm beside the list: what happened, where, the
// procedure to follow, its linked cameras (to the camera wall), its notes, and the operator's
// actions. Every action is a command to the alarm service; its answer shows in the status line.
#include "alarm_panel.hpp"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace ccoc::alarms {

namespace {

const ImVec4 kMuted(0.65f, 0.68f, 0.72f, 1.0f);
const ImVec4 kWarn(1.0f, 0.6f, 0.35f, 1.0f);

// In the order of kOutcomes.
const char* outcomeLabel(int index)
{
    switch (index) {
    case 0:
        return trc("close outcome", "real");
    case 1:
        return trc("close outcome", "false alarm");
    case 2:
        return trc("close outcome", "test");
    default:
        return trc("close outcome", "other");
    }
}

void field(const char* label, const std::string& value)
{
    if (!value.empty()) {
        ImGui::TextColored(kMuted, "%s", label);
        ImGui::SameLine(110);
        ImGui::TextWrapped("%s", value.c_str());
    }
}

}  // namespace

void AlarmPanel::drawDetails(const AlarmRecord& alarm)
{
    const std::string lang = language();
    const Rgb c = priorityColour(alarm.priority);
    ImGui::TextColored(ImVec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, 1.0f), "P%d  %s", alarm.priority, alarm.id.c_str());
    ImGui::SameLine();
    ImGui::TextUnformatted(alarm.displayName(lang).c_str());
    field(tr("Type"), alarmTypeText(alarm.type) + (alarm.point.empty() ? "" : "  #" + alarm.point) +
                                     (alarm.test ? std::string("  ") + tr("(test)") : std::string()));
    field(tr("Device"), alarm.device);
    field(tr("Zone"), alarm.zone);
    field(tr("Risk point"), alarm.riskPoint);
    field(tr("Says"), alarm.text);
    field(tr("Code"), alarm.code);
    char line[160];
    std::snprintf(line, sizeof line, "%s  /  %s  x%lld%s%s", formatTime(alarm.firstUs, lang).c_str(),
                  formatTime(alarm.lastUs, lang).c_str(), static_cast<long long>(alarm.count), alarm.cleared ? "  " : "",
                  alarm.cleared ? trc("alarm details", "cleared") : "");
    field(tr("First / last"), line);
    if (!alarm.stored) {
        ImGui::TextColored(ImVec4(1.0f, 0.35f, 0.3f, 1.0f), "%s", storageMark(alarm));
    }
    if (alarm.escalated > 0) {
        field(tr("Escalated"), std::to_string(alarm.escalated));
    }
    field(tr("Assigned to"), alarm.assignedTo);
    if (alarm.acknowledged()) {
        field(tr("Acknowledged"),
              alarm.ackBy + " " + formatTime(alarm.ackAtUs, lang) + (alarm.ackNote.empty() ? "" : ": " + alarm.ackNote));
    }
    if (!alarm.procedure.empty()) {
        ImGui::Separator();
        ImGui::TextColored(kMuted, "%s", tr("Procedure"));
        ImGui::TextWrapped("%s", alarm.procedure.c_str());
    }
    drawCameras(alarm);
    if (!alarm.notes.empty()) {
        ImGui::Separator();
        ImGui::TextColored(kMuted, "%s", tr("Notes"));
        for (const auto& note : alarm.notes) {
            ImGui::TextWrapped("%s %s: %s", formatTime(note.atUs, lang).c_str(), note.by.c_str(), note.text.c_str());
        }
    }
    ImGui::Separator();
    drawActions(alarm);
}

void AlarmPanel::drawCameras(const AlarmRecord& alarm)
{
    if (alarm.cameras.empty()) {
        return;
    }
    ImGui::Separator();
    ImGui::TextColored(kMuted, "%s", tr("Cameras"));
    for (const auto& camera : alarm.cameras) {
        ImGui::SameLine();
        ImGui::BeginDisabled(wallDevice_.empty());
        if (ImGui::SmallButton(camera.c_str())) {
            const nlohmann::json args = {{"tile", wallTile_},
                                         {"camera", camera},
                                         {"mark", {{"alarm", alarm.id}, {"priority", alarm.priority}}}};
            model_.sendOther(wallDevice_, "wall.set_tile", args.dump());
        }
        ImGui::EndDisabled();
        if (wallDevice_.empty() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
            ImGui::SetTooltip("%s", tr("no camera wall set for this panel (settings.wall)"));
        }
    }
}

void AlarmPanel::drawActions(const AlarmRecord& alarm)
{
    // Acknowledge: P1-2 need a note; the button says why it is disabled (the service also refuses).
    ImGui::SetNextItemWidth(-130);
    ImGui::InputTextWithHint("##ack-note", tr("note"), ackNote_, sizeof ackNote_);
    ImGui::SameLine();
    const AckBlock block = ackBlock(alarm, ackNote_);
    ImGui::BeginDisabled(block != AckBlock::None);
    if (ImGui::Button(tr("Acknowledge"), ImVec2(-1, 0))) {
        model_.acknowledge(alarm.id, ackNote_);
    }
    ImGui::EndDisabled();
    if (block == AckBlock::NoteRequired) {
        ImGui::TextColored(kWarn, "%s", tr("A note is required to acknowledge priority 1-2"));
    }

    ImGui::SetNextItemWidth(-130);
    ImGui::InputTextWithHint("##assign", tr("assign to"), assignTo_, sizeof assignTo_);
    ImGui::SameLine();
    ImGui::BeginDisabled(assignTo_[0] == '\0');
    if (ImGui::Button(tr("Assign"), ImVec2(-1, 0))) {
        model_.assign(alarm.id, assignTo_);
    }
    ImGui::EndDisabled();

    ImGui::SetNextItemWidth(-130);
    ImGui::InputTextWithHint("##note", tr("add a note"), noteText_, sizeof noteText_);
    ImGui::SameLine();
    ImGui::BeginDisabled(noteText_[0] == '\0');
    if (ImGui::Button(tr("Add note"), ImVec2(-1, 0))) {
        if (model_.addNote(alarm.id, noteText_)) {
            noteText_[0] = '\0';
        }
    }
    ImGui::EndDisabled();

    ImGui::SetNextItemWidth(120);
    if (ImGui::BeginCombo("##outcome", outcomeLabel(closeOutcome_))) {
        for (int i = 0; i < 4; ++i) {
            if (ImGui::Selectable(outcomeLabel(i), closeOutcome_ == i)) {
                closeOutcome_ = i;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-130);
    ImGui::InputTextWithHint("##close-note", tr("closing note"), closeNote_, sizeof closeNote_);
    ImGui::SameLine();
    if (ImGui::Button(tr("Close"), ImVec2(-1, 0))) {
        model_.close(alarm.id, std::string(kOutcomes[closeOutcome_]), closeNote_);
    }
}

}  // namespace ccoc::alarms
