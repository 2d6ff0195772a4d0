#include "plugin_loader.hpp"

#include <dlfcn.h>
#include <imgui.h>

#include <exception>
#include <filesystem>
#include <utility>

#include "host_environment.hpp"
#include "log.hpp"

namespace ccoc::host {
namespace {

constexpr const char* kSource = "loader";

// The smallest descriptor of ABI 1.0: everything up to and including get_extension.
constexpr size_t kMinDescriptorSize =
    offsetof(ccoc_plugin_descriptor, get_extension) + sizeof(ccoc_plugin_descriptor::get_extension);

std::string orEmpty(const char* text)
{
    return text != nullptr ? std::string(text) : std::string();
}

} // namespace

std::string checkDescriptor(const ccoc_plugin_descriptor* d)
{
    if (d == nullptr) {
        return "its entry point returned no descriptor";
    }
    if (d->struct_size < kMinDescriptorSize) {
        return "descriptor of " + std::to_string(d->struct_size) + " bytes is smaller than ABI 1.0's " +
               std::to_string(kMinDescriptorSize);
    }
    const std::string built = std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor);
    const std::string ours = std::to_string(CCOC_ABI_MAJOR) + "." + std::to_string(CCOC_ABI_MINOR);
    if (d->abi_major != CCOC_ABI_MAJOR) {
        return "built for plugin ABI " + built + ", host speaks " + ours + " (same major version required)";
    }
    if (d->abi_minor > CCOC_ABI_MINOR) {
        return "built for plugin ABI " + built + ", newer than the host's " + ours + " (update the host)";
    }
    if (d->id == nullptr || d->id[0] == '\0') {
        return "descriptor has no id";
    }
    if (d->init == nullptr || d->get_extension == nullptr) {
        return "descriptor lacks init or get_extension";
    }
    if (d->imgui_version != nullptr) {
        if (std::string_view(d->imgui_version) != IMGUI_VERSION) {
            return std::string("built against Dear ImGui ") + d->imgui_version + ", host has " + IMGUI_VERSION +
                   " (rebuild the plugin against the host's SDK)";
        }
        if (d->imgui_layout_io != sizeof(ImGuiIO) || d->imgui_layout_style != sizeof(ImGuiStyle) ||
            d->imgui_layout_vert != sizeof(ImDrawVert)) {
            return std::string("built against Dear ImGui ") + d->imgui_version +
                   " with another configuration (imconfig.h): struct sizes differ from the host's";
        }
    }
    return {};
}

PluginLoader::PluginLoader(HostEnvironment& environment, std::vector<std::string> searchPath)
    : environment_(environment), searchPath_(std::move(searchPath))
{
}

PluginLoader::~PluginLoader()
{
    shutdownAll();
}

std::string PluginLoader::findById(const std::string& id, std::string& triedOut) const
{
    namespace fs = std::filesystem;
    for (const auto& dir : searchPath_) {
        const fs::path candidate = fs::path(dir) / (id + ".so");
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) {
            return candidate.string();
        }
        triedOut += triedOut.empty() ? dir : ", " + dir;
    }
    return {};
}

const PluginRecord& PluginLoader::load(const site::Plugin& entry, const std::string& siteDir)
{
    namespace fs = std::filesystem;
    auto record = std::make_unique<PluginRecord>();
    record->settings = entry.settings;
    if (!entry.path.empty()) {
        record->requested = entry.path;
        fs::path p(entry.path);
        if (p.is_relative() && !siteDir.empty()) {
            p = fs::path(siteDir) / p;
        }
        record->path = p.lexically_normal().string();
        std::error_code ec;
        if (!fs::is_regular_file(record->path, ec)) {
            return refuse(std::move(record), "file not found");
        }
    } else {
        record->requested = entry.id;
        record->id = entry.id;
        std::string tried;
        record->path = findById(entry.id, tried);
        if (record->path.empty()) {
            return refuse(std::move(record),
                          "not found: no " + entry.id + ".so in the plugin path (" + (tried.empty() ? "empty" : tried) + ")");
        }
    }
    return finishLoad(std::move(record));
}

const PluginRecord& PluginLoader::loadFile(const std::string& path, const site::Settings& settings)
{
    auto record = std::make_unique<PluginRecord>();
    record->requested = path;
    record->path = path;
    record->settings = settings;
    return finishLoad(std::move(record));
}

PluginRecord& PluginLoader::refuse(std::unique_ptr<PluginRecord> record, std::string reason)
{
    record->state = CCOC_PLUGIN_REFUSED;
    record->reason = std::move(reason);
    Log::error(kSource, "refused plugin " + record->requested + (record->path.empty() || record->path == record->requested ? "" : " (" + record->path + ")") +
                            ": " + record->reason);
    records_.push_back(std::move(record));
    return *records_.back();
}

