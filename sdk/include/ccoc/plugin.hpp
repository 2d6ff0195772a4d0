// C++ convenience layer over ccoc/plugin.h (header-only).
//
// A panel is a small class with a draw(); a plugin is one line:
//
//     class HelloPanel : public ccoc::Panel {
//     public:
//         using Panel::Panel;
//         void draw(const ccoc::DrawInfo& info) override { ImGui::TextUnformatted("hello"); }
//     };
//     CCOC_PANEL(HelloPanel, "hello.panel", "Hello", "สวัสดี");
//     CCOC_PLUGIN("example.hello", "Hello panel", "1.0.0", "Example vendor");
//
// Text on screen goes through ccoc::tr() and the plugin's gettext catalogue (ccoc/i18n.hpp): with
// CCOC_TEXT_DOMAIN defined (a po/ folder beside the plugin), init binds it and the host shows the
// panel title ("Hello") translated; title_th ("สวัสดี") is what hosts before catalogues show.
//
// Exceptions never cross the C boundary: every callback into plugin code is wrapped, and an
// exception is logged through "ccoc.log/1" and turned into a failure value.
#pragma once

#include <array>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ccoc/i18n.hpp"
#include "ccoc/plugin.h"

#if __has_include(<imgui.h>) && !defined(CCOC_NO_IMGUI)
#include <imgui.h>
#define CCOC_HAS_IMGUI 1
#else
#define CCOC_HAS_IMGUI 0
#endif

namespace ccoc {

using DrawInfo = ccoc_panel_draw_info;

// The host's services, as the plugin sees them. Valid between init and shutdown.
class Host {
public:
    explicit Host(const ccoc_host* host) noexcept : host_(host)
    {
        if (host_ != nullptr && host_->get_service != nullptr) {
            log_ = static_cast<const ccoc_log_service_v1*>(host_->get_service(host_, CCOC_SERVICE_LOG));
            settings_ = static_cast<const ccoc_settings_service_v1*>(host_->get_service(host_, CCOC_SERVICE_SETTINGS));
        }
    }

    [[nodiscard]] const ccoc_host* raw() const noexcept { return host_; }

    // [any-thread]
    void log(ccoc_log_level level, const std::string& message) const noexcept
    {
        if (log_ != nullptr && log_->log != nullptr) {
            log_->log(host_, level, message.c_str());
        }
    }
    void info(const std::string& message) const noexcept { log(CCOC_LOG_INFO, message); }
    void warn(const std::string& message) const noexcept { log(CCOC_LOG_WARNING, message); }
    void error(const std::string& message) const noexcept { log(CCOC_LOG_ERROR, message); }

    // [any-thread] The plugin's own settings (its [[plugin]] settings table).
    [[nodiscard]] std::optional<std::string_view> setting(const char* key) const noexcept
    {
        if (settings_ == nullptr || settings_->get_string == nullptr) {
            return std::nullopt;
        }
        const char* value = settings_->get_string(host_, key);
        return value != nullptr ? std::optional<std::string_view>(value) : std::nullopt;
    }
    [[nodiscard]] std::optional<int64_t> settingInt(const char* key) const noexcept
    {
        int64_t value = 0;
        if (settings_ != nullptr && settings_->get_int != nullptr && settings_->get_int(host_, key, &value)) {
            return value;
        }
        return std::nullopt;
    }
    [[nodiscard]] std::optional<double> settingDouble(const char* key) const noexcept
    {
        double value = 0;
        if (settings_ != nullptr && settings_->get_double != nullptr && settings_->get_double(host_, key, &value)) {
            return value;
        }
        return std::nullopt;
    }
    [[nodiscard]] std::optional<bool> settingBool(const char* key) const noexcept
    {
        bool value = false;
        if (settings_ != nullptr && settings_->get_bool != nullptr && settings_->get_bool(host_, key, &value)) {
            return value;
        }
        return std::nullopt;
    }

    // [any-thread] The whole settings table as JSON text (nested tables and arrays included);
    // "{}" when the host offers no settings.
    [[nodiscard]] std::string settingsJson() const
    {
        if (settings_ == nullptr || settings_->get_json == nullptr) {
            return "{}";
        }
        const char* json = settings_->get_json(host_);
        return json != nullptr ? std::string(json) : std::string("{}");
    }

