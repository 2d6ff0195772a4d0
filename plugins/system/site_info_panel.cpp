// "system.info": the site, the station, the screens and the frame rate at a glance.
#include <imgui.h>

#include "ccoc/i18n_format.hpp"
#include "ccoc/plugin.hpp"
#include "host_info.hpp"

namespace {

using ccoc::tr;

class SiteInfoPanel : public ccoc::Panel {
public:
    SiteInfoPanel(const ccoc::Host& host, std::string id, std::string settings)
        : Panel(host, std::move(id), std::move(settings)), info_(host)
    {
    }

    void draw(const ccoc::DrawInfo& draw) override
    {
        ImGui::SetWindowFontScale(1.4f);
        ImGui::TextUnformatted(info_.siteName().c_str());
        ImGui::SetWindowFontScale(1.0f);
        ImGui::TextDisabled("%s", info_.siteNameEn().c_str());
        ImGui::Separator();
        if (ImGui::BeginTable("site", 2, ImGuiTableFlags_SizingFixedFit)) {
            row(tr("Station code"), info_.stationCode());
            row(tr("Site file"), info_.siteFile());
            row(tr("Operator"), info_.operatorName().empty() ? "-" : info_.operatorName());
            row(tr("Screens"), std::to_string(info_.screenCount()));
            row(tr("This screen"), draw.screen_id);
            const auto plugins = info_.plugins();
            size_t loaded = 0;
            for (const auto& p : plugins) {
                loaded += p.loaded ? 1 : 0;
            }
            row(tr("Plugins"), ccoc::i18n::format(tr("%s loaded, %s refused"),
                                                  ccoc::i18n::number(static_cast<long long>(loaded)).c_str(),
                                                  ccoc::i18n::number(static_cast<long long>(plugins.size() - loaded)).c_str()));
            row(tr("Frames per second"), ccoc::i18n::number(info_.framesPerSecond(), 1));
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
