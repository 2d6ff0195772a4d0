// "bus.status": the bus at a glance for the operator and the integrator: every driver (online,
// process state, session, restarts, last heard), every device with retained state (live or
// stale), and the message rates. Reads through "ccoc.bus/1" only.
#include <imgui.h>

#include "bus_view_model.hpp"
#include "ccoc/i18n_format.hpp"
#include "ccoc/plugin.hpp"

#include <chrono>

namespace {

using ccoc::buspanel::BusViewModel;
using ccoc::tr;

const ImVec4 kGood(0.4f, 0.9f, 0.5f, 1.0f);
const ImVec4 kWarn(0.95f, 0.75f, 0.3f, 1.0f);
const ImVec4 kBad(1.0f, 0.45f, 0.35f, 1.0f);

int64_t wallClockUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// "3 s", "4 min" since a wall-clock time, in the interface language; "-" when never.
std::string ageText(int64_t thenUs)
{
    if (thenUs <= 0) {
        return "-";
    }
    return ccoc::i18n::duration(static_cast<double>(wallClockUs() - thenUs) / 1e6);
}

class BusPanel : public ccoc::Panel {
public:
    BusPanel(const ccoc::Host& host, std::string id, std::string settings)
        : Panel(host, std::move(id), std::move(settings)),
          model_(host.raw(), static_cast<const ccoc_bus_service_v1*>(host.service(CCOC_SERVICE_BUS)))
    {
    }

    void tick(double nowSec) override { model_.refresh(nowSec); }

    void draw(const ccoc::DrawInfo& /*info*/) override
    {
        if (!model_.available()) {
            ImGui::TextColored(kWarn, "%s", tr("no bus: the host offers no \"ccoc.bus/1\""));
            return;
        }
        const auto& rates = model_.rates();
        size_t online = 0;
        for (const auto& d : model_.drivers()) {
            online += d.online ? 1 : 0;
        }
        ImGui::Text("%s %zu/%zu   %s %zu   %s %.1f/s   %s %.1f/s   %s %.1f/s", tr("drivers online"),
                    online, model_.drivers().size(), tr("devices"), model_.devices().size(),
                    tr("state"), rates.state, tr("events"), rates.event,
                    tr("telemetry"), rates.telemetry);
        ImGui::Separator();
        drawDrivers();
        ImGui::Spacing();
        drawDevices();
    }

private:
    void drawDrivers()
    {
        constexpr ImGuiTableFlags flags =
            ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
        if (!ImGui::BeginTable("drivers", 7, flags)) {
            return;
        }
        ImGui::TableSetupColumn(tr("Driver"));
        ImGui::TableSetupColumn(tr("Bus"));
        ImGui::TableSetupColumn(tr("Process"));
        ImGui::TableSetupColumn(tr("Session"));
        ImGui::TableSetupColumn(tr("Restarts"));
        ImGui::TableSetupColumn(tr("Last heard"));
        ImGui::TableSetupColumn(tr("Devices"));
        ImGui::TableHeadersRow();
        for (const auto& d : model_.drivers()) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextUnformatted(d.id.c_str());
            ImGui::TableSetColumnIndex(1);
            if (!d.known) {
                ImGui::TextDisabled("%s", tr("never seen"));
            } else {
                ImGui::TextColored(d.online ? kGood : kBad, "%s",
                                   d.online ? tr("online") : tr("offline"));
            }
            ImGui::TableSetColumnIndex(2);
            const bool troubled = d.process == "crash-loop" || d.process == "failed";
            ImGui::TextColored(d.process == "running" ? kGood : troubled ? kBad : kWarn, "%s", ccoc::i18n::processStateText(d.process.c_str()));
            if (!d.lastExit.empty() && ImGui::IsItemHovered()) {
                ImGui::SetTooltip("%s: %s", tr("last exit"), d.lastExit.c_str());
            }
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(d.session.empty() ? "-" : d.session.c_str());
            ImGui::TableSetColumnIndex(4);
            if (d.restarts >= 0) {
                ImGui::Text("%lld", static_cast<long long>(d.restarts));
            } else {
                ImGui::TextDisabled("-");
            }
            ImGui::TableSetColumnIndex(5);
            ImGui::TextUnformatted(ageText(d.lastHeardUs).c_str());
            ImGui::TableSetColumnIndex(6);
            std::string list;
            for (const auto& device : d.devices) {
                list += (list.empty() ? "" : ", ") + device;
            }
            ImGui::TextWrapped("%s", list.c_str());
        }
        ImGui::EndTable();
    }

    void drawDevices()
    {
        constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                          ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
        if (!ImGui::BeginTable("devices", 5, flags)) {
            return;
        }
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tr("Device"));
        ImGui::TableSetupColumn(tr("Driver"));
        ImGui::TableSetupColumn(tr("Keys"));
        ImGui::TableSetupColumn(tr("State"));
        ImGui::TableSetupColumn(tr("Last update"));
        ImGui::TableHeadersRow();
        for (const auto& d : model_.devices()) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextUnformatted(d.id.c_str());
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(d.source.c_str());
            ImGui::TableSetColumnIndex(2);
            ImGui::Text("%zu", d.keys);
            ImGui::TableSetColumnIndex(3);
            // A device whose driver went silent is shown stale, never as live (principle 4).
            ImGui::TextColored(d.stale ? kBad : kGood, "%s",
                               d.stale ? tr("stale") : tr("live"));
            ImGui::TableSetColumnIndex(4);
            ImGui::TextUnformatted(ageText(d.lastUpdateUs).c_str());
        }
        ImGui::EndTable();
    }

    BusViewModel model_;
};

} // namespace

CCOC_PANEL(BusPanel, "bus.status", "Bus", "บัส");
CCOC_PLUGIN("ccoc.bus", "Bus panels", CCOC_PLUGIN_VERSION, "CCOC");
