// "system.plugins": every plugin the site asked for, loaded with its version and ABI, or refused
// with the reason, so an integrator sees at once why a panel is missing.
#include <imgui.h>

#include "ccoc/i18n.hpp"
#include "ccoc/plugin.hpp"
#include "host_info.hpp"

namespace {

using ccoc::tr;

class PluginsPanel : public ccoc::Panel {
public:
    PluginsPanel(const ccoc::Host& host, std::string id, std::string settings)
        : Panel(host, std::move(id), std::move(settings)), info_(host)
    {
    }

    void draw(const ccoc::DrawInfo& /*draw*/) override
    {
        const auto plugins = info_.plugins();
        constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                          ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
        if (!ImGui::BeginTable("plugins", 5, flags)) {
            return;
        }
        ImGui::TableSetupColumn(tr("State"));
        ImGui::TableSetupColumn(tr("Id"));
        ImGui::TableSetupColumn(tr("Version"));
        ImGui::TableSetupColumn("ABI");
        ImGui::TableSetupColumn(tr("Details"));
        ImGui::TableHeadersRow();
        for (const auto& p : plugins) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            if (p.loaded) {
                ImGui::TextColored(ImVec4(0.4f, 0.9f, 0.5f, 1.0f), "%s", tr("loaded"));
            } else {
                ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.35f, 1.0f), "%s", tr("refused"));
            }
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(p.id.c_str());
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(p.version.empty() ? "-" : p.version.c_str());
            ImGui::TableSetColumnIndex(3);
            if (p.abiMajor != 0) {
                ImGui::Text("%u.%u", p.abiMajor, p.abiMinor);
            } else {
                ImGui::TextDisabled("-");
            }
            ImGui::TableSetColumnIndex(4);
            if (p.loaded) {
                ImGui::TextDisabled("%s%s%s", p.path.c_str(), p.imguiVersion.empty() ? "" : "  ImGui ",
                                    p.imguiVersion.c_str());
            } else {
                ImGui::TextWrapped("%s", p.reason.c_str());
            }
        }
        ImGui::EndTable();
    }

private:
    ccoc::system_plugin::HostInfo info_;
};

} // namespace

CCOC_PANEL(PluginsPanel, "system.plugins", "Plugins", "ปลั๊กอิน");