PluginRecord& PluginLoader::finishLoad(std::unique_ptr<PluginRecord> record)
{
    // RTLD_LOCAL: a plugin's symbols never satisfy another plugin's; RTLD_NOW: fail here, not later.
    void* handle = dlopen(record->path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = dlerror();
        return refuse(std::move(record), std::string("cannot load: ") + (why != nullptr ? why : "unknown error"));
    }
    auto entry = reinterpret_cast<ccoc_plugin_entry_fn>(dlsym(handle, CCOC_PLUGIN_ENTRY_SYMBOL));
    if (entry == nullptr) {
        return refuse(std::move(record), std::string("not a CCOC plugin: it exports no '") + CCOC_PLUGIN_ENTRY_SYMBOL + "'");
    }
    const ccoc_plugin_descriptor* d = nullptr;
    try {
        d = entry();
    } catch (...) {
        return refuse(std::move(record), "its entry point threw an exception");
    }
    if (d != nullptr && d->struct_size >= offsetof(ccoc_plugin_descriptor, id)) {
        record->abiMajor = d->abi_major;
        record->abiMinor = d->abi_minor;
    }
    if (std::string why = checkDescriptor(d); !why.empty()) {
        return refuse(std::move(record), why);
    }
    record->id = d->id;
    record->name = orEmpty(d->name);
    record->version = orEmpty(d->version);
    record->imguiVersion = orEmpty(d->imgui_version);
    for (const auto& other : records_) {
        if (other->state == CCOC_PLUGIN_LOADED && other->id == record->id) {
            return refuse(std::move(record), "a plugin with id '" + other->id + "' is already loaded from " + other->path);
        }
    }

    record->handle = handle;
    record->descriptor = d;
    record->environment = &environment_;
    record->hostView = environment_.makeHostView(*record);
    void* pluginData = nullptr;
    bool ok = false;
    try {
        ok = d->init(&record->hostView, &pluginData);
    } catch (const std::exception& e) {
        record->descriptor = nullptr;
        return refuse(std::move(record), std::string("init threw: ") + e.what());
    } catch (...) {
        record->descriptor = nullptr;
        return refuse(std::move(record), "init threw a non-standard exception");
    }
    if (!ok) {
        record->descriptor = nullptr;
        return refuse(std::move(record), "init returned failure (see the plugin's log lines above)");
    }
    record->pluginData = pluginData;
    record->state = CCOC_PLUGIN_LOADED;
    collectPanelTypes(*record);
    Log::info(kSource, "loaded " + record->id + " " + record->version + " (ABI " + std::to_string(record->abiMajor) + "." +
                           std::to_string(record->abiMinor) + ", " + std::to_string(record->panelTypes.size()) +
                           " panel types) from " + record->path);
    records_.push_back(std::move(record));
    return *records_.back();
}

void PluginLoader::collectPanelTypes(PluginRecord& record)
{
    const auto* factory = static_cast<const ccoc_panel_factory_v1*>(
        record.descriptor->get_extension(record.pluginData, CCOC_EXTENSION_PANEL));
    if (factory == nullptr) {
        return;
    }
    if (!CCOC_STRUCT_HAS_FIELD(factory, ccoc_panel_factory_v1, get) || factory->count == nullptr || factory->get == nullptr) {
        Log::error(kSource, record.id + ": its ccoc.panel/1 factory is incomplete; no panels taken from it");
        return;
    }
    const uint32_t count = factory->count(record.pluginData);
    for (uint32_t i = 0; i < count; ++i) {
        const ccoc_panel_type_v1* type = factory->get(record.pluginData, i);
        if (!CCOC_STRUCT_HAS_FIELD(type, ccoc_panel_type_v1, draw) || type->id == nullptr || type->create == nullptr ||
            type->destroy == nullptr || type->draw == nullptr) {
            Log::error(kSource, record.id + ": panel type #" + std::to_string(i) + " is incomplete; skipped");
            continue;
        }
        PluginRecord* owner = nullptr;
        if (findPanelType(type->id, &owner) != nullptr) {
            Log::error(kSource, record.id + ": panel type '" + type->id + "' is already offered by " + owner->id + "; skipped");
            continue;
        }
        record.panelTypes.push_back(type);
    }
}

const ccoc_panel_type_v1* PluginLoader::findPanelType(std::string_view typeId, PluginRecord** owner) const
{
    for (const auto& record : records_) {
        for (const auto* type : record->panelTypes) {
            if (typeId == type->id) {
                if (owner != nullptr) {
                    *owner = record.get();
                }
                return type;
            }
        }
    }
    return nullptr;
}

std::vector<StatusItem> PluginLoader::statusItems() const
{
    std::vector<StatusItem> items;
    for (const auto& record : records_) {
        if (record->state != CCOC_PLUGIN_LOADED || record->descriptor == nullptr ||
            record->descriptor->get_extension == nullptr) {
            continue;
        }
        const auto* item = static_cast<const ccoc_status_item_v1*>(
            record->descriptor->get_extension(record->pluginData, CCOC_EXTENSION_STATUS_ITEM));
        if (item != nullptr && CCOC_STRUCT_HAS_FIELD(item, ccoc_status_item_v1, draw) && item->draw != nullptr) {
            items.push_back(StatusItem{item, record->pluginData});
        }
    }
    return items;
}

void PluginLoader::shutdownAll()
{
    for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
        PluginRecord& record = **it;
        if (record.state != CCOC_PLUGIN_LOADED || record.descriptor == nullptr) {
            continue;
        }
        if (record.descriptor->shutdown != nullptr) {
            try {
                record.descriptor->shutdown(record.pluginData);
            } catch (...) {
                Log::error(kSource, record.id + ": shutdown threw; ignored");
            }
        }
        record.descriptor = nullptr;
        record.panelTypes.clear();
    }
}

} // namespace ccoc::host
