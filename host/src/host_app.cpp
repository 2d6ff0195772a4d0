#include "host_app.hpp"

#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>

#include "declared_settings.hpp"
#include "driver_pinning.hpp"
#include "ccoc/i18n.hpp"
#include "host_environment.hpp"
#include "interface_language.hpp"
#ifdef CCOC_HOST_BUS
#include "bus_runtime.hpp"
#include "drivers_service.hpp"
#endif
#include "log.hpp"
#include "panel_instance.hpp"
#include "plugin_loader.hpp"
#include "screen_window.hpp"

namespace ccoc::host {
namespace {

std::atomic<bool> gStopRequested{false};

// Headless runs (--frames N) have no vsync: uncapped, a run's length, and so what its cameras and
// timers reach by the last frame, would depend on the machine's load.
constexpr double kHeadlessFramesPerSecond = 20.0;

// The cap of a headless run: CCOC_HEADLESS_FPS when set to a number (0: none, for measuring the
// loop itself), else kHeadlessFramesPerSecond.
double headlessFramesPerSecond()
{
    const char* text = std::getenv("CCOC_HEADLESS_FPS");
    if (text == nullptr || *text == '\0') {
        return kHeadlessFramesPerSecond;
    }
    char* end = nullptr;
    const double fps = std::strtod(text, &end);
    if (end == text || *end != '\0' || !(fps >= 0.0) || fps > 1000.0) {
        Log::warn("host", std::string("CCOC_HEADLESS_FPS='") + text + "' is not a number of frames a second from 0 to 1000; using " +
                              std::to_string(static_cast<int>(kHeadlessFramesPerSecond)));
        return kHeadlessFramesPerSecond;
    }
    return fps;
}

double monotonicSeconds()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// Closes GLFW on every exit path.
struct GlfwSession {
    bool ok = false;
    GlfwSession()
    {
        glfwSetErrorCallback([](int code, const char* text) { Log::error("glfw", std::to_string(code) + ": " + text); });
        ok = glfwInit() == GLFW_TRUE;
    }
    ~GlfwSession()
    {
        if (ok) {
            glfwTerminate();
        }
    }
    GlfwSession(const GlfwSession&) = delete;
    GlfwSession& operator=(const GlfwSession&) = delete;
    GlfwSession(GlfwSession&&) = delete;
    GlfwSession& operator=(GlfwSession&&) = delete;
};

} // namespace

void requestStop() noexcept
{
    gStopRequested.store(true);
}

HostApp::HostApp(site::Site site, HostOptions options) : site_(std::move(site)), options_(std::move(options)) {}

std::vector<std::string> HostApp::pluginSearchPath() const
{
    namespace fs = std::filesystem;
    std::vector<std::string> path = options_.pluginPaths;
    path.insert(path.end(), site_.pluginSearchPath.begin(), site_.pluginSearchPath.end());
    if (const char* env = std::getenv("CCOC_PLUGIN_PATH"); env != nullptr) {
        std::string_view rest(env);
        while (!rest.empty()) {
            const size_t colon = rest.find(':');
            const std::string_view part = rest.substr(0, colon);
            if (!part.empty()) {
                path.emplace_back(part);
            }
            rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        }
    }
    // Beside the binary: build/bin/../plugins in the build tree, prefix/bin/../lib/ccoc/plugins installed.
    std::error_code ec;
    const fs::path exe = fs::weakly_canonical(fs::path(options_.executablePath), ec);
    if (!ec && !options_.executablePath.empty()) {
        path.push_back((exe.parent_path().parent_path() / "plugins").string());
        path.push_back((exe.parent_path().parent_path() / "lib" / "ccoc" / "plugins").string());
    }
    return path;
}

int HostApp::run()
{
    namespace fs = std::filesystem;
    const bool headless = options_.frames > 0;
    // Settings are checked against their declarations before anything starts: a mistake there is a
    // broken site file, and the host refuses it as it refuses one the site reader rejects. Read in
    // a child process: a driver's shared object that crashes when loaded must not take the host.
    const DeclaredSettingsReport declared = checkDeclaredSettingsIsolated(site_, pluginSearchPath());
    for (const auto& warning : declared.warnings) {
        Log::warn("host", warning);
    }
    if (!declared.errors.empty()) {
        for (const auto& error : declared.errors) {
            std::fprintf(stderr, "%s\n", error.c_str());
        }
        std::fprintf(stderr, "ccoc-host: %s has %zu settings error(s); refusing to start\n", site_.sourceFile.c_str(),
                     declared.errors.size());
        return 2;
    }
    if (!options_.screenshotDir.empty()) {
        std::error_code ec;
        fs::create_directories(options_.screenshotDir, ec);
        if (ec) {
            Log::error("host", "cannot create the screenshot folder " + options_.screenshotDir + ": " + ec.message());
            return 1;
        }
    }
    // The language first, before the host starts its threads (setting it writes the environment), and
    // before any plugin loads: plugins bind their catalogues in init.
    HostEnvironment environment(&site_);
    environment.setLocaleDir(findLocaleDir(options_.executablePath));
    bindHostTextDomains(environment.localeDir());
    setInterfaceLanguage(environment, site_.ui.language);
    GlfwSession glfw;
    if (!glfw.ok) {
        const char* display = std::getenv("DISPLAY");
        Log::error("host", std::string("cannot start the windowing system (DISPLAY=") + (display != nullptr ? display : "unset") +
                               "); on a machine without a display run it under Xvfb, as ./ccoc demo does");
        return 1;
    }

    PluginLoader loader(environment, pluginSearchPath());
    environment.setLoader(&loader);
    environment.setScreenCount(static_cast<uint32_t>(site_.screens.size()));

    // Windows first: panels may make GL objects when created, and the first window's context is
    // the one every other shares.
    std::vector<std::unique_ptr<ScreenWindow>> screens;
    try {
        for (const auto& screen : site_.screens) {
            GLFWwindow* share = screens.empty() ? nullptr : screens.front()->window();
            screens.push_back(std::make_unique<ScreenWindow>(screen, site_, share, headless));
        }
    } catch (const std::exception& e) {
        Log::error("host", e.what());
        return 1;
    }
    // Swapping with vsync on every window would divide the frame rate by the number of screens.
    for (size_t i = 0; i < screens.size(); ++i) {
        screens[i]->setVsync(!headless && i == 0);
    }
    glfwMakeContextCurrent(screens.front()->window());
#if defined(__SANITIZE_ADDRESS__)
    Log::info("host", "sanitizer build: pinned " + std::to_string(pinGraphicsDriverModules()) + " GL driver module(s)");
#endif

#ifdef CCOC_HOST_BUS
    // The bus before the plugins: panels may subscribe in create.
    BusRuntime bus(site_, pluginSearchPath(), options_.executablePath);
    bus.start();
    environment.setBusService(bus.service());
    environment.setDriversService(attachDriversService(&bus));
    // Detached again before `bus` goes, whatever way this scope is left.
    const struct DriversServiceDetach {
        ~DriversServiceDetach() { attachDriversService(nullptr); }
    } driversServiceDetach;
#endif

    const std::string siteDir = fs::path(site_.sourceFile).parent_path().string();
    for (const auto& plugin : site_.plugins) {
        if (plugin.enabled) {
            loader.load(plugin, siteDir);
        }
    }

    std::map<std::string, std::unique_ptr<PanelInstance>> panels;
    for (const auto& config : site_.panels) {
        PluginRecord* owner = nullptr;
        const ccoc_panel_type_v1* type = loader.findPanelType(config.type, &owner);
        panels.emplace(config.id, std::make_unique<PanelInstance>(config, type, owner != nullptr ? owner->pluginData : nullptr,
                                                                  environment.language(),
                                                                  owner != nullptr ? owner->textDomain : std::string()));
    }
    for (auto& window : screens) {
        const site::Layout* layout = site_.findLayout(window->id());
        if (layout == nullptr) {
            continue;
        }
        std::vector<std::pair<PanelInstance*, site::Region>> regions;
        for (const auto& region : layout->regions) {
            auto it = panels.find(region.panel);
            if (it != panels.end()) {
                regions.emplace_back(it->second.get(), region);
            }
        }
        window->setRegions(std::move(regions), layout->columns, layout->rows);
    }

    StatusInfo status;
    // What plugins add to the status bar; the host knows none of them by name.
    status.items = loader.statusItems();
    status.stationCode = site_.info.stationCode;
    status.operatorName = site_.ui.operatorName;

    Log::info("host", "running " + std::to_string(screens.size()) + " screens of " + site_.info.nameEn + " (" +
                          site_.info.stationCode + ")");
    int exitCode = 0;
    double lastFrame = monotonicSeconds();
    double fps = 0.0;
    // Headless runs are paced (so --frames N lasts N/fps seconds on any machine that keeps up), and
    // CCOC_LOG_FRAMES=1 logs every 50th frame, so a test can see frames keep coming.
    const double headlessFps = headless ? headlessFramesPerSecond() : 0.0;
    const double minFrameSec = headlessFps > 0.0 ? 1.0 / headlessFps : 0.0;
    if (headless) {
        char rate[64];
        std::snprintf(rate, sizeof rate, headlessFps > 0.0 ? "at most %g a second" : "uncapped (CCOC_HEADLESS_FPS=0)",
                      headlessFps);
        Log::info("host", "headless: " + std::to_string(options_.frames) + " frames, " + rate);
    }
    const bool logFrames = std::getenv("CCOC_LOG_FRAMES") != nullptr;
    for (int frame = 0; !gStopRequested.load(); ++frame) {
        glfwPollEvents();
        const double now = monotonicSeconds();
        const double dt = now - lastFrame;
        lastFrame = now;
        if (dt > 0.0) {
            fps = fps == 0.0 ? 1.0 / dt : fps * 0.95 + (1.0 / dt) * 0.05;
        }
        status.framesPerSecond = fps;
        // Every frame: the language may have been switched since the last one.
        status.language = environment.language();
        status.siteName = i18n::siteText(status.language, site_.info.name, site_.info.nameEn);
#ifdef CCOC_HOST_BUS
        bus.pump();
        const BusHealth busHealth = bus.health();
        status.busState = busHealth.shown;
        status.busHealthy = busHealth.healthy;
#endif
        environment.setFramesPerSecond(fps);
        for (auto& [id, panel] : panels) {
            panel->tick(now);
        }
        const bool lastHeadlessFrame = headless && frame + 1 >= options_.frames;
        bool quit = false;
        for (auto& window : screens) {
            std::string shot;
            if (lastHeadlessFrame && !options_.screenshotDir.empty()) {
                shot = (fs::path(options_.screenshotDir) / (window->id() + ".png")).string();
            }
            if (!window->renderFrame(status, now, shot)) {
                exitCode = 1;
            }
            if (!shot.empty() && exitCode == 0) {
                Log::info("host", "wrote " + shot);
            }
            quit = quit || window->quitConfirmed();
        }
        if (quit || lastHeadlessFrame) {
            break;
        }
        if (logFrames && frame % 50 == 0) {
            Log::info("host", "frame " + std::to_string(frame));
        }
        if (minFrameSec > 0.0) {
            const double spent = monotonicSeconds() - now;
            if (spent < minFrameSec) {
                std::this_thread::sleep_for(std::chrono::duration<double>(minFrameSec - spent));
            }
        }
    }
    // Panels go before their plugins shut down; windows (and their GL objects) after panels.
    panels.clear();
    loader.shutdownAll();
#ifdef CCOC_HOST_BUS
    bus.stop();
#endif
    screens.clear();
    Log::info("host", "stopped");
    return exitCode;
}

} // namespace ccoc::host
