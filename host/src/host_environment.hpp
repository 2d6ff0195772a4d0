// What the host offers plugins: the services behind ccoc_host.get_service ("ccoc.log/1",
// "ccoc.settings/1", "ccoc.imgui/1", "ccoc.host-info/1", "ccoc.i18n/1"; "ccoc.bus/1" and "ccoc.drivers/1" once a bus is attached).
//
// Thread: constructed and changed on the main thread; the [any-thread] services only read data
// that does not change after the plugin's init.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "ccoc/plugin.h"
#include "ccoc/site.hpp"

namespace ccoc::host {

class PluginLoader;
struct PluginRecord;

class HostEnvironment {
public:
    explicit HostEnvironment(const site::Site* site) : site_(site)
    {
        if (site_ != nullptr) {
            language_ = site_->ui.language;
        }
    }

    // Builds the ccoc_host a plugin sees; its host_data points at the record.
    ccoc_host makeHostView(PluginRecord& record);

    void setLoader(const PluginLoader* loader) noexcept { loader_ = loader; }
    void setScreenCount(uint32_t count) noexcept { screenCount_ = count; }
    void setFramesPerSecond(double fps) noexcept { framesPerSecond_ = fps; }
    // An extra service (the bus attaches "ccoc.bus/1" here). `service` must outlive the plugins.
    void setBusService(const void* service) noexcept { busService_ = service; }
    // "ccoc.drivers/1" when the host supervises drivers. `service` must outlive the plugins.
    void setDriversService(const void* service) noexcept { driversService_ = service; }

    // [main-thread] The interface language plugins see ("ccoc.i18n/1", "ccoc.host-info/1"); the
    // site's [ui] language at first. Setting it does not translate: see interface_language.hpp.
    void setLanguage(std::string language) { language_ = std::move(language); }
    [[nodiscard]] const std::string& language() const noexcept { return language_; }
    // The folder of the compiled catalogues, handed to plugins; set before they load.
    void setLocaleDir(std::string dir) { localeDir_ = std::move(dir); }
    [[nodiscard]] const std::string& localeDir() const noexcept { return localeDir_; }

    [[nodiscard]] const site::Site* site() const noexcept { return site_; }
    [[nodiscard]] const PluginLoader* loader() const noexcept { return loader_; }
    [[nodiscard]] uint32_t screenCount() const noexcept { return screenCount_; }
    [[nodiscard]] double framesPerSecond() const noexcept { return framesPerSecond_; }
    [[nodiscard]] const void* busService() const noexcept { return busService_; }
    [[nodiscard]] const void* driversService() const noexcept { return driversService_; }

private:
    const site::Site* site_ = nullptr;
    const PluginLoader* loader_ = nullptr;
    uint32_t screenCount_ = 0;
    double framesPerSecond_ = 0.0;
    const void* busService_ = nullptr;
    const void* driversService_ = nullptr;
    std::string language_ = "en";
    std::string localeDir_;
};

} // namespace ccoc::host
