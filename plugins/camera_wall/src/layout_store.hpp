// layout_store.hpp: named layouts an operator saved for one wall panel. They live in
// $XDG_CONFIG_HOME/ccoc/wall-layouts/<panel-id>.json (default ~/.config/ccoc/...), one file per
// panel, so a site file stays the integrator's and the operator's choices survive a restart.
#pragma once

#include <future>
#include <map>
#include <string>
#include <vector>

namespace ccoc::wall {

/// A saved layout: its grid name and the camera per tile ("" for empty).
struct SavedLayout {
    std::string layout;
    std::vector<std::string> tiles;
};

/// Thread: main thread. Files are written on a background task so the render thread never waits
/// on the disk; reading happens once, when the panel is created.
class LayoutStore {
public:
    /// Reads the panel's file if there is one; a broken file is reported in `problem`.
    explicit LayoutStore(const std::string& panelId);
    ~LayoutStore();
    LayoutStore(const LayoutStore&) = delete;
    LayoutStore& operator=(const LayoutStore&) = delete;
    LayoutStore(LayoutStore&&) = delete;
    LayoutStore& operator=(LayoutStore&&) = delete;

    [[nodiscard]] const std::map<std::string, SavedLayout>& layouts() const { return layouts_; }
    /// Adds or replaces a named layout and writes the file in the background.
    void save(const std::string& name, SavedLayout layout);
    [[nodiscard]] const std::string& path() const { return path_; }
    /// Why the file could not be read or the last write failed ("" when fine).
    [[nodiscard]] std::string problem();

private:
    std::string path_;
    std::map<std::string, SavedLayout> layouts_;
    std::future<std::string> pendingWrite_;
    std::string problem_;
};

}  // namespace ccoc::wall
