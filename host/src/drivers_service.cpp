// "ccoc.drivers/1": a main-thread copy of the supervisor's view, refreshed by driver_count, so the
// strings a panel holds stay valid while it draws one frame.
#include "drivers_service.hpp"

#include "bus_runtime.hpp"
#include "host_environment.hpp"
#include "plugin_loader.hpp"

#include "ccoc/drivers_service.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace ccoc::host {
namespace {

BusRuntime* gRuntime = nullptr;          // [main-thread]
std::vector<DriverStatus> gSnapshot;     // [main-thread] the copy driver_at reads
std::vector<std::string> gStateNames;    // [main-thread] runStateName of each, as C strings

double monotonicSeconds()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

uint32_t driverCount(const ccoc_host* /*host*/)
{
    gSnapshot = gRuntime != nullptr ? gRuntime->driverStatus() : std::vector<DriverStatus>{};
    gStateNames.clear();
    for (const auto& s : gSnapshot) {
        gStateNames.emplace_back(runStateName(s.state));
    }
    return static_cast<uint32_t>(gSnapshot.size());
}

bool driverAt(const ccoc_host* /*host*/, uint32_t index, ccoc_driver_info* out)
{
    if (out == nullptr || index >= gSnapshot.size() || out->struct_size < sizeof(uint32_t)) {
        return false;
    }
    const DriverStatus& s = gSnapshot[index];
    ccoc_driver_info info{};
    info.struct_size = out->struct_size;
    info.id = s.id.c_str();
    info.state = gStateNames[index].c_str();
    info.last_exit = s.lastExit.c_str();
    info.pid = static_cast<int32_t>(s.pid);
    info.starts = s.starts;
    const bool resting = s.state == DriverRunState::Backoff || isDown(s.state);
    info.retry_in_ms = resting ? static_cast<int64_t>(std::max(0.0, s.nextStartSec - monotonicSeconds()) * 1000) : 0;
    info.down = isDown(s.state);
    info.kind = s.kind.c_str();
    // Only the fields the caller's struct has room for (an older plugin's is smaller).
    std::copy_n(reinterpret_cast<const unsigned char*>(&info), std::min<size_t>(out->struct_size, sizeof info),
                reinterpret_cast<unsigned char*>(out));
    return true;
}

bool restartNow(const ccoc_host* host, const char* id)
{
    if (gRuntime == nullptr || id == nullptr) {
        return false;
    }
    std::string who = "an operator";
    if (host != nullptr) {
        const auto& record = *static_cast<const PluginRecord*>(host->host_data);
        const site::Site* site = record.environment != nullptr ? record.environment->site() : nullptr;
        if (site != nullptr && !site->ui.operatorName.empty()) {
            who = site->ui.operatorName;
        }
        who += " (panel " + (record.id.empty() ? record.requested : record.id) + ")";
    }
    return gRuntime->restartDriver(id, who);
}

const ccoc_drivers_service_v1 kDriversService = {sizeof(ccoc_drivers_service_v1), &driverCount, &driverAt, &restartNow};

} // namespace

const void* attachDriversService(BusRuntime* runtime)
{
    gRuntime = runtime;
    gSnapshot.clear();
    gStateNames.clear();
    return runtime != nullptr ? &kDriversService : nullptr;
}

} // namespace ccoc::host
