// Small C++ view of the host's "ccoc.host-info/1" service for the system panels.
#pragma once

#include <string>
#include <vector>

#include "ccoc/plugin.hpp"

namespace ccoc::system_plugin {

struct PluginRow {
    bool loaded = false;
    std::string id, name, version, path, imguiVersion, reason;
    uint32_t abiMajor = 0, abiMinor = 0;
};

class HostInfo {
public:
    explicit HostInfo(const Host& host)
        : host_(host),
          service_(static_cast<const ccoc_host_info_service_v1*>(host.service(CCOC_SERVICE_HOST_INFO)))
    {
    }
    [[nodiscard]] bool available() const noexcept { return service_ != nullptr; }
    [[nodiscard]] std::string siteName() const { return call(service_->site_name); }
    [[nodiscard]] std::string siteNameEn() const { return call(service_->site_name_en); }
    [[nodiscard]] std::string stationCode() const { return call(service_->station_code); }
    [[nodiscard]] std::string siteFile() const { return call(service_->site_file); }
    [[nodiscard]] std::string operatorName() const { return call(service_->operator_name); }
    [[nodiscard]] uint32_t screenCount() const { return service_->screen_count(host_.raw()); }
    [[nodiscard]] double framesPerSecond() const { return service_->frames_per_second(host_.raw()); }
    [[nodiscard]] std::vector<PluginRow> plugins() const
    {
        std::vector<PluginRow> rows;
        const uint32_t count = service_->plugin_count(host_.raw());
        for (uint32_t i = 0; i < count; ++i) {
            ccoc_plugin_info info{};
            info.struct_size = sizeof(info);
            if (!service_->plugin_at(host_.raw(), i, &info)) {
                continue;
            }
            PluginRow row;
            row.loaded = info.state == CCOC_PLUGIN_LOADED;
            row.id = text(info.id);
            row.name = text(info.name);
            row.version = text(info.version);
            row.path = text(info.path);
            row.imguiVersion = text(info.imgui_version);
            row.reason = text(info.reason);
            row.abiMajor = info.abi_major;
            row.abiMinor = info.abi_minor;
            rows.push_back(std::move(row));
        }
        return rows;
    }

private:
    static std::string text(const char* value) { return value != nullptr ? value : ""; }
    std::string call(const char* (*fn)(const ccoc_host*)) const { return text(fn(host_.raw())); }

    const Host& host_;
    const ccoc_host_info_service_v1* service_;
};

} // namespace ccoc::system_plugin
