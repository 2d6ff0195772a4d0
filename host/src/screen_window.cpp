#include "screen_window.hpp"

#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "ccoc/i18n_format.hpp"
#include "log.hpp"
#include "panel_instance.hpp"
#include "screenshot.hpp"

namespace ccoc::host {
namespace {

// GLFW calls back with the window only; ImGui 1.86's GLFW backend uses whatever ImGui context is
// current. So each callback makes the window's own ImGui context current before forwarding.
ScreenWindow* screenOf(GLFWwindow* window)
{
    return static_cast<ScreenWindow*>(glfwGetWindowUserPointer(window));
}

class ContextScope {
public:
    explicit ContextScope(ImGuiContext* context) : previous_(ImGui::GetCurrentContext()) { ImGui::SetCurrentContext(context); }
    ~ContextScope() { ImGui::SetCurrentContext(previous_); }
    ContextScope(const ContextScope&) = delete;
    ContextScope& operator=(const ContextScope&) = delete;
    ContextScope(ContextScope&&) = delete;
    ContextScope& operator=(ContextScope&&) = delete;

private:
    ImGuiContext* previous_;
};

} // namespace

std::string findThaiFont(const std::string& preferred)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!preferred.empty() && fs::is_regular_file(preferred, ec)) {
        return preferred;
    }
    static const std::array<const char*, 5> candidates = {
        "/usr/share/fonts/truetype/tlwg/Garuda.ttf", "/usr/share/fonts/truetype/tlwg/Loma.ttf",
        "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf", "/usr/share/fonts/truetype/tlwg/Waree.ttf",
        "/usr/share/fonts/truetype/tlwg/Sawasdee.ttf"};
    for (const char* candidate : candidates) {
        if (fs::is_regular_file(candidate, ec)) {
            return candidate;
        }
    }
    return {};
}