    // [any-thread] Where the setting `key` was written ("FILE:LINE:COL", or "--set KEY"), or of
    // its nearest enclosing table when the key is absent; empty when unknown, also with an older
    // host whose settings service has no `where`. Starts a message about the value:
    // where + ": settings: 'port' is ...".
    [[nodiscard]] std::string settingWhere(const char* key) const
    {
        if (!CCOC_STRUCT_HAS_FIELD(settings_, ccoc_settings_service_v1, where) || settings_->where == nullptr) {
            return {};
        }
        const char* origin = settings_->where(host_, key);
        return origin != nullptr ? std::string(origin) : std::string();
    }

    // [any-thread] A host service by id, or nullptr.
    [[nodiscard]] const void* service(const char* id) const noexcept
    {
        return (host_ != nullptr && host_->get_service != nullptr) ? host_->get_service(host_, id) : nullptr;
    }

private:
    const ccoc_host* host_ = nullptr;
    const ccoc_log_service_v1* log_ = nullptr;
    const ccoc_settings_service_v1* settings_ = nullptr;
};

// Base class of a panel instance. One object per [[panel]] of the site file.
class Panel {
public:
    Panel(const Host& host, std::string instanceId, std::string settingsJson)
        : host_(host), instanceId_(std::move(instanceId)), settingsJson_(std::move(settingsJson))
    {
    }
    virtual ~Panel() = default;
    Panel(const Panel&) = delete;
    Panel& operator=(const Panel&) = delete;
    Panel(Panel&&) = delete;
    Panel& operator=(Panel&&) = delete;

    // [main-thread] Once per host frame, before drawing.
    virtual void tick(double /*nowSec*/) {}
    // [main-thread] Draws into the current ImGui window.
    virtual void draw(const DrawInfo& info) = 0;

