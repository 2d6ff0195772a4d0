// wall_model.hpp: what a camera wall shows, without any drawing: its layout, the camera in each
// tile, tours, the selected and the maximised tile, and the CCTV keyboard entry. Unit-testable.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wall_layout.hpp"

namespace ccoc::wall {

/// A tile that cycles through cameras every `dwellSec` seconds.
struct Tour {
    std::vector<std::string> cameras;
    double dwellSec = 10.0;
    size_t position = 0;       ///< index into cameras of the one showing now
    double nextSwitchSec = 0;  ///< when to move on (monotonic seconds)
};

/// An alarm's mark on a tile (wall.set_tile with "mark"): a border in the priority's colour and
/// the alarm id, until the alarm is closed or the tile shows another camera.
struct TileMark {
    std::string alarmId;
    int priority = 1;  ///< 1..5
};

/// The wall's state. Thread: main thread only (it belongs to one panel).
class WallModel {
public:
    /// `cameraIds` are the site's cameras in order: "camera number" N is cameraIds[N-1].
    explicit WallModel(std::vector<std::string> cameraIds);

    /// Changes the layout, keeping the cameras of the first tiles (tiles past the new count are
    /// dropped, new tiles are empty). Ends any maximised view. Error text for an unknown name.
    bool setLayout(const std::string& name, std::string* error = nullptr);
    [[nodiscard]] const WallLayout& layout() const { return layout_; }

    /// Puts a camera on a tile (empty id clears it) and ends that tile's tour. False when the tile
    /// or the camera does not exist (error says which). `mark` marks the tile for an alarm; without
    /// one, a mark stays only when the tile keeps its camera.
    bool setTile(size_t tile, const std::string& cameraId, std::string* error = nullptr,
                 std::optional<TileMark> mark = std::nullopt);
    /// Camera shown by a tile now ("" when empty).
    [[nodiscard]] std::string cameraAt(size_t tile) const;
    [[nodiscard]] size_t tileCount() const { return layout_.tiles.size(); }
    [[nodiscard]] const std::vector<std::string>& cameraIds() const { return cameraIds_; }

    /// The alarm mark of a tile, if any.
    [[nodiscard]] const std::optional<TileMark>& markAt(size_t tile) const;
    /// Removes every mark of an alarm (it was closed). True when a tile changed.
    bool clearAlarm(const std::string& alarmId);
    /// Ids of the alarms marked on tiles now, each once.
    [[nodiscard]] std::vector<std::string> markedAlarms() const;

    /// Starts a tour on a tile; the first camera shows at once. False for an unknown tile, an
    /// empty list, an unknown camera or a dwell under 1 s.
    bool startTour(size_t tile, std::vector<std::string> cameras, double dwellSec, double nowSec,
                   std::string* error = nullptr);
    void stopTour(size_t tile);
    [[nodiscard]] const std::optional<Tour>& tourAt(size_t tile) const;
    /// Advances tours whose time has come. Returns true when any tile changed camera.
    bool advanceTours(double nowSec);

    /// Double-click: maximise a tile, or go back to the layout when it is already maximised.
    void toggleMaximised(size_t tile);
    [[nodiscard]] std::optional<size_t> maximised() const { return maximised_; }

    void select(size_t tile);
    [[nodiscard]] size_t selected() const { return selected_; }

    /// CCTV keyboard: digits build a camera number, Enter puts that camera on the selected tile,
    /// Backspace/Escape edits or clears the entry.
    void typeDigit(int digit);
    void eraseDigit();
    void clearEntry() { entry_.clear(); }
    /// Applies the typed number; false (and error) when it names no camera. Clears the entry.
    bool commitEntry(std::string* error = nullptr);
    [[nodiscard]] const std::string& entry() const { return entry_; }

    /// Bumped on every change of layout, tile content, tour or maximised tile (for publishing
    /// the wall state).
    [[nodiscard]] unsigned revision() const { return revision_; }

private:
    bool knownCamera(const std::string& id) const;

    std::vector<std::string> cameraIds_;
    WallLayout layout_;
    std::vector<std::string> tiles_;
    std::vector<std::optional<Tour>> tours_;
    std::vector<std::optional<TileMark>> marks_;
    std::optional<size_t> maximised_;
    size_t selected_ = 0;
    std::string entry_;
    unsigned revision_ = 0;
};

}  // namespace ccoc::wall
