// What the MQTT driver knows of its sensors: last value of each, availability, the broker link,
// and what to publish on the bus when any of it changes. Pure logic, no MQTT, no bus: it returns
// the publications and the caller sends them. Not thread-safe: one thread owns it.
#pragma once

#include "mqtt_settings.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::mqtt {

struct Publication {
    bool event = false;  // true: a reliable event; false: retained state
    std::string path;    // "door-front/alarm", "door-front/contact"
    std::string json;
};

class SensorTracker {
public:
    explicit SensorTracker(MqttSettings settings);

    // Every MQTT topic to subscribe to (state and availability), each once.
    [[nodiscard]] std::vector<std::string> topics() const;
    [[nodiscard]] const MqttSettings& settings() const noexcept { return settings_; }

    // Before any connection: every device's `online` is false (no fault raised yet).
    std::vector<Publication> initial();
    // The broker accepted the connection: devices without an `offline` availability are online.
    std::vector<Publication> connected();
    // The connection was lost or could not be made: every device offline, with a device_fault.
    std::vector<Publication> disconnected(const std::string& reason);
    // A message arrived. Problems with the payload (each "what; expected what") go to `problems`;
    // a topic no sensor listens on is one too.
    std::vector<Publication> message(const std::string& topic, std::string_view payload,
                                     std::vector<std::string>& problems);

private:
    struct DeviceState {
        std::map<std::string, bool> availability; // availability topic -> online
        bool online = false;
        bool faultRaised = false;
        std::string offlineReason;
    };

    void updateDevice(const std::string& device, std::vector<Publication>& out);
    void stateMessage(size_t sensorIndex, std::string_view payload, std::vector<Publication>& out,
                      std::vector<std::string>& problems);

    MqttSettings settings_;
    std::map<std::string, DeviceState> devices_;
    // (sensor index, state key) -> last "active" seen
    std::map<std::pair<size_t, std::string>, bool> lastActive_;
    bool brokerConnected_ = false;
    bool attempted_ = false;   // a connection was tried: from now on offline is a fault
    std::string brokerReason_; // why the link is down
};

} // namespace ccoc::mqtt