    [[nodiscard]] const Host& host() const noexcept { return host_; }
    [[nodiscard]] const std::string& instanceId() const noexcept { return instanceId_; }
    [[nodiscard]] const std::string& settingsJson() const noexcept { return settingsJson_; }

private:
    const Host& host_;
    std::string instanceId_;
    std::string settingsJson_;
};

namespace detail {

// Hidden so that each plugin .so keeps its own registry even if built without -fvisibility=hidden.
#define CCOC_DETAIL_HIDDEN __attribute__((visibility("hidden")))

struct PanelRegistration {
    ccoc_panel_type_v1 type{};
    Panel* (*make)(const Host& host, const char* instanceId, const char* settingsJson) = nullptr;
};

// One registry per shared object: plugins are built with hidden visibility, so each .so has its own.
CCOC_DETAIL_HIDDEN inline std::vector<PanelRegistration>& panelRegistry() noexcept
{
    static std::vector<PanelRegistration> registry;
    return registry;
}

struct PluginState {
    explicit PluginState(const ccoc_host* raw) : host(raw) {}
    Host host;
};

inline void logException(const Host& host, const char* where) noexcept
{
    try {
        throw;
    } catch (const std::exception& e) {
        host.error(std::string(where) + " threw: " + e.what());
    } catch (...) {
        host.error(std::string(where) + " threw a non-standard exception");
    }
}

struct InstanceBox {
    PluginState* plugin;
    std::unique_ptr<Panel> panel;
};

inline void* createInstance(size_t index, void* pluginData, const char* instanceId, const char* settingsJson) noexcept
{
    auto* plugin = static_cast<PluginState*>(pluginData);
    try {
        const auto& reg = panelRegistry().at(index);
        auto box = std::make_unique<InstanceBox>();
        box->plugin = plugin;
        box->panel.reset(reg.make(plugin->host, instanceId, settingsJson != nullptr ? settingsJson : "{}"));
        return box.release();
    } catch (...) {
        logException(plugin->host, "panel create");
        return nullptr;
    }
}

inline void destroyInstance(void* instance) noexcept
{
    auto* box = static_cast<InstanceBox*>(instance);
    try {
        delete box;
    } catch (...) {
        // destructors are noexcept; nothing to report through a deleted box
    }
}

inline void tickInstance(void* instance, double nowSec) noexcept
{
    auto* box = static_cast<InstanceBox*>(instance);
    try {
        box->panel->tick(nowSec);
    } catch (...) {
        logException(box->plugin->host, "panel tick");
    }
}

inline void drawInstance(void* instance, const ccoc_panel_draw_info* info) noexcept
{
    auto* box = static_cast<InstanceBox*>(instance);
    try {
        box->panel->draw(*info);
    } catch (...) {
        logException(box->plugin->host, "panel draw");
    }
}

template <size_t Index>
void* createAt(void* pluginData, const char* instanceId, const char* settingsJson) noexcept
{
    return createInstance(Index, pluginData, instanceId, settingsJson);
}

// Creation thunks are indexed at compile time by a per-TU counter; 32 panel types per plugin.
using CreateFn = void* (*)(void*, const char*, const char*);
template <size_t... I>
constexpr std::array<CreateFn, sizeof...(I)> makeCreateTable(std::index_sequence<I...>)
{
    return {&createAt<I>...};
}
inline constexpr size_t kMaxPanelTypes = 32;

inline bool registerPanel(const char* id, const char* title, const char* titleTh,
                          Panel* (*make)(const Host&, const char*, const char*)) noexcept
{
    static constexpr auto table = makeCreateTable(std::make_index_sequence<kMaxPanelTypes>{});
    auto& registry = panelRegistry();
    if (registry.size() >= kMaxPanelTypes) {
        return false;
    }
    PanelRegistration reg;
    reg.type.struct_size = sizeof(ccoc_panel_type_v1);
    reg.type.id = id;
    reg.type.title = title;
    reg.type.title_th = titleTh;
    reg.type.create = table[registry.size()];
    reg.type.destroy = &destroyInstance;
    reg.type.tick = &tickInstance;
    reg.type.draw = &drawInstance;
    reg.make = make;
    registry.push_back(reg);
    return true;
}

inline uint32_t panelCount(void* /*pluginData*/) noexcept
{
    return static_cast<uint32_t>(panelRegistry().size());
}

inline const ccoc_panel_type_v1* panelAt(void* /*pluginData*/, uint32_t index) noexcept
{
    auto& registry = panelRegistry();
    return index < registry.size() ? &registry[index].type : nullptr;
}

inline const ccoc_panel_factory_v1 kPanelFactory = {sizeof(ccoc_panel_factory_v1), &panelCount, &panelAt};

// Optional hooks a plugin may define with CCOC_PLUGIN_INIT / CCOC_PLUGIN_SHUTDOWN.
using InitHook = bool (*)(const Host&);
using ShutdownHook = void (*)(const Host&);
CCOC_DETAIL_HIDDEN inline InitHook& initHook() noexcept
{
    static InitHook hook = nullptr;
    return hook;
}
CCOC_DETAIL_HIDDEN inline ShutdownHook& shutdownHook() noexcept
{
    static ShutdownHook hook = nullptr;
    return hook;
}

inline bool pluginInit(const ccoc_host* host, void** pluginData) noexcept
{
    PluginState* state = nullptr;
    try {
        state = new PluginState(host);
    } catch (...) {
        return false;
    }
#ifdef CCOC_TEXT_DOMAIN
    // The plugin's catalogue, from the folder the host found; the host translates its panel titles.
    i18n::bindPluginDomain(host, CCOC_TEXT_DOMAIN);
#endif
    try {
        if (initHook() != nullptr && !initHook()(state->host)) {
            state->host.error("plugin init returned failure");
            delete state;
            return false;
        }
    } catch (...) {
        logException(state->host, "plugin init");
        delete state;
        return false;
    }
    *pluginData = state;
    return true;
}

inline void pluginShutdown(void* pluginData) noexcept
{
    auto* state = static_cast<PluginState*>(pluginData);
    try {
        if (shutdownHook() != nullptr) {
            shutdownHook()(state->host);
        }
    } catch (...) {
        logException(state->host, "plugin shutdown");
    }
    delete state;
}

// The plugin's status-bar item, defined with CCOC_STATUS_ITEM.
using StatusItemHook = void (*)(const Host&, const ccoc_status_item_draw_info&);
CCOC_DETAIL_HIDDEN inline StatusItemHook& statusItemHook() noexcept
{
    static StatusItemHook hook = nullptr;
    return hook;
}

inline void drawStatusItem(void* pluginData, const ccoc_status_item_draw_info* info) noexcept
{
    auto* state = static_cast<PluginState*>(pluginData);
    if (state == nullptr || info == nullptr || statusItemHook() == nullptr) {
        return;
    }
    try {
        statusItemHook()(state->host, *info);
    } catch (...) {
        logException(state->host, "status item draw");
    }
}

inline const ccoc_status_item_v1 kStatusItem = {sizeof(ccoc_status_item_v1), &drawStatusItem};

inline const void* pluginExtension(void* /*pluginData*/, const char* id) noexcept
{
    if (id != nullptr && std::string_view(id) == CCOC_EXTENSION_PANEL && !panelRegistry().empty()) {
        return &kPanelFactory;
    }
    if (id != nullptr && std::string_view(id) == CCOC_EXTENSION_STATUS_ITEM && statusItemHook() != nullptr) {
        return &kStatusItem;
    }
    return nullptr;
}

inline ccoc_plugin_descriptor makeDescriptor(const char* id, const char* name, const char* version,
                                             const char* vendor, const char* description) noexcept
{
    ccoc_plugin_descriptor d{};
    d.struct_size = sizeof(ccoc_plugin_descriptor);
    d.abi_major = CCOC_ABI_MAJOR;
    d.abi_minor = CCOC_ABI_MINOR;
    d.id = id;
    d.name = name;
    d.version = version;
    d.vendor = vendor;
    d.description = description;
#if CCOC_HAS_IMGUI
    d.imgui_version = IMGUI_VERSION;
    d.imgui_layout_io = sizeof(ImGuiIO);
    d.imgui_layout_style = sizeof(ImGuiStyle);
    d.imgui_layout_vert = sizeof(ImDrawVert);
#endif
    d.init = &pluginInit;
    d.shutdown = &pluginShutdown;
    d.get_extension = &pluginExtension;
    return d;
}

template <class T>
Panel* makePanel(const Host& host, const char* instanceId, const char* settingsJson)
{
    return new T(host, instanceId, settingsJson);
}

} // namespace detail
} // namespace ccoc

