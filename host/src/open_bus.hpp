// A bus without security (`[bus] security = "none"`, the default) lets any process that reaches its
// endpoints say hello as any driver or console: receive that driver's commands, publish alarms in
// its name, get the real one declared hung. On loopback that is every process of this machine; on
// any other endpoint, every machine that can route to it. The host says so when it starts the bus
// (BusRuntime::start) and `ccoc-host --check` prints the same warning (site_check.cpp).
//
// Thread: any; no shared state (reads the site file again for the position of the key).
#pragma once

#include "ccoc/site.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ccoc::host {

// Whether only processes of this machine can reach `endpoint`: tcp:// on 127.x.y.z, localhost,
// [::1] or the interface lo; ipc:// and inproc://. A wildcard (tcp://*, tcp://0.0.0.0), another
// address or a host name is not local.
bool isLocalEndpoint(std::string_view endpoint);

struct OpenBusNotice {
    bool warning = false; // true: other machines can reach the bus; false: only this one can
    std::string message;  // "FILE:LINE:COL: ..." at [bus] security, or the endpoint's key
};

// For a bus without security on these endpoints (the ones the host uses: [bus] or the
// CCOC_BUS_FRONTEND / CCOC_BUS_PUBLISHER overrides): a warning when one of them is not local,
// else the note that every local process can join. nullopt with security = "curve".
std::optional<OpenBusNotice> openBusNotice(const site::Site& site, const std::string& frontend,
                                           const std::string& publisher);

} // namespace ccoc::host
