// "system.info": the site, the station, the screens and the frame rate at a glance.
#include <imgui.h>

#include "ccoc/plugin.hpp"
#include "host_info.hpp"

namespace {

class SiteInfoPanel : public ccoc::Panel {
public:
    SiteInfoPanel(const ccoc::Host& host, std::string id, std::string settings)
        : Panel(host, std::move(id), std::move(settings)), info_(host)
    {
    }

    void draw(const ccoc::DrawInfo& draw) override
    {
        const bool thai = info_.language() == "th";
        ImGui::SetWindowFontScale(1.4f);
        ImGui::TextUnformatted(info_.siteName().c_str());
        ImGui::SetWindowFontScale(1.0f);
        ImGui::TextDisabled("%s", info_.siteNameEn().c_str());
        ImGui::Separator();
        if (ImGui::BeginTable("site", 2, ImGuiTableFlags_SizingFixedFit)) {
            row(thai ? "รหัสสถานี" : "Station code", info_.stationCode());
            row(thai ? "ไฟล์ตั้งค่า" : "Site file", info_.siteFile());
            row(thai ? "ผู้ปฏิบัติงาน" : "Operator", info_.operatorName().empty() ? "-" : info_.operatorName());
            row(thai ? "จอภาพ" : "Screens", std::to_string(info_.screenCount()));
            row(thai ? "จอนี้" : "This screen", draw.screen_id);
            const auto plugins = info_.plugins();
            size_t loaded = 0;
            for (const auto& p : plugins) {
                loaded += p.loaded ? 1 : 0;
            }
            row(thai ? "ปลั๊กอิน" : "Plugins",
                std::to_string(loaded) + (thai ? " โหลดแล้ว, " : " loaded, ") + std::to_string(plugins.size() - loaded) +
                    (thai ? " ถูกปฏิเสธ" : " refused"));
            char fps[32];
            std::snprintf(fps, sizeof fps, "%.1f", info_.framesPerSecond());
            row(thai ? "เฟรมต่อวินาที" : "Frames per second", fps);
            ImGui::EndTable();
        }
    }

private:
    static void row(const char* label, const std::string& value)
    {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextDisabled("%s", label);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(value.c_str());
    }

    ccoc::system_plugin::HostInfo info_;
};

} // namespace

CCOC_PANEL(SiteInfoPanel, "system.info", "Site", "ข้อมูลสถานี");
