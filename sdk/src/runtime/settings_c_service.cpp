#include "settings_c_service.hpp"

#include <variant>

namespace ccoc::runtime {
namespace {

// One resolver per process is all the runners need; a second call replaces it, since the table
// is static. Set before any plugin can call it (init comes after).
SettingsOf gResolve = nullptr;

const site::SettingValue* settingOf(const ccoc_host* host, const char* key)
{
    const site::Settings* settings = gResolve != nullptr ? gResolve(host) : nullptr;
    if (settings == nullptr || key == nullptr) {
        return nullptr;
    }
    const auto it = settings->values.find(key);
    return it == settings->values.end() ? nullptr : &it->second;
}

const ccoc_settings_service_v1 kSettingsService = {
    sizeof(ccoc_settings_service_v1),
    [](const ccoc_host* host, const char* key) -> const char* {
        const site::SettingValue* value = settingOf(host, key);
        const auto* text = value != nullptr ? std::get_if<std::string>(value) : nullptr;
        return text != nullptr ? text->c_str() : nullptr;
    },
    [](const ccoc_host* host, const char* key, int64_t* out) {
        const site::SettingValue* value = settingOf(host, key);
        const auto* number = value != nullptr ? std::get_if<int64_t>(value) : nullptr;
        if (number == nullptr || out == nullptr) {
            return false;
        }
        *out = *number;
        return true;
    },
    [](const ccoc_host* host, const char* key, double* out) {
        const site::SettingValue* value = settingOf(host, key);
        if (value == nullptr || out == nullptr) {
            return false;
        }
        if (const auto* d = std::get_if<double>(value)) {
            *out = *d;
            return true;
        }
        if (const auto* i = std::get_if<int64_t>(value)) {
            *out = static_cast<double>(*i);
            return true;
        }
        return false;
    },
    [](const ccoc_host* host, const char* key, bool* out) {
        const site::SettingValue* value = settingOf(host, key);
        const auto* flag = value != nullptr ? std::get_if<bool>(value) : nullptr;
        if (flag == nullptr || out == nullptr) {
            return false;
        }
        *out = *flag;
        return true;
    },
    [](const ccoc_host* host) -> const char* {
        const site::Settings* settings = gResolve != nullptr ? gResolve(host) : nullptr;
        return settings != nullptr ? settings->json.c_str() : "{}";
    },
    [](const ccoc_host* host, const char* key) -> const char* {
        const site::Settings* settings = gResolve != nullptr ? gResolve(host) : nullptr;
        if (settings == nullptr || key == nullptr) {
            return nullptr;
        }
        const std::string* origin = settings->originOf(key);
        return origin != nullptr ? origin->c_str() : nullptr;
    },
};

} // namespace

const ccoc_settings_service_v1* settingsService(SettingsOf resolve) noexcept
{
    gResolve = resolve;
    return &kSettingsService;
}

} // namespace ccoc::runtime
