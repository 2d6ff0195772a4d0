// startEmbeddedAlarmService: the host's one call into the alarm service.
#include "embedded_alarms.hpp"

namespace ccoc::alarm_service {

std::unique_ptr<AlarmService> startEmbeddedAlarmService(const site::Site& site, LogSink log) {
    if (site.alarmServiceMode() != site::AlarmServiceMode::Embedded) {
        if (log) {
            log(LogLevel::Info, site.alarmServiceMode() == site::AlarmServiceMode::External
                                    ? "alarm service: external (ccoc-alarmd)"
                                    : "alarm service: off");
        }
        return nullptr;
    }
    AlarmServiceConfig config;
    if (bus::Status read = alarmServiceConfigFromSite(site, config); !read.ok()) {
        if (log) {
            log(LogLevel::Error, "the alarm service did not start: " + read.error);
        }
        return nullptr;
    }
    config.log = log;
    auto service = std::make_unique<AlarmService>(site, std::move(config));
    if (bus::Status started = service->start(); !started.ok()) {
        if (log) {
            log(LogLevel::Error, "the alarm service did not start: " + started.error);
        }
        return nullptr;
    }
    return service;
}

} // namespace ccoc::alarm_service
