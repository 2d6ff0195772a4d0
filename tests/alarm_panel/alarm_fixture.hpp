// alarm_fixture.hpp: a real broker, a peer playing the alarm service's part of the contract
// (sdk/docs/alarms.md: retained records and summary, the alarm.* commands with their rules), and
// the host's side as a panel sees it (a queued console client with a state mirror and the
// "ccoc.bus/1" C service), for the alarm panel's view-model tests.
#pragma once

#include "bus_c_service.hpp"
#include "temp_dir.hpp"

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/client.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ccoc::test {

/// A record as the service publishes it; fields not given keep the contract's defaults.
nlohmann::json alarmRecord(const std::string& id, int priority, const std::string& type, const std::string& device,
                           int64_t lastUs);

/// The alarm service's side of the contract, on a real bus client that owns the device "alarms".
/// Commands are answered on the client's I/O thread, as a service process would.
class AlarmServicePeer {
public:
    AlarmServicePeer(const std::string& frontend, const std::string& publisher);
    ~AlarmServicePeer();
    AlarmServicePeer(const AlarmServicePeer&) = delete;
    AlarmServicePeer& operator=(const AlarmServicePeer&) = delete;

    /// Publishes (or replaces) an open alarm and the summary.
    void raise(const nlohmann::json& record);
    /// Says the alarm was escalated to `screen` (event/alarms/escalated/), as the service does.
    void escalate(const std::string& id, int priority, const std::string& screen);
    /// Closes an alarm as the service does: the retained item leaves the open list.
    void closeAlarm(const std::string& id, const std::string& outcome);
    /// Publishes the journal's health (state/alarms/journal/): a fault with `notStored` alarms
    /// not written, or ok.
    void journalHealth(bool ok, int notStored);
    /// Every command received so far: "alarm.ack {args}".
    [[nodiscard]] std::vector<std::string> received() const;
    [[nodiscard]] nlohmann::json record(const std::string& id) const;

private:
    bus::Reply handle(const bus::IncomingCommand& command);
    void publish(const nlohmann::json& record);
    void remove(const std::string& id);
    void publishSummary();

    mutable std::mutex mutex_;
    std::map<std::string, nlohmann::json> open_;
    std::vector<nlohmann::json> closed_;
    std::vector<std::string> received_;
    std::unique_ptr<bus::Client> client_;
};

/// Broker + service peer + the host's console client and C service.
class AlarmBus {
public:
    AlarmBus();
    ~AlarmBus();
    AlarmBus(const AlarmBus&) = delete;
    AlarmBus& operator=(const AlarmBus&) = delete;

    AlarmServicePeer& service() { return *service_; }
    [[nodiscard]] const ccoc_host* host() const { return &host_; }
    [[nodiscard]] static const ccoc_bus_service_v1* table();
    /// Runs "frames" (queued callbacks, then `frame(nowSec)`) every 20 ms until `done` or timeout.
    bool until(const std::function<void(double)>& frame, const std::function<bool()>& done,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    TempDir dir_{"ccoc-alarm-panel"}; // the broker's ipc endpoints; first, so removed last
    std::unique_ptr<bus::Broker> broker_;
    std::unique_ptr<AlarmServicePeer> service_;
    std::unique_ptr<bus::Client> console_;
    std::unique_ptr<runtime::BusCService> cservice_;
    ccoc_host host_{};
};

double steadyNowSec();

}  // namespace ccoc::test
