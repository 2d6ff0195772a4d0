// Entry point of the system plugin: each panel registers itself in its own file.
#include "ccoc/plugin.hpp"

namespace {

bool initSystem(const ccoc::Host& host)
{
    if (host.service(CCOC_SERVICE_HOST_INFO) == nullptr) {
        host.error("the host offers no ccoc.host-info/1 service; the system panels need it");
        return false;
    }
    return true;
}

} // namespace

CCOC_PLUGIN_INIT(initSystem);
CCOC_PLUGIN("ccoc.system", "System", CCOC_PLUGIN_VERSION, "CCOC")
