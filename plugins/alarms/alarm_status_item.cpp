// The alarms plugin's status-bar item ("ccoc.status-item/1"): the alarm chips every screen shows.
// Read from the alarm service's retained state on the bus (the host's mirror, through
// "ccoc.bus/1" read_state): state/alarms/summary/ for the chips, state/alarms/journal/ for a
// journal fault. No alarm service on the bus (or its state stale): no chips.
#include "ccoc/alarm.hpp"
#include "ccoc/bus.h"
#include "ccoc/i18n.hpp"
#include "ccoc/plugin.hpp"

#include <imgui.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <string>

namespace ccoc::alarms {
namespace {

// What the chips show, read again at most every kRefreshSec: the mirror only changes when the
// service publishes, and decoding it at every frame of every screen would be work for nothing.
struct ChipState {
    bool present = false; // a summary that is not stale
    std::array<int64_t, 5> open{};
    std::array<int64_t, 5> unacknowledged{};
    bool journalFault = false;
    int64_t notStored = 0;
    double readAtSec = -1.0;
};
constexpr double kRefreshSec = 0.2;

ChipState gChips; // [main-thread] one per plugin: every screen shows the same chips

struct Latest {
    std::string json;
    bool stale = true;
    bool found = false;
};

Latest readOne(const Host& host, const ccoc_bus_service_v1* bus, const char* path)
{
    Latest latest;
    bus->read_state(
        host.raw(), path,
        [](void* user, const ccoc_bus_state_entry* entry) {
            auto* out = static_cast<Latest*>(user);
            out->json = entry->value_json != nullptr ? entry->value_json : "";
            out->stale = entry->stale;
            out->found = true;
        },
        &latest);
    return latest;
}

void refresh(const Host& host, double nowSec)
{
    if (gChips.readAtSec >= 0.0 && nowSec - gChips.readAtSec < kRefreshSec) {
        return;
    }
    gChips = ChipState{};
    gChips.readAtSec = nowSec;
    const auto* bus = static_cast<const ccoc_bus_service_v1*>(host.service(CCOC_SERVICE_BUS));
    if (bus == nullptr || bus->read_state == nullptr) {
        return;
    }
    const Latest summary = readOne(host, bus, "alarms/summary");
    if (!summary.found || summary.stale) {
        return;
    }
    const auto decoded = alarm::decodeSummary(summary.json);
    if (!decoded.ok()) {
        return;
    }
    gChips.present = true;
    gChips.open = decoded.value->byPriority;
    gChips.unacknowledged = decoded.value->unacknowledgedByPriority;
    const Latest journal = readOne(host, bus, "alarms/journal");
    if (journal.found && !journal.stale) {
        if (const auto health = alarm::decodeJournalHealth(journal.json); health.ok() && !health.value->ok) {
            gChips.journalFault = true;
            gChips.notStored = health.value->notStoredCount + health.value->eventsHeld;
        }
    }
}

// "P1 2  P2 1 ...": a chip per priority with open alarms, in the alarm panel's colours. A priority
// with unacknowledged alarms gets a solid chip with a white frame and the count of new ones; one
// whose alarms are all acknowledged only an outline. A journal fault comes first, solid red: the
// alarms on the desks may not survive a restart, and every desk must say so.
void drawAlarmChips(const Host& host, const ccoc_status_item_draw_info& info)
{
    refresh(host, info.now_sec);
    if (!gChips.present) {
        return;
    }
    static constexpr std::array<ImU32, 5> kColours = {IM_COL32(235, 50, 45, 255), IM_COL32(245, 140, 30, 255),
                                                      IM_COL32(240, 215, 40, 255), IM_COL32(60, 130, 240, 255),
                                                      IM_COL32(150, 150, 150, 255)};
    bool any = false;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    if (gChips.journalFault) {
        char text[160];
        const long long count = static_cast<long long>(gChips.notStored);
        std::snprintf(text, sizeof text,
                      trn("alarm journal fault: %lld alarm not stored", "alarm journal fault: %lld alarms not stored",
                          static_cast<unsigned long>(count)),
                      count);
        const ImVec2 textSize = ImGui::CalcTextSize(text);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const ImVec2 end(at.x + textSize.x + 12.0f, at.y + textSize.y);
        draw->AddRectFilled(at, end, kColours[0], 4.0f);
        draw->AddText(ImVec2(at.x + 6.0f, at.y), IM_COL32_WHITE, text);
        ImGui::Dummy(ImVec2(end.x - at.x, end.y - at.y));
        any = true;
    }
    for (size_t i = 0; i < kColours.size(); ++i) {
        if (gChips.open[i] <= 0) {
            continue;
        }
        char text[64];
        const bool unacknowledged = gChips.unacknowledged[i] > 0;
        if (unacknowledged) {
            std::snprintf(text, sizeof text, "P%zu %lld (%s %lld)", i + 1, static_cast<long long>(gChips.open[i]),
                          tr("new"), static_cast<long long>(gChips.unacknowledged[i]));
        } else {
            std::snprintf(text, sizeof text, "P%zu %lld", i + 1, static_cast<long long>(gChips.open[i]));
        }
        if (any) {
            ImGui::SameLine(0.0f, 8.0f);
        }
        any = true;
        const ImVec2 textSize = ImGui::CalcTextSize(text);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const ImVec2 end(at.x + textSize.x + 12.0f, at.y + textSize.y);
        if (unacknowledged) {
            draw->AddRectFilled(at, end, kColours[i], 4.0f);
            draw->AddRect(ImVec2(at.x - 1, at.y - 1), ImVec2(end.x + 1, end.y + 1), IM_COL32_WHITE, 4.0f, 0, 2.0f);
            draw->AddText(ImVec2(at.x + 6.0f, at.y), IM_COL32_BLACK, text);
        } else {
            draw->AddRect(at, end, kColours[i], 4.0f, 0, 1.5f);
            draw->AddText(ImVec2(at.x + 6.0f, at.y), kColours[i], text);
        }
        ImGui::Dummy(ImVec2(end.x - at.x, end.y - at.y));
    }
    if (!any) {
        ImGui::TextColored(ImVec4(0.4f, 0.9f, 0.5f, 1.0f), "%s", tr("no open alarms"));
    }
}

// The chips are the plugin's one static: forgotten at shutdown, so a host that loads the plugin
// again (the .so stays mapped) never shows the chips of a bus it no longer has.
void forgetChips(const Host& /*host*/)
{
    gChips = ChipState{};
}

} // namespace
} // namespace ccoc::alarms

CCOC_STATUS_ITEM(&ccoc::alarms::drawAlarmChips);
CCOC_PLUGIN_SHUTDOWN(&ccoc::alarms::forgetChips);
