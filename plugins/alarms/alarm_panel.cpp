// alarm_panel.cpp: the "alarm.list" panel: settings, tick (sound, log lines), the list with its
// filters, the command status line and the history tab. The details pane is in
// alarm_panel_details.cpp.
#include "alarm_panel.hpp"

#include "alarm_settings.hpp"
#include "ccoc/settings_check.hpp"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace ccoc::alarms {

namespace {

ImU32 colourOf(int priority, int alpha = 255)
{
    const Rgb c = priorityColour(priority);
    return IM_COL32(c.r, c.g, c.b, alpha);
}

const char* statusName(ccoc_bus_status status)
{
    switch (status) {
    case CCOC_BUS_STATUS_OK:
        return "ok";
    case CCOC_BUS_STATUS_ERROR:
        return "error";
    case CCOC_BUS_STATUS_BUSY:
        return "busy";
    case CCOC_BUS_STATUS_REJECTED:
        return "rejected";
    case CCOC_BUS_STATUS_TIMEOUT:
        return "timeout";
    default:
        return "unavailable";
    }
}

// A filled box in the priority's colour with "P1" on it: the colour every alarm view shares.
void priorityChip(int priority, bool strong)
{
    char text[8];
    std::snprintf(text, sizeof text, "P%d", priority);
    const ImVec2 size = ImGui::CalcTextSize(text);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 box(size.x + 10, ImGui::GetTextLineHeight());
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(at, ImVec2(at.x + box.x, at.y + box.y), colourOf(priority), 3.0f);
    draw->AddText(ImVec2(at.x + 5, at.y), strong ? IM_COL32(0, 0, 0, 255) : IM_COL32(30, 30, 30, 255), text);
    ImGui::Dummy(box);
}

}  // namespace

std::string formatTime(int64_t us, bool thai)
{
    if (us <= 0) {
        return "-";
    }
    const std::time_t seconds = static_cast<std::time_t>(us / 1000000);
    const std::time_t now = std::time(nullptr);
    std::tm local{}, today{};
    localtime_r(&seconds, &local);
    localtime_r(&now, &today);
    char text[40];
    if (local.tm_yday == today.tm_yday && local.tm_year == today.tm_year) {
        std::snprintf(text, sizeof text, "%02d:%02d:%02d", local.tm_hour, local.tm_min, local.tm_sec);
    } else {
        // Thai dates use the Buddhist era, as the status bar does.
        std::snprintf(text, sizeof text, "%02d/%02d/%04d %02d:%02d", local.tm_mday, local.tm_mon + 1,
                      local.tm_year + 1900 + (thai ? 543 : 0), local.tm_hour, local.tm_min);
    }
    return text;
}

AlarmPanel::AlarmPanel(const Host& host, std::string id, std::string settings)
    : Panel(host, std::move(id), std::move(settings)),
      model_(host.raw(), static_cast<const ccoc_bus_service_v1*>(host.service(CCOC_SERVICE_BUS)),
             [&host] {
                 const auto* info = static_cast<const ccoc_host_info_service_v1*>(host.service(CCOC_SERVICE_HOST_INFO));
                 const char* name = info != nullptr && info->operator_name != nullptr ? info->operator_name(host.raw()) : nullptr;
                 return std::string(name != nullptr ? name : "");
             }())
{
    const auto* info = static_cast<const ccoc_host_info_service_v1*>(host.service(CCOC_SERVICE_HOST_INFO));
    if (info != nullptr && info->language != nullptr) {
        const char* language = info->language(host.raw());
        thai_ = language != nullptr && std::strcmp(language, "th") == 0;
    }
    readSettings();
    const char* trace = std::getenv("CCOC_ALARM_TRACE");
    trace_ = trace != nullptr && std::strcmp(trace, "1") == 0;
    if (!model_.available()) {
        host.warn("alarm list '" + instanceId() + "': no bus service (\"ccoc.bus/1\"): no alarms can be shown");
    }
}

