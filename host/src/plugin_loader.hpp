// Loads plugins (shared objects speaking ccoc/plugin.h), checks them before trusting anything in
// them, and keeps a record of every plugin asked for: loaded, or refused with the reason.
//
// A refused plugin costs one log line; the host goes on with the rest. Loaded plugins are never
// dlclose()d (as OBS does): code of a plugin may still be referenced by a late callback, and
// sanitizer reports keep their symbols.
//
// Thread: main thread only.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ccoc/plugin.h"
#include "ccoc/site.hpp"

namespace ccoc::host {

class HostEnvironment;

struct PluginRecord {
    std::string requested;   // id or path as the site file asked
    std::string path;        // resolved file, empty when not found
    ccoc_plugin_load_state state = CCOC_PLUGIN_REFUSED;
    std::string reason;      // why it was refused
    std::string id;
    std::string name;
    std::string version;
    std::string imguiVersion;
    uint32_t abiMajor = 0;
    uint32_t abiMinor = 0;
    site::Settings settings;

    // Set only when loaded.
    void* handle = nullptr;
    const ccoc_plugin_descriptor* descriptor = nullptr;
    void* pluginData = nullptr;
    ccoc_host hostView{};    // what the plugin sees as its host; host_data points back here
    HostEnvironment* environment = nullptr;
    std::vector<const ccoc_panel_type_v1*> panelTypes;
    std::string textDomain;  // named by the plugin through "ccoc.i18n/1"; translates its panel titles
};

// A plugin's status-bar item ("ccoc.status-item/1"), drawn after the host's own.
struct StatusItem {
    const ccoc_status_item_v1* item = nullptr;
    void* pluginData = nullptr;
};

class PluginLoader {
public:
    // `searchPath`: folders tried in order for a plugin named by id ("<id>.so").
    PluginLoader(HostEnvironment& environment, std::vector<std::string> searchPath);
    ~PluginLoader();
    PluginLoader(const PluginLoader&) = delete;
    PluginLoader& operator=(const PluginLoader&) = delete;
    PluginLoader(PluginLoader&&) = delete;
    PluginLoader& operator=(PluginLoader&&) = delete;

    // Loads one [[plugin]] entry. `siteDir` resolves a relative path. Never throws.
    const PluginRecord& load(const site::Plugin& entry, const std::string& siteDir);
    // Loads a plugin file directly (tests, --plugin on the command line).
    const PluginRecord& loadFile(const std::string& path, const site::Settings& settings = {});

    // Calls shutdown on every loaded plugin, in reverse order of loading. Idempotent.
    void shutdownAll();

    [[nodiscard]] const std::vector<std::unique_ptr<PluginRecord>>& records() const noexcept { return records_; }
    // The panel type with this id and the plugin that offers it, or nullptr.
    [[nodiscard]] const ccoc_panel_type_v1* findPanelType(std::string_view typeId, PluginRecord** owner = nullptr) const;
    [[nodiscard]] const std::vector<std::string>& searchPath() const noexcept { return searchPath_; }
    // The status-bar items of the loaded plugins, in the order they were loaded.
    [[nodiscard]] std::vector<StatusItem> statusItems() const;

private:
    PluginRecord& refuse(std::unique_ptr<PluginRecord> record, std::string reason);
    PluginRecord& finishLoad(std::unique_ptr<PluginRecord> record);
    [[nodiscard]] std::string findById(const std::string& id, std::string& triedOut) const;
    void collectPanelTypes(PluginRecord& record);

    HostEnvironment& environment_;
    std::vector<std::string> searchPath_;
    std::vector<std::unique_ptr<PluginRecord>> records_;
};

// Checks a descriptor against this host: size, ABI version, ImGui build. Returns an empty string
// when acceptable, else the reason in words. Pure; exposed for tests.
std::string checkDescriptor(const ccoc_plugin_descriptor* descriptor);

} // namespace ccoc::host
