// "ccoc.drivers/1" (ccoc/drivers_service.h): the host's drivers for panels, and "Restart now".
//
// Thread: attach, detach and every service function on the main thread.
#pragma once

namespace ccoc::host {

class BusRuntime;

// Points the service at the runtime whose supervisor it shows (nullptr: no drivers). Returns the
// service table for HostEnvironment::setDriversService. `runtime` must outlive the plugins.
const void* attachDriversService(BusRuntime* runtime);

} // namespace ccoc::host
