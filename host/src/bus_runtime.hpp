// The bus inside ccoc-host: the embedded broker, the host's own bus client (whose callbacks reach
// plugins on the main thread through the client's bounded queue), the "ccoc.bus/1" service for
// panels, and the supervisor of the site's driver and service processes.
//
// Threads: constructed, started, pumped and stopped on the main thread. pump() only runs queued
// callbacks (bounded per frame) and reads a cached health value; it never touches a socket or
// waits for a driver. A monitor thread publishes the supervisor's view of each driver and service
// on the bus, kills those that stopped answering (by the broker's retained
// state/_bus/drivers/ID/), raises a device-fault alarm for one that is down, and computes the
// status bar's health. Services are supervised exactly as drivers; below, "driver" means either.
#pragma once

#include "bus_c_service.hpp"
#include "driver_supervisor.hpp"

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/client.hpp"
#include "ccoc/site.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ccoc::host {

struct BusHealth {
    std::string text = "bus: starting"; // for the log: English
    std::string shown = text;           // the same for the status bar, in the interface language
    bool healthy = false;
};

class BusRuntime {
public:
    // `pluginSearchPath`: where [[driver]] and [[service]] plugin ids are looked up;
    // `executablePath`: argv[0] of the host, to find ccoc-driverd and ccoc-serviced beside it.
    BusRuntime(const site::Site& site, std::vector<std::string> pluginSearchPath, std::string executablePath);
    ~BusRuntime();
    BusRuntime(const BusRuntime&) = delete;
    BusRuntime& operator=(const BusRuntime&) = delete;
    BusRuntime(BusRuntime&&) = delete;
    BusRuntime& operator=(BusRuntime&&) = delete;

    // Starts the broker (unless the bus is external), the host's client and the drivers. An error
    // is logged and leaves the host running without a bus (the status bar says so).
    bool start();
    // Stops the drivers, the client and the broker, in that order.
    void stop();

    // [main-thread] Runs up to `maxCallbacks` queued bus callbacks of plugins.
    void pump(size_t maxCallbacks = 2000);
    // [main-thread] The "ccoc.bus/1" table, or nullptr when the bus did not start.
    [[nodiscard]] const void* service() const noexcept;
    // [any-thread] What the status bar shows.
    [[nodiscard]] BusHealth health() const;

    // [any-thread] The supervisor's view of the drivers; empty without a bus.
    [[nodiscard]] std::vector<DriverStatus> driverStatus() const;
    // [any-thread] Starts a driver that is down now (the system panel's "Restart now").
    bool restartDriver(std::string_view id, const std::string& who);

private:
    // The monitor thread's memory of one driver.
    struct DriverWatch {
        std::string published;      // the status JSON last published
        pid_t pid = 0;              // the run the fields below are about
        int64_t runStartWallUs = 0; // when the monitor first saw that run
        bool seenOnline = false;    // the broker said online during this run
        std::string runSession;     // this run's bus session, as the broker last said online
        std::string previousSession; // the run before's: its retained word is not about this run
        double offlineSeenSec = 0;  // when the monitor first saw the broker say offline (0: not, -1: killed)
        double silentSinceSec = 0;  // then: since when the broker has not heard it (monotonic)
        bool alarmRaised = false;   // a device-fault alarm is on the bus for this driver
        uint64_t alarmCount = 0;    // makes each down episode's event_id unique
    };

    void monitor();
    // In driver_monitor.cpp, on the monitor thread:
    void publishDriverStatus(const std::vector<DriverStatus>& status);
    void watchPresence(const std::vector<DriverStatus>& status);
    void killSilentDrivers(const std::vector<DriverStatus>& status);
    void raiseDownAlarms(const std::vector<DriverStatus>& status);
    void updateHealth(const std::vector<DriverStatus>& status);
    [[nodiscard]] std::vector<DriverLaunch> driverLaunches() const;
    // On a CURVE bus: hands the driver the path of its own key ([[bus.allow]] name = its id) in
    // its environment. False (said in the log) when ccoc-driverd would have no usable key.
    [[nodiscard]] bool addDriverKeys(const site::Driver& driver, DriverLaunch& launch) const;

    const site::Site& site_;
    std::vector<std::string> pluginSearchPath_;
    std::string executablePath_;
    std::string frontend_;
    std::string publisher_;
    std::string sourceId_;
    std::string supervisorDevice_; // "supervisor.STATION": the host's state and alarms about drivers
    std::unique_ptr<bus::Broker> broker_;
    std::unique_ptr<bus::Client> client_;
    std::unique_ptr<runtime::BusCService> service_;
    std::unique_ptr<DriverSupervisor> supervisor_;

    mutable std::mutex healthMutex_;
    BusHealth health_;
    std::mutex monitorMutex_;
    std::condition_variable monitorWake_;
    bool monitorStop_ = false;
    std::thread monitorThread_;
    std::vector<DriverWatch> watch_; // [monitor] per driver, in the supervisor's order
};

} // namespace ccoc::host
