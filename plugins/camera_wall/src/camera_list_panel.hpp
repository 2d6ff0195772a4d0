// camera_list_panel.hpp: the "camera.list" panel: the site's cameras, numbered, with a drag source
// for each so the operator can drop a camera onto a tile of a camera wall on the same screen.
#pragma once

#include <memory>

#include "camera_catalog.hpp"
#include "ccoc/plugin.hpp"

namespace ccoc::wall {

/// ImGui drag-and-drop payload type; the payload is the camera id's bytes (no terminator).
inline constexpr const char* kCameraPayloadType = "CCOC_CAMERA";

class CameraListPanel : public Panel {
public:
    CameraListPanel(const Host& host, std::string id, std::string settings);
    void draw(const DrawInfo& info) override;

private:
    std::shared_ptr<const CameraCatalog> catalog_;
};

}  // namespace ccoc::wall