#define CCOC_DETAIL_CAT2(a, b) a##b
#define CCOC_DETAIL_CAT(a, b) CCOC_DETAIL_CAT2(a, b)

// Registers a panel class (derived from ccoc::Panel, constructor (const Host&, std::string, std::string)).
#define CCOC_PANEL(Class, typeId, title, titleTh)                                                      \
    static const bool CCOC_DETAIL_CAT(ccocPanelRegistered_, __LINE__) =                                \
        ::ccoc::detail::registerPanel(typeId, title, titleTh, &::ccoc::detail::makePanel<Class>)

// Optional: bool fn(const ccoc::Host&) run at plugin init; return false to refuse loading.
#define CCOC_PLUGIN_INIT(fn)                                                                           \
    static const bool CCOC_DETAIL_CAT(ccocInitRegistered_, __LINE__) = (::ccoc::detail::initHook() = (fn), true)
#define CCOC_PLUGIN_SHUTDOWN(fn)                                                                       \
    static const bool CCOC_DETAIL_CAT(ccocShutdownRegistered_, __LINE__) =                             \
        (::ccoc::detail::shutdownHook() = (fn), true)

// Gives the plugin a status-bar item ("ccoc.status-item/1"): `fn` is
// void fn(const ccoc::Host&, const ccoc_status_item_draw_info&), called [main-thread] on every
// screen's frame with the screen's ImGui context current. Use at most once per plugin.
#define CCOC_STATUS_ITEM(fn)                                                                           \
    static const bool CCOC_DETAIL_CAT(ccocStatusItemRegistered_, __LINE__) =                           \
        (::ccoc::detail::statusItemHook() = (fn), true)

// Defines the one exported entry point. Use once per plugin.
#define CCOC_PLUGIN(id, name, version, vendor)                                                         \
    extern "C" CCOC_EXPORT const ccoc_plugin_descriptor* ccoc_plugin_entry(void)                       \
    {                                                                                                  \
        static const ccoc_plugin_descriptor descriptor =                                               \
            ::ccoc::detail::makeDescriptor(id, name, version, vendor, nullptr);                        \
        return &descriptor;                                                                            \
    }
