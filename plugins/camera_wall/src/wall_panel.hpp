// wall_panel.hpp: the "camera.wall" panel: a layout of camera tiles with live video.
//
// Settings (the [[panel]]'s settings table):
//   layout  = "3x3"                      grid or span layout (see wall_layout.hpp), default "2x2"
//   cameras = ["cam1", "cam2", ...]      camera per tile in reading order; "" leaves a tile empty
//   tours   = [{ tile = 4, cameras = ["cam1", "cam3"], dwell_s = 10 }]   tile numbers from 1
//   details = false                      show age, fps, bit rate, resolution, codec on every tile
//   log_frame_times = false              log the panel's draw intervals every 5 s (tests)
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alarm_mark_watch.hpp"
#include "camera_catalog.hpp"
#include "camera_tile.hpp"
#include "ccoc/plugin.hpp"
#include "layout_store.hpp"
#include "reader_reaper.hpp"
#include "wall_bus.hpp"
#include "wall_model.hpp"
#include "yuv_renderer.hpp"

namespace ccoc::wall {

class WallPanel : public Panel {
public:
    WallPanel(const Host& host, std::string id, std::string settings);
    ~WallPanel() override;
    WallPanel(const WallPanel&) = delete;
    WallPanel& operator=(const WallPanel&) = delete;
    WallPanel(WallPanel&&) = delete;
    WallPanel& operator=(WallPanel&&) = delete;

    void tick(double nowSec) override;
    void draw(const DrawInfo& info) override;

private:
    void applySettings();
    void syncTiles();
    void publishState();
    void reportConditions();
    void watchAlarmMarks(double nowSec);
    [[nodiscard]] bool alarmOpen(const std::string& alarmId) const;
    WallCommandResult handleCommand(const std::string& action, const std::string& argsJson);
    void logFrameTimes(double nowSec);

    // wall_panel_draw.cpp
    void drawToolbar();
    void drawTile(size_t index, float x, float y, float width, float height);
    void handleKeyboard();

    std::shared_ptr<const CameraCatalog> catalog_;
    WallModel model_;
    ReaderReaper reaper_;
    std::vector<std::unique_ptr<CameraTile>> tiles_;
    std::unique_ptr<GlPipeline> pipeline_;
    std::unique_ptr<WallBus> bus_;
    LayoutStore store_;
    AlarmMarkWatch markWatch_;
    double nextMarkCheckSec_ = 0.0;
    unsigned publishedRevision_ = ~0u;
    std::map<std::string, bool> cameraOnline_;
    std::vector<bool> staleLogged_;  // per tile: "picture stale" already logged  // for offline/online events and log lines
    bool details_ = false;
    bool logFrameTimes_ = false;
    double nowSec_ = 0.0;
    std::string screenId_;  // the screen this panel is drawn on (known after the first draw)
    std::string message_;  // last keyboard or command problem, shown in the toolbar
    double messageUntilSec_ = 0.0;
    char saveName_[64] = {};
    // Frame-time bookkeeping for log_frame_times.
    double lastDrawSec_ = 0.0;
    double maxIntervalSec_ = 0.0;
    double sumIntervalSec_ = 0.0;
    int intervals_ = 0;
    double nextFrameLogSec_ = 0.0;
};

}  // namespace ccoc::wall