ScreenWindow::ScreenWindow(const site::Screen& screen, const site::Site& site, GLFWwindow* shareWith, bool headless)
    : screen_(screen), fontSizePx_(site.ui.fontSizePx), headless_(headless)
{
    fontPath_ = findThaiFont(site.ui.font);
    if (!site.ui.font.empty() && fontPath_ != site.ui.font) {
        Log::warn("screen", "font " + site.ui.font + " is not readable; using " + (fontPath_.empty() ? "ImGui's default (no Thai)" : fontPath_));
    }
    GLFWmonitor* monitor = nullptr;
    int width = screen.width;
    int height = screen.height;
    if (screen.monitor.has_value()) {
        int count = 0;
        GLFWmonitor** monitors = glfwGetMonitors(&count);
        if (*screen.monitor < count) {
            monitor = monitors[*screen.monitor];
            const GLFWvidmode* mode = glfwGetVideoMode(monitor);
            width = mode->width;
            height = mode->height;
        } else {
            Log::warn("screen", "screen '" + screen.id + "' asks for monitor " + std::to_string(*screen.monitor) + " but " +
                                    std::to_string(count) + " are connected; opening it windowed at its x/y/width/height");
        }
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_DECORATED, monitor != nullptr ? GLFW_FALSE : GLFW_TRUE);
    const std::string& title = i18n::siteText(site.ui.language, screen.title, screen.titleEn);
    window_ = glfwCreateWindow(width, height, title.empty() ? screen.id.c_str() : title.c_str(),
                               (screen.fullscreen && monitor != nullptr) ? monitor : nullptr, shareWith);
    if (window_ == nullptr) {
        const char* why = nullptr;
        glfwGetError(&why);
        throw std::runtime_error("cannot open a window for screen '" + screen.id + "': " + (why != nullptr ? why : "unknown GLFW error"));
    }
    fullscreen_ = screen.fullscreen && monitor != nullptr;
    if (monitor != nullptr && !fullscreen_) {
        int mx = 0, my = 0;
        glfwGetMonitorPos(monitor, &mx, &my);
        glfwSetWindowPos(window_, mx, my);
    } else if (monitor == nullptr) {
        glfwSetWindowPos(window_, screen.x, screen.y);
    }
    glfwGetWindowPos(window_, &windowedX_, &windowedY_);
    windowedW_ = width;
    windowedH_ = height;
    glfwSetWindowUserPointer(window_, this);
    glfwMakeContextCurrent(window_);

    imgui_ = ImGui::CreateContext();
    ContextScope scope(imgui_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // layouts come from the site file, not from imgui.ini
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui::StyleColorsDark();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 2.0f;
    style.WindowBorderSize = 1.0f;
    loadFonts();
    ImGui_ImplGlfw_InitForOpenGL(window_, false);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    installCallbacks();
}

ScreenWindow::~ScreenWindow()
{
    if (imgui_ != nullptr) {
        glfwMakeContextCurrent(window_);
        ImGui::SetCurrentContext(imgui_);
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext(imgui_);
    }
    if (window_ != nullptr) {
        glfwDestroyWindow(window_);
    }
}

void ScreenWindow::loadFonts()
{
    ImGuiIO& io = ImGui::GetIO();
    if (fontPath_.empty()) {
        Log::warn("screen", "no font with Thai glyphs found (install fonts-thai-tlwg); Thai text will not render");
        io.Fonts->AddFontDefault();
        return;
    }
    const ImWchar* ranges = io.Fonts->GetGlyphRangesThai(); // Basic Latin, Latin-1 and Thai
    io.Fonts->AddFontFromFileTTF(fontPath_.c_str(), fontSizePx_, nullptr, ranges);
    largeFont_ = io.Fonts->AddFontFromFileTTF(fontPath_.c_str(), fontSizePx_ * 1.5f, nullptr, ranges);
}

void ScreenWindow::installCallbacks()
{
    glfwSetKeyCallback(window_, [](GLFWwindow* w, int key, int scancode, int action, int mods) {
        ScreenWindow* self = screenOf(w);
        {
            ContextScope scope(self->imgui_);
            ImGui_ImplGlfw_KeyCallback(w, key, scancode, action, mods);
        }
        self->onKey(key, scancode, action, mods);
    });
    glfwSetCharCallback(window_, [](GLFWwindow* w, unsigned int c) {
        ContextScope scope(screenOf(w)->imgui_);
        ImGui_ImplGlfw_CharCallback(w, c);
    });
    glfwSetMouseButtonCallback(window_, [](GLFWwindow* w, int button, int action, int mods) {
        ContextScope scope(screenOf(w)->imgui_);
        ImGui_ImplGlfw_MouseButtonCallback(w, button, action, mods);
    });
    glfwSetScrollCallback(window_, [](GLFWwindow* w, double dx, double dy) {
        ContextScope scope(screenOf(w)->imgui_);
        ImGui_ImplGlfw_ScrollCallback(w, dx, dy);
    });
    glfwSetWindowFocusCallback(window_, [](GLFWwindow* w, int focused) {
        ContextScope scope(screenOf(w)->imgui_);
        ImGui_ImplGlfw_WindowFocusCallback(w, focused);
    });
    glfwSetCursorEnterCallback(window_, [](GLFWwindow* w, int entered) {
        ContextScope scope(screenOf(w)->imgui_);
        ImGui_ImplGlfw_CursorEnterCallback(w, entered);
    });
    glfwSetWindowCloseCallback(window_, [](GLFWwindow* w) { screenOf(w)->onCloseRequested(); });
}

void ScreenWindow::onKey(int key, int /*scancode*/, int action, int mods)
{
    if (action != GLFW_PRESS) {
        return;
    }
    if (key == GLFW_KEY_F11) {
        toggleFullscreen();
    } else if (key == GLFW_KEY_Q && (mods & GLFW_MOD_CONTROL) != 0) {
        requestQuit();
    } else if (quitRequested_ && (key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER)) {
        quitConfirmed_ = true;
        Log::info("screen", "quit confirmed on screen '" + screen_.id + "'");
    } else if (quitRequested_ && key == GLFW_KEY_ESCAPE) {
        quitRequested_ = false;
        Log::info("screen", "quit cancelled on screen '" + screen_.id + "'");
    }
}

void ScreenWindow::onCloseRequested()
{
    // Closing a wall screen by accident must not take the control room down: ask first.
    glfwSetWindowShouldClose(window_, GLFW_FALSE);
    requestQuit();
}

void ScreenWindow::requestQuit()
{
    if (!quitRequested_) {
        quitRequested_ = true;
        Log::info("screen", "quit requested on screen '" + screen_.id + "'; waiting for confirmation (Enter) or Escape");
    }
}

void ScreenWindow::toggleFullscreen()
{
    if (fullscreen_) {
        glfwSetWindowMonitor(window_, nullptr, windowedX_, windowedY_, windowedW_, windowedH_, GLFW_DONT_CARE);
        fullscreen_ = false;
        Log::info("screen", "screen '" + screen_.id + "' windowed at " + std::to_string(windowedW_) + "x" +
                                std::to_string(windowedH_));
        return;
    }
    glfwGetWindowPos(window_, &windowedX_, &windowedY_);
    glfwGetWindowSize(window_, &windowedW_, &windowedH_);
    // The monitor the window's centre is on, else the primary one.
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    GLFWmonitor* target = glfwGetPrimaryMonitor();
    const int cx = windowedX_ + windowedW_ / 2;
    const int cy = windowedY_ + windowedH_ / 2;
    for (int i = 0; i < count; ++i) {
        int mx = 0, my = 0;
        glfwGetMonitorPos(monitors[i], &mx, &my);
        const GLFWvidmode* mode = glfwGetVideoMode(monitors[i]);
        if (cx >= mx && cy >= my && cx < mx + mode->width && cy < my + mode->height) {
            target = monitors[i];
            break;
        }
    }
    if (target == nullptr) {
        return;
    }
    const GLFWvidmode* mode = glfwGetVideoMode(target);
    glfwSetWindowMonitor(window_, target, 0, 0, mode->width, mode->height, mode->refreshRate);
    fullscreen_ = true;
    Log::info("screen", "screen '" + screen_.id + "' full screen at " + std::to_string(mode->width) + "x" +
                            std::to_string(mode->height) + " on " + glfwGetMonitorName(target));
}

void ScreenWindow::setVsync(bool on)
{
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(on ? 1 : 0);
}

void ScreenWindow::setRegions(std::vector<std::pair<PanelInstance*, site::Region>> regions, int columns, int rows)
{
    regions_ = std::move(regions);
    layout_ = {};
    layout_.columns = columns;
    layout_.rows = rows;
    for (const auto& [panel, region] : regions_) {
        layout_.regions.push_back(region);
    }
}

bool ScreenWindow::renderFrame(const StatusInfo& status, double nowSec, const std::string& screenshotPath)
{
    glfwMakeContextCurrent(window_);
    ContextScope scope(imgui_);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    drawRegions(nowSec);
    drawStatusBar(status, nowSec);
    drawQuitDialog();
    ImGui::Render();

    int width = 0, height = 0;
    glfwGetFramebufferSize(window_, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.06f, 0.07f, 0.09f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    bool ok = true;
    if (!screenshotPath.empty()) {
        std::string why;
        ok = writeFramebufferPng(screenshotPath, width, height, why);
        if (!ok) {
            Log::error("screen", "screenshot of '" + screen_.id + "' to " + screenshotPath + " failed: " + why);
        }
    }
    glfwSwapBuffers(window_);
    ++frameIndex_;
    return ok;
}

void ScreenWindow::drawRegions(double nowSec)
{
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    const auto placed = placeRegions(layout_, size.x, size.y);
    constexpr ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                       ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                       ImGuiWindowFlags_NoBringToFrontOnFocus;
    for (size_t i = 0; i < placed.size() && i < regions_.size(); ++i) {
        PanelInstance* panel = regions_[i].first;
        const Rect& rect = placed[i].rect;
        ImGui::SetNextWindowPos(ImVec2(rect.x, rect.y));
        ImGui::SetNextWindowSize(ImVec2(rect.width, rect.height));
        const std::string title = panel->title() + "###region" + std::to_string(i);
        if (ImGui::Begin(title.c_str(), nullptr, flags)) {
            const ImVec2 origin = ImGui::GetCursorScreenPos();
            const ImVec2 avail = ImGui::GetContentRegionAvail();
            ccoc_panel_draw_info info{};
            info.struct_size = sizeof(info);
            info.screen_id = screen_.id.c_str();
            info.x = origin.x;
            info.y = origin.y;
            info.width = avail.x;
            info.height = avail.y;
            info.now_sec = nowSec;
            info.frame_index = frameIndex_;
            panel->draw(info);
        }
        ImGui::End();
    }
}

void ScreenWindow::drawStatusBar(const StatusInfo& status, double nowSec)
{
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    const Rect bar = statusBarRect(size.x, size.y);
    ImGui::SetNextWindowPos(ImVec2(bar.x, bar.y));
    ImGui::SetNextWindowSize(ImVec2(bar.width, bar.height));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.10f, 0.16f, 0.28f, 1.0f));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10.0f, 4.0f));
    constexpr ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;
    if (ImGui::Begin("###statusbar", nullptr, flags)) {
        // The date in the interface's calendar (the Buddhist era in Thai).
        const std::time_t now = std::time(nullptr);
        const std::string clock = i18n::timeOfDay(now) + "  " + i18n::date(status.language, now);
        ImGui::TextUnformatted(status.siteName.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%s", status.stationCode.c_str());
        ImGui::SameLine(0.0f, 24.0f);
        const std::string& screenTitle = i18n::siteText(status.language, screen_.title, screen_.titleEn);
        ImGui::TextUnformatted(screenTitle.empty() ? screen_.id.c_str() : screenTitle.c_str());
        ImGui::SameLine(0.0f, 24.0f);
        ImGui::Text("%s: %s", tr("Operator"), status.operatorName.empty() ? "-" : status.operatorName.c_str());
        ImGui::SameLine(0.0f, 24.0f);
        ImGui::TextColored(status.busHealthy ? ImVec4(0.4f, 0.9f, 0.5f, 1.0f) : ImVec4(0.9f, 0.75f, 0.3f, 1.0f), "%s",
                           status.busState.empty() ? tr("bus: not configured") : status.busState.c_str());
        const float clockWidth = ImGui::CalcTextSize(clock.c_str()).x + ImGui::CalcTextSize("000.0 fps").x + 40.0f;
        for (const StatusItem& item : status.items) {
            ImGui::SameLine(0.0f, 24.0f);
            ccoc_status_item_draw_info info{};
            info.struct_size = sizeof(info);
            info.screen_id = screen_.id.c_str();
            info.max_width = std::max(0.0f, bar.width - clockWidth - ImGui::GetCursorPosX());
            info.height = ImGui::GetTextLineHeight();
            info.now_sec = nowSec;
            item.item->draw(item.pluginData, &info);
        }
        ImGui::SameLine(bar.width - clockWidth);
        ImGui::TextDisabled("%.1f fps", status.framesPerSecond);
        ImGui::SameLine();
        ImGui::TextUnformatted(clock.c_str());
    }
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

void ScreenWindow::drawQuitDialog()
{
    const char* popupId = "quit###quit";
    if (quitRequested_ && !ImGui::IsPopupOpen(popupId)) {
        ImGui::OpenPopup(popupId);
    }
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal(popupId, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::TextUnformatted(tr("Close the control room on every screen?"));
        ImGui::TextDisabled("%s", tr("Enter: quit   Esc: cancel"));
        ImGui::Spacing();
        if (ImGui::Button(tr("Quit"), ImVec2(120, 0))) {
            quitConfirmed_ = true;
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(tr("Cancel"), ImVec2(120, 0)) || !quitRequested_) {
            quitRequested_ = false;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

} // namespace ccoc::host
