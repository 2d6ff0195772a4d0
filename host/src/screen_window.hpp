// One [[screen]]: a GLFW window (on its monitor or at its geometry), its own ImGui context, and
// the panels its layout places. All windows share the first window's OpenGL context objects, so
// textures made on one are usable on all.
//
// Thread: main thread only (GLFW and ImGui both require it).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ccoc/site.hpp"
#include "layout_engine.hpp"
#include "plugin_loader.hpp"

struct GLFWwindow;
struct ImGuiContext;
struct ImFont;

namespace ccoc::host {

class PanelInstance;

struct StatusInfo {
    std::string language = "en";  // the interface language: the date's calendar
    std::string siteName;
    std::string stationCode;
    std::string operatorName;
    std::string busState;  // in the interface language; empty: the site has no bus
    bool busHealthy = false;
    double framesPerSecond = 0.0;
    // What plugins add to the bar ("ccoc.status-item/1"), in the order they were loaded.
    std::vector<StatusItem> items;
};

class ScreenWindow {
public:
    // Creates the window; `shareWith` is the first screen's window (nullptr for the first).
    // Throws std::runtime_error with a message naming the screen when GLFW cannot create it.
    ScreenWindow(const site::Screen& screen, const site::Site& site, GLFWwindow* shareWith, bool headless);
    ~ScreenWindow();
    ScreenWindow(const ScreenWindow&) = delete;
    ScreenWindow& operator=(const ScreenWindow&) = delete;
    ScreenWindow(ScreenWindow&&) = delete;
    ScreenWindow& operator=(ScreenWindow&&) = delete;

    // Places panel instances; `panels` are looked up by the layout's region panel ids.
    void setRegions(std::vector<std::pair<PanelInstance*, site::Region>> regions, int columns, int rows);
    // Renders one frame and, if screenshotPath is not empty, writes it as PNG before swapping.
    // Returns false if the screenshot could not be written (the reason is logged).
    bool renderFrame(const StatusInfo& status, double nowSec, const std::string& screenshotPath);

    void toggleFullscreen();
    [[nodiscard]] bool quitConfirmed() const noexcept { return quitConfirmed_; }
    [[nodiscard]] GLFWwindow* window() const noexcept { return window_; }
    [[nodiscard]] const std::string& id() const noexcept { return screen_.id; }
    void setVsync(bool on);

    // Input, forwarded by the GLFW callbacks installed for this window.
    void onKey(int key, int scancode, int action, int mods);
    void onCloseRequested();
    // Opens the confirmation dialog (Ctrl+Q, the window's close button).
    void requestQuit();

private:
    void loadFonts();
    void drawRegions(double nowSec);
    void drawStatusBar(const StatusInfo& status, double nowSec);
    void drawQuitDialog();
    void installCallbacks();

    site::Screen screen_;
    std::string fontPath_;
    float fontSizePx_ = 18.0f;
    bool headless_ = false;
    GLFWwindow* window_ = nullptr;
    ImGuiContext* imgui_ = nullptr;
    ImFont* largeFont_ = nullptr;
    std::vector<std::pair<PanelInstance*, site::Region>> regions_;
    site::Layout layout_;
    uint64_t frameIndex_ = 0;
    bool fullscreen_ = false;
    int windowedX_ = 0, windowedY_ = 0, windowedW_ = 0, windowedH_ = 0;
    bool quitRequested_ = false;
    bool quitConfirmed_ = false;
};

// Finds a TTF with Thai glyphs: the site's choice if readable, else one from Debian's fonts.
std::string findThaiFont(const std::string& preferred);

} // namespace ccoc::host
