// camera_list_panel.cpp: numbered cameras to drag onto a wall tile.
#include "camera_list_panel.hpp"

#include <imgui.h>

#include "ccoc/i18n.hpp"
#include "ccoc/video/url_redaction.hpp"

namespace ccoc::wall {

CameraListPanel::CameraListPanel(const Host& host, std::string id, std::string settings)
    : Panel(host, std::move(id), std::move(settings)), catalog_(CameraCatalog::load(host))
{
}

void CameraListPanel::draw(const DrawInfo& /*info*/)
{
    ImGui::TextDisabled("%s", tr("drag a camera onto a tile, or select a tile and type its number + Enter"));
    for (const auto& camera : catalog_->cameras()) {
        char text[256];
        std::snprintf(text, sizeof text, "%3d  %s", camera.number, catalog_->displayName(camera).c_str());
        ImGui::Selectable(text);
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s\n%s", camera.id.c_str(), video::redactUrl(camera.url).c_str());
        }
        if (ImGui::BeginDragDropSource()) {
            ImGui::SetDragDropPayload(kCameraPayloadType, camera.id.data(), camera.id.size());
            ImGui::Text("%d %s", camera.number, catalog_->displayName(camera).c_str());
            ImGui::EndDragDropSource();
        }
    }
}

}  // namespace ccoc::wall
