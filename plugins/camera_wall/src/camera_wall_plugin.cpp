// camera_wall_plugin.cpp: the camera wall plugin's entry point: two panel types.
#include "camera_list_panel.hpp"
#include "ccoc/plugin.hpp"
#include "wall_panel.hpp"

CCOC_PANEL(ccoc::wall::WallPanel, "camera.wall", "Camera wall", "ผนังกล้อง");
CCOC_PANEL(ccoc::wall::CameraListPanel, "camera.list", "Cameras", "รายการกล้อง");
CCOC_PLUGIN("ccoc.camera_wall", "Camera wall", CCOC_PLUGIN_VERSION, "CCOC");