// The supervisor's alert: alarms the service escalated to this screen and nobody acknowledged
// yet, in a banner that flashes in the top priority's colour above everything else.
void AlarmPanel::drawEscalations(const std::string& screen)
{
    const std::vector<const AlarmRecord*> escalated = model_.escalatedTo(screen);
    if (const int priority = model_.takeEscalationSound(screen); priority != 0 && sound_) {
        sound(priority);
    }
    if (escalated.empty()) {
        return;
    }
    std::string text = std::string(words("ESCALATED, not acknowledged", "ยกระดับ ยังไม่มีผู้รับทราบ")) + " (" +
                       std::to_string(escalated.size()) + "):";
    for (const AlarmRecord* alarm : escalated) {
        text += "  P" + std::to_string(alarm->priority) + " " + alarm->id + " " +
                (thai_ || alarm->deviceNameEn.empty() ? alarm->deviceName : alarm->deviceNameEn);
    }
    const bool on = std::fmod(nowSec_, 1.0) < 0.5;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const float height = ImGui::GetTextLineHeightWithSpacing() + 6.0f;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), colourOf(escalated.front()->priority, on ? 255 : 120), 4.0f);
    // One line: what does not fit is cut at the banner's edge (the count says how many there are).
    draw->PushClipRect(at, ImVec2(at.x + width - 4.0f, at.y + height), true);
    draw->AddText(ImVec2(at.x + 8.0f, at.y + 3.0f), IM_COL32(0, 0, 0, 255), text.c_str());
    draw->PopClipRect();
    ImGui::Dummy(ImVec2(width, height));
    if (!trace_) {
        return;
    }
    for (const AlarmRecord* alarm : escalated) {
        if (alertLogged_.insert(alarm->id).second) {
            host().info("alarm list '" + instanceId() + "': escalation shown " + alarm->id + " on " + screen);
        }
    }
}

// The host checked the settings against alarm_settings.cpp's declaration before it created the
// panel (and refused to start on a mistake), so they are read typed, with the declared defaults.
void AlarmPanel::readSettings()
{
    const auto* declaration = alarmSettings().find(settings::Subject::Panel, "alarm.list");
    const settings::Values values = settings::Values::read(*declaration, settingsJson());
    sound_ = values.flag("sound");
    soundDevice_ = values.text("sound_device");
    soundRepeatSec_ = values.number("sound_repeat_s");
    if (soundRepeatSec_ > 0.0 && soundRepeatSec_ < 2.0) {
        // Beyond what the declaration can say: 0 (no reminders) or from 2 s.
        host().warn("alarm list '" + instanceId() + "': settings.sound_repeat_s must be 0 (no reminders) or a number of "
                    "seconds from 2; using 2");
        soundRepeatSec_ = 2.0;
    }
    soundMuteSec_ = values.number("sound_mute_s");
    wallDevice_ = values.text("wall");
    selectTop_ = values.flag("select_top");
    wallTile_ = static_cast<int>(values.integer("wall_tile"));
}

void AlarmPanel::tick(double nowSec)
{
    nowSec_ = nowSec;
    model_.refresh(nowSec);
    tickSound(nowSec);
    logChanges();
    if (trace_) {
        std::erase_if(drawn_, [this](const std::string& id) { return model_.find(id) == nullptr; });
    }
}

// One log line when the counts change and one per command answer: the operator's trail in the log.
void AlarmPanel::logChanges()
{
    const size_t open = model_.alarms().size();
    const size_t unacknowledged = model_.unacknowledgedCount();
    if (open != loggedOpen_ || unacknowledged != loggedUnacknowledged_) {
        loggedOpen_ = open;
        loggedUnacknowledged_ = unacknowledged;
        std::string line = "alarm list '" + instanceId() + "': " + std::to_string(open) + " open, " +
                           std::to_string(unacknowledged) + " unacknowledged";
        if (!model_.visible().empty()) {
            const AlarmRecord& top = *model_.visible().front();
            line += "; top P" + std::to_string(top.priority) + " " + top.id + " " + top.type + " " + top.device;
        }
        host().info(line);
    }
    if (const auto& outcome = model_.lastOutcome()) {
        const std::string line = outcome->action + " " + outcome->alarmId + ": " + statusName(outcome->status) +
                                 (outcome->message.empty() ? "" : " (" + outcome->message + ")");
        if (line != loggedOutcome_) {
            loggedOutcome_ = line;
            host().info("alarm list '" + instanceId() + "': " + line);
        }
    }
}

