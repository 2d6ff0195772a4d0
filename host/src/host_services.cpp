// The C functions behind each host service. Each receives the plugin's ccoc_host, whose host_data
// is the plugin's record, so every call knows which plugin made it.
#include <imgui.h>

#include <cstring>
#include <string>

#include "ccoc/drivers_service.h"
#include "ccoc/i18n.h"
#include "host_environment.hpp"
#include "log.hpp"
#include "plugin_loader.hpp"

namespace ccoc::host {
namespace {

PluginRecord& recordOf(const ccoc_host* host)
{
    return *static_cast<PluginRecord*>(host->host_data);
}

// --- ccoc.log/1 -----------------------------------------------------------------------------------
void logLine(const ccoc_host* host, ccoc_log_level level, const char* message)
{
    if (host == nullptr || message == nullptr) {
        return;
    }
    const PluginRecord& record = recordOf(host);
    Log::write(level, record.id.empty() ? record.requested : record.id, message);
}
const ccoc_log_service_v1 kLogService = {sizeof(ccoc_log_service_v1), &logLine};

// --- ccoc.settings/1 ------------------------------------------------------------------------------
const site::SettingValue* findSetting(const ccoc_host* host, const char* key)
{
    if (host == nullptr || key == nullptr) {
        return nullptr;
    }
    const auto& values = recordOf(host).settings.values;
    auto it = values.find(key);
    return it != values.end() ? &it->second : nullptr;
}
const char* settingString(const ccoc_host* host, const char* key)
{
    const auto* value = findSetting(host, key);
    const auto* text = value != nullptr ? std::get_if<std::string>(value) : nullptr;
    return text != nullptr ? text->c_str() : nullptr;
}
bool settingInt(const ccoc_host* host, const char* key, int64_t* out)
{
    const auto* value = findSetting(host, key);
    const auto* number = value != nullptr ? std::get_if<int64_t>(value) : nullptr;
    if (number == nullptr || out == nullptr) {
        return false;
    }
    *out = *number;
    return true;
}
bool settingDouble(const ccoc_host* host, const char* key, double* out)
{
    const auto* value = findSetting(host, key);
    if (value == nullptr || out == nullptr) {
        return false;
    }
    if (const auto* real = std::get_if<double>(value)) {
        *out = *real;
        return true;
    }
    if (const auto* integer = std::get_if<int64_t>(value)) {
        *out = static_cast<double>(*integer);
        return true;
    }
    return false;
}
bool settingBool(const ccoc_host* host, const char* key, bool* out)
{
    const auto* value = findSetting(host, key);
    const auto* flag = value != nullptr ? std::get_if<bool>(value) : nullptr;
    if (flag == nullptr || out == nullptr) {
        return false;
    }
    *out = *flag;
    return true;
}
const char* settingsJson(const ccoc_host* host)
{
    return host != nullptr ? recordOf(host).settings.json.c_str() : "{}";
}
const char* settingWhere(const ccoc_host* host, const char* key)
{
    if (host == nullptr || key == nullptr) {
        return nullptr;
    }
    const std::string* origin = recordOf(host).settings.originOf(key);
    return origin != nullptr ? origin->c_str() : nullptr;
}
const ccoc_settings_service_v1 kSettingsService = {sizeof(ccoc_settings_service_v1), &settingString, &settingInt,
                                                   &settingDouble, &settingBool, &settingsJson, &settingWhere};

// --- ccoc.imgui/1 ---------------------------------------------------------------------------------
void* currentContext(const ccoc_host* /*host*/)
{
    return ImGui::GetCurrentContext();
}
void imguiAllocator(const ccoc_host* /*host*/, void** allocFunc, void** freeFunc, void** userData)
{
    ImGuiMemAllocFunc alloc = nullptr;
    ImGuiMemFreeFunc release = nullptr;
    void* data = nullptr;
    ImGui::GetAllocatorFunctions(&alloc, &release, &data);
    if (allocFunc != nullptr) {
        *allocFunc = reinterpret_cast<void*>(alloc);
    }
    if (freeFunc != nullptr) {
        *freeFunc = reinterpret_cast<void*>(release);
    }
    if (userData != nullptr) {
        *userData = data;
    }
}
const ccoc_imgui_service_v1 kImguiService = {sizeof(ccoc_imgui_service_v1), IMGUI_VERSION, IMGUI_VERSION_NUM,
                                             &currentContext, &imguiAllocator};

// --- ccoc.host-info/1 -----------------------------------------------------------------------------
const site::Site* siteOf(const ccoc_host* host)
{
    return host != nullptr ? recordOf(host).environment->site() : nullptr;
}
const char* siteName(const ccoc_host* host)
{
    const auto* site = siteOf(host);
    return site != nullptr ? site->info.name.c_str() : "";
}
const char* siteNameEn(const ccoc_host* host)
{
    const auto* site = siteOf(host);
    return site != nullptr ? site->info.nameEn.c_str() : "";
}
const char* stationCode(const ccoc_host* host)
{
    const auto* site = siteOf(host);
    return site != nullptr ? site->info.stationCode.c_str() : "";
}
const char* siteFile(const ccoc_host* host)
{
    const auto* site = siteOf(host);
    return site != nullptr ? site->sourceFile.c_str() : "";
}
const char* language(const ccoc_host* host)
{
    return host != nullptr ? recordOf(host).environment->language().c_str() : "en";
}
const char* operatorName(const ccoc_host* host)
{
    const auto* site = siteOf(host);
    return site != nullptr ? site->ui.operatorName.c_str() : "";
}
const PluginLoader* loaderOf(const ccoc_host* host)
{
    return host != nullptr ? recordOf(host).environment->loader() : nullptr;
}
uint32_t pluginCount(const ccoc_host* host)
{
    const auto* loader = loaderOf(host);
    return loader != nullptr ? static_cast<uint32_t>(loader->records().size()) : 0;
}
bool pluginAt(const ccoc_host* host, uint32_t index, ccoc_plugin_info* out)
{
    const auto* loader = loaderOf(host);
    if (loader == nullptr || out == nullptr || index >= loader->records().size() ||
        out->struct_size < offsetof(ccoc_plugin_info, reason) + sizeof(out->reason)) {
        return false;
    }
    const PluginRecord& r = *loader->records()[index];
    out->state = r.state;
    out->id = r.id.empty() ? r.requested.c_str() : r.id.c_str();
    out->name = r.name.c_str();
    out->version = r.version.c_str();
    out->path = r.path.c_str();
    out->abi_major = r.abiMajor;
    out->abi_minor = r.abiMinor;
    out->imgui_version = r.imguiVersion.c_str();
    out->reason = r.reason.c_str();
    return true;
}
uint32_t screenCount(const ccoc_host* host)
{
    return host != nullptr ? recordOf(host).environment->screenCount() : 0;
}
double framesPerSecond(const ccoc_host* host)
{
    return host != nullptr ? recordOf(host).environment->framesPerSecond() : 0.0;
}
const ccoc_host_info_service_v1 kHostInfoService = {
    sizeof(ccoc_host_info_service_v1), &siteName,   &siteNameEn, &stationCode, &siteFile,       &language,
    &operatorName,                     &pluginCount, &pluginAt,  &screenCount, &framesPerSecond};

// --- ccoc.i18n/1 ----------------------------------------------------------------------------------
const char* localeDir(const ccoc_host* host)
{
    return host != nullptr ? recordOf(host).environment->localeDir().c_str() : "";
}
void setTextDomain(const ccoc_host* host, const char* domain)
{
    if (host != nullptr) {
        recordOf(host).textDomain = domain != nullptr ? domain : "";
    }
}
const ccoc_i18n_service_v1 kI18nService = {sizeof(ccoc_i18n_service_v1), &language, &localeDir, &setTextDomain};

const void* getService(const ccoc_host* host, const char* id)
{
    if (host == nullptr || id == nullptr) {
        return nullptr;
    }
    const std::string_view name(id);
    if (name == CCOC_SERVICE_LOG) {
        return &kLogService;
    }
    if (name == CCOC_SERVICE_SETTINGS) {
        return &kSettingsService;
    }
    if (name == CCOC_SERVICE_IMGUI) {
        return &kImguiService;
    }
    if (name == CCOC_SERVICE_HOST_INFO) {
        return &kHostInfoService;
    }
    if (name == CCOC_SERVICE_I18N) {
        return &kI18nService;
    }
    if (name == CCOC_SERVICE_BUS) {
        return recordOf(host).environment->busService();
    }
    if (name == CCOC_SERVICE_DRIVERS) {
        return recordOf(host).environment->driversService();
    }
    return nullptr;
}

} // namespace

ccoc_host HostEnvironment::makeHostView(PluginRecord& record)
{
    ccoc_host view{};
    view.struct_size = sizeof(ccoc_host);
    view.abi_major = CCOC_ABI_MAJOR;
    view.abi_minor = CCOC_ABI_MINOR;
    view.host_name = "ccoc-host";
    view.host_version = CCOC_VERSION;
    view.host_data = &record;
    view.get_service = &getService;
    return view;
}

} // namespace ccoc::host
