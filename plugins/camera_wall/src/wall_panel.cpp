// wall_panel.cpp: the camera wall's model, tiles, bus state and commands (drawing is in
// wall_panel_draw.cpp).
#include "wall_panel.hpp"

#include "ccoc/bus.h"
#include "ccoc/settings_check.hpp"
#include "wall_settings.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

namespace ccoc::wall {

namespace {

double steadySeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

WallPanel::WallPanel(const Host& host, std::string id, std::string settings)
    : Panel(host, std::move(id), std::move(settings)),
      catalog_(CameraCatalog::load(host)),
      model_(catalog_->ids()),
      store_(instanceId())
{
    applySettings();
    if (std::string problem = store_.problem(); !problem.empty()) {
        host.warn("camera wall '" + instanceId() + "': " + problem);
    }
    bus_ = std::make_unique<WallBus>(
        instanceId(), catalog_->bus(), [this](const std::string& action, const std::string& args) { return handleCommand(action, args); },
        [&host](const std::string& line) { host.warn(line); });
}

WallPanel::~WallPanel()
{
    bus_.reset();
    tiles_.clear();  // readers go to the reaper, which joins them when it is destroyed
}

// The host checked the settings against wall_settings.cpp's declaration before it created the
// panel (types, tile numbers, camera ids), so they are read typed, with the declared defaults.
// What the declaration cannot say (the layout's grammar, a tour on a tile the layout lacks) is
// still reported here.
void WallPanel::applySettings()
{
    const settings::Values values =
        settings::Values::read(*wallSettings().find(settings::Subject::Panel, "camera.wall"), settingsJson());
    auto warn = [this](const std::string& what) { host().warn("camera wall '" + instanceId() + "': " + what); };
    std::string error;
    if (!model_.setLayout(values.text("layout"), &error)) {
        warn("settings.layout: " + error + "; using 2x2");
        model_.setLayout("2x2");
    }
    size_t tile = 0;
    for (const std::string& camera : values.strings("cameras")) {
        if (!model_.setTile(tile, camera, &error)) {
            warn("settings.cameras[" + std::to_string(tile) + "]: " + error);
        }
        ++tile;
    }
    for (const settings::Values& tour : values.tables("tours")) {
        const int64_t number = tour.integer("tile");
        if (number < 1 ||
            !model_.startTour(static_cast<size_t>(number - 1), tour.strings("cameras"), tour.number("dwell_s"), steadySeconds(), &error)) {
            warn("settings.tours: " + (number < 1 ? std::string("tile numbers start at 1") : error));
        }
    }
    details_ = values.flag("details");
    logFrameTimes_ = values.flag("log_frame_times");
}

void WallPanel::syncTiles()
{
    while (tiles_.size() < model_.tileCount()) {
        tiles_.push_back(std::make_unique<CameraTile>(reaper_, [this](const std::string& cameraId) -> video::LogSink {
            return [this, cameraId](video::LogLevel level, const std::string& line) {
                const std::string text = "camera '" + cameraId + "': " + line;
                switch (level) {
                case video::LogLevel::Error:
                    host().error(text);
                    break;
                case video::LogLevel::Warning:
                    host().warn(text);
                    break;
                default:
                    host().info(text);
                    break;
                }
            };
        }));
    }
    tiles_.resize(model_.tileCount());
    for (size_t i = 0; i < tiles_.size(); ++i) {
        tiles_[i]->setCamera(catalog_->find(model_.cameraAt(i)));
    }
}

void WallPanel::tick(double nowSec)
{
    nowSec_ = nowSec;
    if (bus_) {
        bus_->pump();
    }
    model_.advanceTours(steadySeconds());
    syncTiles();
    if (publishedRevision_ != model_.revision()) {
        publishState();
        publishedRevision_ = model_.revision();
    }
    reportConditions();
    watchAlarmMarks(nowSec);
}

// Twice a second while any tile is marked: a mark leaves when its alarm's record leaves the bus.
void WallPanel::watchAlarmMarks(double nowSec)
{
    if (nowSec < nextMarkCheckSec_) {
        return;
    }
    nextMarkCheckSec_ = nowSec + 0.5;
    const auto marked = model_.markedAlarms();
    if (marked.empty() || host().service(CCOC_SERVICE_BUS) == nullptr) {
        return;  // without the host's bus nothing can say the alarm closed: the mark stays
    }
    for (const auto& id : markWatch_.closed(marked, [this](const std::string& alarm) { return alarmOpen(alarm); }, nowSec)) {
        model_.clearAlarm(id);
        host().info("camera wall '" + instanceId() + "': alarm " + id + " closed, its mark removed");
    }
}

bool WallPanel::alarmOpen(const std::string& alarmId) const
{
    const auto* bus = static_cast<const ccoc_bus_service_v1*>(host().service(CCOC_SERVICE_BUS));
    bool open = false;
    const std::string path = "alarms/item/" + alarmId;
    bus->read_state(host().raw(), path.c_str(), [](void* user, const ccoc_bus_state_entry* entry) {
        // A record still there but already closed counts as closed.
        const auto value = nlohmann::json::parse(entry->value_json != nullptr ? entry->value_json : "", nullptr, false);
        *static_cast<bool*>(user) |= value.is_object() && value.value("state", std::string()) != "closed";
    }, &open);
    return open;
}

void WallPanel::publishState()
{
    nlohmann::json tiles = nlohmann::json::array();
    for (size_t i = 0; i < model_.tileCount(); ++i) {
        nlohmann::json tile = {{"tile", i + 1}, {"camera", model_.cameraAt(i)}};
        if (const auto& mark = model_.markAt(i)) {
            tile["mark"] = {{"alarm", mark->alarmId}, {"priority", mark->priority}};
        }
        if (const auto& tour = model_.tourAt(i)) {
            tile["tour"] = {{"cameras", tour->cameras}, {"dwell_s", tour->dwellSec}};
        }
        tiles.push_back(std::move(tile));
    }
    nlohmann::json state = {{"panel", instanceId()},
                            {"screen", screenId_},
                            {"layout", model_.layout().name},
                            {"tiles", std::move(tiles)}};
    if (const auto maximised = model_.maximised()) {
        state["maximised_tile"] = *maximised + 1;
    }
    if (bus_) {
        bus_->publishWallState(state.dump());
    }
}

void WallPanel::reportConditions()
{
    staleLogged_.resize(tiles_.size(), false);
    struct Seen {
        bool live = false;
        const CameraTile* offlineTile = nullptr;
    };
    std::map<std::string, Seen> seenNow;
    for (size_t index = 0; index < tiles_.size(); ++index) {
        const auto& tile = tiles_[index];
        const CameraInfo* camera = tile->camera();
        if (camera == nullptr) {
            continue;
        }
        // A picture past kStaleAfterSec is drawn dimmed with "STALE"; say so in the log once.
        const bool stale = tile->hasPicture() && tile->pictureAgeSec() > kStaleAfterSec;
        if (stale != staleLogged_[index]) {
            staleLogged_[index] = stale;
            if (stale) {
                char age[32];
                std::snprintf(age, sizeof age, "%.1f", tile->pictureAgeSec());
                host().warn("camera '" + camera->id + "' on tile " + std::to_string(index + 1) + ": picture stale (" +
                            age + " s old), shown dimmed as STALE");
            }
        }
        // A camera on several tiles (a tour passing by, the same camera twice) is one camera: it
        // is online while any of its tiles is live, offline when every tile that knows is offline.
        const TileCondition condition = tile->condition();
        auto& seen = seenNow[camera->id];
        seen.live = seen.live || condition == TileCondition::Live;
        if (condition == TileCondition::Offline && seen.offlineTile == nullptr) {
            seen.offlineTile = tile.get();
        }
    }
    for (const auto& [cameraId, seen] : seenNow) {
        if (!seen.live && seen.offlineTile == nullptr) {
            continue;  // connecting or paused everywhere: nothing to say yet
        }
        const bool online = seen.live;
        auto [it, inserted] = cameraOnline_.try_emplace(cameraId, online);
        if (!inserted && it->second == online) {
            continue;
        }
        if (inserted && online) {
            host().info("camera '" + cameraId + "' live");
            continue;
        }
        it->second = online;
        nlohmann::json event = {{"camera", cameraId}, {"state", online ? "online" : "offline"}};
        std::string line = "camera '" + cameraId + "' " + (online ? "back online" : "offline");
        if (!online) {
            const auto& status = seen.offlineTile->status();
            event["reason"] = video::toString(status.reason);
            event["message"] = status.message;  // redacted by the reader
            line += std::string(": ") + video::toString(status.reason) + " (" + status.message + ")";
        }
        online ? host().info(line) : host().warn(line);
        if (bus_) {
            bus_->publishCameraEvent(cameraId, event.dump());
        }
    }
}

WallCommandResult WallPanel::handleCommand(const std::string& action, const std::string& argsJson)
{
    nlohmann::json args;
    try {
        args = nlohmann::json::parse(argsJson.empty() ? "null" : argsJson);
    } catch (const std::exception& e) {
        return {false, std::string("arguments are not JSON: ") + e.what()};
    }
    std::string error;
    auto tileOf = [&args]() -> std::optional<size_t> {
        if (!args.is_object() || !args.contains("tile") || !args["tile"].is_number_integer() ||
            args["tile"].get<int>() < 1) {
            return std::nullopt;
        }
        return static_cast<size_t>(args["tile"].get<int>() - 1);
    };
    if (action == "wall.set_tile") {
        const auto tile = tileOf();
        if (!tile || !args.contains("camera") || !args["camera"].is_string()) {
            return {false, R"(wall.set_tile expects {"tile": N (from 1), "camera": "CAMERA-ID"}, optionally )"
                           R"("mark": {"alarm": "ALARM-ID", "priority": 1..5})"};
        }
        std::optional<TileMark> mark;
        if (args.contains("mark")) {
            const auto& m = args["mark"];
            if (!m.is_object() || !m.contains("alarm") || !m["alarm"].is_string() || m["alarm"].get<std::string>().empty() ||
                !m.contains("priority") || !m["priority"].is_number_integer() || m["priority"].get<int>() < 1 ||
                m["priority"].get<int>() > 5) {
                return {false, "wall.set_tile: \"mark\" must be {\"alarm\": \"ALARM-ID\", \"priority\": 1..5}, got " +
                                   m.dump()};
            }
            mark = TileMark{m["alarm"].get<std::string>(), m["priority"].get<int>()};
        }
        return {model_.setTile(*tile, args["camera"].get<std::string>(), &error, std::move(mark)), error};
    }
    if (action == "wall.set_layout") {
        if (!args.is_object() || !args.contains("layout") || !args["layout"].is_string()) {
            return {false, R"(wall.set_layout expects {"layout": "3x3"})"};
        }
        return {model_.setLayout(args["layout"].get<std::string>(), &error), error};
    }
    if (action == "wall.start_tour") {
        const auto tile = tileOf();
        if (!tile || !args.contains("cameras") || !args["cameras"].is_array()) {
            return {false, R"(wall.start_tour expects {"tile": N, "cameras": ["cam1", ...], "dwell_s": 10})"};
        }
        std::vector<std::string> cameras;
        for (const auto& c : args["cameras"]) {
            cameras.push_back(c.is_string() ? c.get<std::string>() : std::string("?"));
        }
        return {model_.startTour(*tile, cameras, args.value("dwell_s", 10.0), steadySeconds(), &error), error};
    }
    if (action == "wall.stop_tour") {
        const auto tile = tileOf();
        if (!tile || *tile >= model_.tileCount()) {
            return {false, R"(wall.stop_tour expects {"tile": N} of an existing tile)"};
        }
        model_.stopTour(*tile);
        return {true, ""};
    }
    return {false, "unknown action '" + action + "'; expected wall.set_tile, wall.set_layout, wall.start_tour or "
                   "wall.stop_tour"};
}

void WallPanel::logFrameTimes(double nowSec)
{
    if (lastDrawSec_ > 0.0) {
        const double interval = nowSec - lastDrawSec_;
        maxIntervalSec_ = std::max(maxIntervalSec_, interval);
        sumIntervalSec_ += interval;
        ++intervals_;
    }
    lastDrawSec_ = nowSec;
    if (nextFrameLogSec_ == 0.0) {
        nextFrameLogSec_ = nowSec + 5.0;
    }
    if (nowSec >= nextFrameLogSec_ && intervals_ > 0) {
        char line[160];
        std::snprintf(line, sizeof line, "camera wall '%s': draw interval max %.1f ms, mean %.1f ms over %d frames",
                      instanceId().c_str(), maxIntervalSec_ * 1000.0, sumIntervalSec_ * 1000.0 / intervals_, intervals_);
        host().info(line);
        maxIntervalSec_ = sumIntervalSec_ = 0.0;
        intervals_ = 0;
        nextFrameLogSec_ = nowSec + 5.0;
    }
}

}  // namespace ccoc::wall