void AlarmPanel::draw(const DrawInfo& info)
{
    if (!model_.available()) {
        ImGui::TextColored(ImVec4(0.95f, 0.75f, 0.3f, 1.0f), "%s",
                           words("no bus: the host offers no \"ccoc.bus/1\"", "ไม่มีบัส (โฮสต์ไม่ได้เปิดบริการ ccoc.bus/1)"));
        return;
    }
    drawEscalations(info.screen_id != nullptr ? info.screen_id : "");
    ImGui::Text("%s %zu   %s %zu", words("open", "เปิดอยู่"), model_.alarms().size(), words("unacknowledged", "ยังไม่รับทราบ"),
                model_.unacknowledgedCount());
    drawSoundControls();
    drawOutcome();
    if (!ImGui::BeginTabBar("alarm-tabs")) {
        return;
    }
    if (ImGui::BeginTabItem(words("Open alarms", "สัญญาณเตือนที่เปิดอยู่"))) {
        drawFilters();
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const AlarmRecord* selected = model_.find(selected_);
        if (selected == nullptr && selectTop_ && !model_.visible().empty()) {
            selected = model_.visible().front();
        }
        const float listWidth = selected != nullptr ? avail.x * 0.58f : avail.x;
        drawList(listWidth, avail.y);
        if (selected != nullptr) {
            ImGui::SameLine();
            if (ImGui::BeginChild("details", ImVec2(0, avail.y), true)) {
                drawDetails(*selected);
            }
            ImGui::EndChild();
        }
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(words("History", "ประวัติ"))) {
        drawHistory();
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

void AlarmPanel::drawOutcome()
{
    const auto& outcome = model_.lastOutcome();
    if (model_.pendingCommands() > 0) {
        ImGui::SameLine(0, 24);
        ImGui::TextDisabled("%s", words("sending...", "กำลังส่ง..."));
    } else if (outcome) {
        ImGui::SameLine(0, 24);
        const bool ok = outcome->status == CCOC_BUS_STATUS_OK;
        ImGui::TextColored(ok ? ImVec4(0.4f, 0.9f, 0.5f, 1.0f) : ImVec4(1.0f, 0.45f, 0.35f, 1.0f), "%s %s: %s%s%s",
                           outcome->action.c_str(), outcome->alarmId.c_str(),
                           ok ? words("ok", "สำเร็จ") : statusName(outcome->status), outcome->message.empty() ? "" : " - ",
                           outcome->message.c_str());
    }
}

void AlarmPanel::drawFilters()
{
    AlarmFilter filter = model_.filter();
    bool changed = false;
    for (int p = 1; p <= 5; ++p) {
        char label[16];
        std::snprintf(label, sizeof label, "P%d", p);
        ImGui::PushStyleColor(ImGuiCol_CheckMark, ImGui::ColorConvertU32ToFloat4(colourOf(p)));
        changed |= ImGui::Checkbox(label, &filter.priorities[p - 1]);
        ImGui::PopStyleColor();
        ImGui::SameLine();
    }
    const char* states[] = {words("all states", "ทุกสถานะ"), words("new", "ใหม่"), words("acknowledged", "รับทราบแล้ว")};
    ImGui::SetNextItemWidth(130);
    if (ImGui::Combo("##state", &stateFilter_, states, 3)) {
        filter.state = stateFilter_ == 1 ? "new" : stateFilter_ == 2 ? "acknowledged" : "";
        changed = true;
    }
    ImGui::SameLine();
    const auto types = model_.types();
    ImGui::SetNextItemWidth(130);
    if (ImGui::BeginCombo("##type", filter.type.empty() ? words("all types", "ทุกประเภท") : filter.type.c_str())) {
        if (ImGui::Selectable(words("all types", "ทุกประเภท"), filter.type.empty())) {
            filter.type.clear();
            changed = true;
        }
        for (const auto& type : types) {
            if (ImGui::Selectable(type.c_str(), filter.type == type)) {
                filter.type = type;
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputTextWithHint("##search", words("search: device, text, zone", "ค้นหา: อุปกรณ์ ข้อความ โซน"), search_,
                                 sizeof search_)) {
        filter.search = search_;
        changed = true;
    }
    if (changed) {
        model_.setFilter(std::move(filter));
    }
}

void AlarmPanel::drawList(float width, float height)
{
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("alarms", 7, flags, ImVec2(width, height))) {
        return;
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(words("P", "ระดับ"), ImGuiTableColumnFlags_WidthFixed, 34.0f);
    ImGui::TableSetupColumn(words("Time", "เวลา"));
    ImGui::TableSetupColumn(words("Device", "อุปกรณ์"), ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn(words("Type", "ประเภท"));
    ImGui::TableSetupColumn(words("Zone", "โซน"));
    ImGui::TableSetupColumn(words("State", "สถานะ"));
    ImGui::TableSetupColumn(words("Count", "ครั้ง"), ImGuiTableColumnFlags_WidthFixed, 44.0f);
    ImGui::TableHeadersRow();
    const bool blink = blinkOn(nowSec_);
    for (const AlarmRecord* alarm : model_.visible()) {
        ImGui::TableNextRow();
        // Unacknowledged: the whole row flashes in the priority's colour, so it cannot be missed.
        if (!alarm->acknowledged() && blink) {
            ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, colourOf(alarm->priority, 110));
        }
        ImGui::TableSetColumnIndex(0);
        priorityChip(alarm->priority, !alarm->acknowledged());
        ImGui::TableSetColumnIndex(1);
        ImGui::PushID(alarm->id.c_str());
        const std::string time = formatTime(alarm->sortTimeUs(), thai_);
        if (ImGui::Selectable(time.c_str(), selected_ == alarm->id, ImGuiSelectableFlags_SpanAllColumns)) {
            if (selected_ != alarm->id) {
                ackNote_[0] = assignTo_[0] = closeNote_[0] = noteText_[0] = '\0';
                closeOutcome_ = 0;
            }
            selected_ = alarm->id;
        }
        ImGui::PopID();
        ImGui::TableSetColumnIndex(2);
        ImGui::TextUnformatted(alarm->displayName(thai_).c_str());
        ImGui::TableSetColumnIndex(3);
        ImGui::TextUnformatted(alarm->type.c_str());
        ImGui::TableSetColumnIndex(4);
        ImGui::TextUnformatted(alarm->zone.empty() ? "-" : alarm->zone.c_str());
        ImGui::TableSetColumnIndex(5);
        if (alarm->acknowledged()) {
            ImGui::TextDisabled("%s", words("acknowledged", "รับทราบแล้ว"));
        } else {
            ImGui::TextColored(ImVec4(1.0f, 1.0f, 1.0f, 1.0f), "%s", words("NEW", "ใหม่"));
        }
        if (alarm->cleared) {
            ImGui::SameLine();
            ImGui::TextColored(ImVec4(0.4f, 0.9f, 0.5f, 1.0f), "%s", words("cleared", "กลับสู่ปกติ"));
        }
        if (!alarm->stored) {
            // The journal has not taken it yet: a restart of the service would not show it.
            ImGui::SameLine();
            ImGui::TextColored(ImVec4(1.0f, 0.35f, 0.3f, 1.0f), "%s", storageMark(*alarm, thai_));
        }
        ImGui::TableSetColumnIndex(6);
        ImGui::Text("%lld", static_cast<long long>(alarm->count));
        if (trace_ && drawn_.insert(alarm->id).second) {
            const auto nowUs = std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch()).count();
            host().info("alarm list '" + instanceId() + "': first drawn " + alarm->id + " event_id=" + alarm->eventId +
                        " at_us=" + std::to_string(nowUs));
        }
    }
    ImGui::EndTable();
}

void AlarmPanel::drawHistory()
{
    ImGui::SetNextItemWidth(260);
    const bool enter = ImGui::InputTextWithHint("##history-search", words("search the journal", "ค้นหาในบันทึก"), historySearch_,
                                                sizeof historySearch_, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if (ImGui::Button(words("Load", "โหลด")) || enter) {
        model_.requestHistory(historySearch_);
    }
    if (model_.historyLoading()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", words("loading...", "กำลังโหลด..."));
    }
    if (!model_.historyError().empty()) {
        ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.35f, 1.0f), "%s", model_.historyError().c_str());
    }
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("history", 7, flags)) {
        return;
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(words("P", "ระดับ"), ImGuiTableColumnFlags_WidthFixed, 34.0f);
    ImGui::TableSetupColumn(words("First", "เริ่ม"));
    ImGui::TableSetupColumn(words("Device", "อุปกรณ์"), ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn(words("Type", "ประเภท"));
    ImGui::TableSetupColumn(words("State", "สถานะ"));
    ImGui::TableSetupColumn(words("Outcome", "ผล"));
    ImGui::TableSetupColumn(words("Closed by", "ปิดโดย"));
    ImGui::TableHeadersRow();
    for (const auto& alarm : model_.history()) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        priorityChip(alarm.priority, false);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(formatTime(alarm.firstUs != 0 ? alarm.firstUs : alarm.receivedUs, thai_).c_str());
        ImGui::TableSetColumnIndex(2);
        ImGui::Text("%s (%s)", alarm.displayName(thai_).c_str(), alarm.id.c_str());
        ImGui::TableSetColumnIndex(3);
        ImGui::TextUnformatted(alarm.type.c_str());
        ImGui::TableSetColumnIndex(4);
        ImGui::TextUnformatted(alarm.state.c_str());
        ImGui::TableSetColumnIndex(5);
        ImGui::TextUnformatted(alarm.closeOutcome.empty() ? "-" : alarm.closeOutcome.c_str());
        ImGui::TableSetColumnIndex(6);
        ImGui::TextUnformatted(alarm.closeBy.empty() ? "-" : alarm.closeBy.c_str());
    }
    ImGui::EndTable();
}

}  // namespace ccoc::alarms

CCOC_PANEL(ccoc::alarms::AlarmPanel, "alarm.list", "Alarms", "สัญญาณเตือน");
CCOC_PLUGIN("ccoc.alarms", "Alarm panels", CCOC_PLUGIN_VERSION, "CCOC");
