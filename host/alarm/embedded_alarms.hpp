// The alarm service as ccoc-host runs it: started when the site's [alarms] service is "embedded"
// (the default when the site has an alarm source), on the site's bus.
//
// Thread: the host's main thread calls both functions; the service then runs on its own threads.
#pragma once

#include "alarm_service.hpp"

#include "ccoc/site.hpp"

#include <memory>

namespace ccoc::alarm_service {

// Starts the service when site.alarmServiceMode() is Embedded; null otherwise, or when it cannot
// start (said through `log`: the host then runs without alarms rather than not at all).
std::unique_ptr<AlarmService> startEmbeddedAlarmService(const site::Site& site, LogSink log);

} // namespace ccoc::alarm_service
