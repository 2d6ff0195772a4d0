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

const char* outcomeLabel(int index, bool thai)
{
    static const char* const en[] = {"real", "false alarm", "test", "other"};
    static const char* const th[] = {"เหตุจริง", "สัญญาณหลอก", "ทดสอบ", "อื่น ๆ"};
    return thai ? th[index] : en[index];
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
    const Rgb c = priorityColour(alarm.priority);
    ImGui::TextColored(ImVec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, 1.0f), "P%d  %s", alarm.priority, alarm.id.c_str());
    ImGui::SameLine();
    ImGui::TextUnformatted(alarm.displayName(thai_).c_str());
    field(words("Type", "ประเภท"), alarm.type + (alarm.point.empty() ? "" : "  #" + alarm.point) +
                                     (alarm.test ? words("  (test)", "  (ทดสอบ)") : ""));
    field(words("Device", "อุปกรณ์"), alarm.device);
    field(words("Zone", "โซน"), alarm.zone);
    field(words("Risk point", "จุดเสี่ยง"), alarm.riskPoint);
    field(words("Says", "ข้อความ"), alarm.text);
    field(words("Code", "รหัส"), alarm.code);
    char line[160];
    std::snprintf(line, sizeof line, "%s  /  %s  x%lld%s", formatTime(alarm.firstUs, thai_).c_str(),
                  formatTime(alarm.lastUs, thai_).c_str(), static_cast<long long>(alarm.count),
                  alarm.cleared ? words("  cleared", "  กลับสู่ปกติแล้ว") : "");
    field(words("First / last", "ครั้งแรก/ล่าสุด"), line);
    if (!alarm.stored) {
        ImGui::TextColored(ImVec4(1.0f, 0.35f, 0.3f, 1.0f), "%s", storageMark(alarm, thai_));
    }
    if (alarm.escalated > 0) {
        field(words("Escalated", "ยกระดับ"), std::to_string(alarm.escalated));
    }
    field(words("Assigned to", "มอบหมายให้"), alarm.assignedTo);
    if (alarm.acknowledged()) {
        field(words("Acknowledged", "รับทราบโดย"),
              alarm.ackBy + " " + formatTime(alarm.ackAtUs, thai_) + (alarm.ackNote.empty() ? "" : ": " + alarm.ackNote));
    }
    if (!alarm.procedure.empty()) {
        ImGui::Separator();
        ImGui::TextColored(kMuted, "%s", words("Procedure", "ขั้นตอนปฏิบัติ"));
        ImGui::TextWrapped("%s", alarm.procedure.c_str());
    }
    drawCameras(alarm);
    if (!alarm.notes.empty()) {
        ImGui::Separator();
        ImGui::TextColored(kMuted, "%s", words("Notes", "บันทึก"));
        for (const auto& note : alarm.notes) {
            ImGui::TextWrapped("%s %s: %s", formatTime(note.atUs, thai_).c_str(), note.by.c_str(), note.text.c_str());
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
    ImGui::TextColored(kMuted, "%s", words("Cameras", "กล้อง"));
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
            ImGui::SetTooltip("%s", words("no camera wall set for this panel (settings.wall)",
                                          "ยังไม่ได้กำหนดจอกล้องของแผงนี้ (settings.wall)"));
        }
    }
}

void AlarmPanel::drawActions(const AlarmRecord& alarm)
{
    // Acknowledge: P1-2 need a note; the button says why it is disabled (the service also refuses).
    ImGui::SetNextItemWidth(-130);
    ImGui::InputTextWithHint("##ack-note", words("note", "บันทึก"), ackNote_, sizeof ackNote_);
    ImGui::SameLine();
    const AckBlock block = ackBlock(alarm, ackNote_);
    ImGui::BeginDisabled(block != AckBlock::None);
    if (ImGui::Button(words("Acknowledge", "รับทราบ"), ImVec2(-1, 0))) {
        model_.acknowledge(alarm.id, ackNote_);
    }
    ImGui::EndDisabled();
    if (block == AckBlock::NoteRequired) {
        ImGui::TextColored(kWarn, "%s", words("A note is required to acknowledge priority 1-2",
                                              "ต้องใส่บันทึกเพื่อรับทราบเหตุระดับ 1-2"));
    }

    ImGui::SetNextItemWidth(-130);
    ImGui::InputTextWithHint("##assign", words("assign to", "มอบหมายให้"), assignTo_, sizeof assignTo_);
    ImGui::SameLine();
    ImGui::BeginDisabled(assignTo_[0] == '\0');
    if (ImGui::Button(words("Assign", "มอบหมาย"), ImVec2(-1, 0))) {
        model_.assign(alarm.id, assignTo_);
    }
    ImGui::EndDisabled();

    ImGui::SetNextItemWidth(-130);
    ImGui::InputTextWithHint("##note", words("add a note", "เพิ่มบันทึก"), noteText_, sizeof noteText_);
    ImGui::SameLine();
    ImGui::BeginDisabled(noteText_[0] == '\0');
    if (ImGui::Button(words("Add note", "เพิ่มบันทึก"), ImVec2(-1, 0))) {
        if (model_.addNote(alarm.id, noteText_)) {
            noteText_[0] = '\0';
        }
    }
    ImGui::EndDisabled();

    ImGui::SetNextItemWidth(120);
    if (ImGui::BeginCombo("##outcome", outcomeLabel(closeOutcome_, thai_))) {
        for (int i = 0; i < 4; ++i) {
            if (ImGui::Selectable(outcomeLabel(i, thai_), closeOutcome_ == i)) {
                closeOutcome_ = i;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-130);
    ImGui::InputTextWithHint("##close-note", words("closing note", "บันทึกการปิด"), closeNote_, sizeof closeNote_);
    ImGui::SameLine();
    if (ImGui::Button(words("Close", "ปิดเหตุ"), ImVec2(-1, 0))) {
        model_.close(alarm.id, std::string(kOutcomes[closeOutcome_]), closeNote_);
    }
}

}  // namespace ccoc::alarms
