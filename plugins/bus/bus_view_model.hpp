// What the bus panel shows, gathered through "ccoc.bus/1" only: drivers as the broker sees them
// (online, session, last heard, devices) joined with the host supervisor's view (process state,
// restarts), devices with retained state, and message rates. No ImGui here.
//
// Thread: main thread (the service's callbacks run there in the host).
#pragma once

#include "ccoc/bus.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ccoc::buspanel {

struct DriverRow {
    std::string id;
    bool online = false;
    bool known = false;        // the broker has heard of it
    std::string session;
    std::vector<std::string> devices;
    int64_t lastHeardUs = 0;   // wall clock
    std::string process = "-"; // supervisor state: running, backoff, crash-loop, ...
    int64_t restarts = -1;     // -1: not supervised by this host
    std::string lastExit;
};

struct DeviceRow {
    std::string id;
    std::string source;
    size_t keys = 0;
    bool stale = false;
    int64_t lastUpdateUs = 0;
};

struct Rates {
    double state = 0;
    double event = 0;
    double telemetry = 0;
};

class BusViewModel {
public:
    BusViewModel(const ccoc_host* host, const ccoc_bus_service_v1* bus);
    ~BusViewModel();
    BusViewModel(const BusViewModel&) = delete;
    BusViewModel& operator=(const BusViewModel&) = delete;
    BusViewModel(BusViewModel&&) = delete;
    BusViewModel& operator=(BusViewModel&&) = delete;

    // Re-reads the retained state at most every 0.5 s (0.1 s while no driver is known) and
    // updates the rates once a second.
    void refresh(double nowSec);

    [[nodiscard]] bool available() const noexcept { return bus_ != nullptr; }
    [[nodiscard]] const std::vector<DriverRow>& drivers() const noexcept { return drivers_; }
    [[nodiscard]] const std::vector<DeviceRow>& devices() const noexcept { return devices_; }
    [[nodiscard]] const Rates& rates() const noexcept { return rates_; }

private:
    static void onMessage(void* user, const ccoc_bus_message* message);
    static void onState(void* user, const ccoc_bus_state_entry* entry);
    void readAll();

    const ccoc_host* host_;
    const ccoc_bus_service_v1* bus_;
    uint64_t subscription_ = 0;
    double lastReadSec_ = -1;
    double rateWindowStartSec_ = -1;
    uint64_t counts_[3] = {0, 0, 0};
    Rates rates_;
    std::map<std::string, DriverRow> driverMap_;
    std::map<std::string, DeviceRow> deviceMap_;
    std::vector<DriverRow> drivers_;
    std::vector<DeviceRow> devices_;
};

} // namespace ccoc::buspanel
