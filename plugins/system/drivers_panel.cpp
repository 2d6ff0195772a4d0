// "system.drivers": the drivers and services this host runs, with their state and last exit, and
// "Restart now" for one that is down (crash loop, failed start) or waiting out a delay, so an
// operator who has fixed the cause (a cable, a panel rebooted) need not wait for the cool-down or
// restart the host.
#include <imgui.h>

#include "ccoc/drivers_service.h"
#include "ccoc/i18n_format.hpp"
#include "ccoc/plugin.hpp"
#include "host_info.hpp"

#include <cstring>
#include <string>

namespace {

using ccoc::tr;

class DriversPanel : public ccoc::Panel {
public:
    DriversPanel(const ccoc::Host& host, std::string id, std::string settings)
        : Panel(host, std::move(id), std::move(settings)), info_(host),
          drivers_(static_cast<const ccoc_drivers_service_v1*>(host.service(CCOC_SERVICE_DRIVERS)))
    {
    }

    void draw(const ccoc::DrawInfo& /*draw*/) override
    {
        if (drivers_ == nullptr || !CCOC_STRUCT_HAS_FIELD(drivers_, ccoc_drivers_service_v1, restart_now)) {
            ImGui::TextDisabled("%s", tr("this host runs no drivers"));
            return;
        }
        const uint32_t count = drivers_->driver_count(host().raw());
        if (count == 0) {
            ImGui::TextDisabled("%s", tr("no drivers"));
            return;
        }
        constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                          ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
        if (!ImGui::BeginTable("drivers", 4, flags)) {
            return;
        }
        ImGui::TableSetupColumn(tr("Id"));
        ImGui::TableSetupColumn(tr("State"));
        ImGui::TableSetupColumn(tr("Last exit"));
        ImGui::TableSetupColumn("");
        ImGui::TableHeadersRow();
        for (uint32_t i = 0; i < count; ++i) {
            ccoc_driver_info d{};
            d.struct_size = sizeof d;
            if (!drivers_->driver_at(host().raw(), i, &d)) {
                continue;
            }
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextUnformatted(d.id);
            // Services are supervised alike and listed here too (an older host leaves kind NULL).
            if (d.kind != nullptr && std::strcmp(d.kind, "service") == 0) {
                ImGui::SameLine();
                ImGui::TextDisabled("%s", tr("(service)"));
            }
            ImGui::TableSetColumnIndex(1);
            const std::string state = d.state;
            const ImVec4 colour = state == "running" ? ImVec4(0.4f, 0.9f, 0.5f, 1.0f)
                                  : d.down           ? ImVec4(1.0f, 0.45f, 0.35f, 1.0f)
                                                     : ImVec4(1.0f, 0.8f, 0.3f, 1.0f);
            if (d.retry_in_ms > 0) {
                // Whole seconds, rounded up: a retry never shows as due before it is.
                const double retrySec = static_cast<double>((d.retry_in_ms + 999) / 1000);
                ImGui::TextColored(colour, tr("%s (retry in %s)"), ccoc::i18n::processStateText(state.c_str()),
                                   ccoc::i18n::duration(retrySec).c_str());
            } else {
                ImGui::TextColored(colour, "%s", ccoc::i18n::processStateText(state.c_str()));
            }
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(d.last_exit[0] != '\0' ? d.last_exit : "-");
            ImGui::TableSetColumnIndex(3);
            if (state != "running" && state != "starting") {
                if (ImGui::SmallButton(tr("Restart now"))) {
                    if (!drivers_->restart_now(host().raw(), d.id)) {
                        host().warn(std::string("driver ") + d.id + " could not be restarted now (it may have just started)");
                    }
                }
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }

private:
    ccoc::system_plugin::HostInfo info_;
    const ccoc_drivers_service_v1* drivers_;
};

} // namespace

CCOC_PANEL(DriversPanel, "system.drivers", "Drivers", "ไดรเวอร์");
