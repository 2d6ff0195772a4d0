#include "sensor_tracker.hpp"

#include "sensor_payload.hpp"

#include <algorithm>

namespace ccoc::mqtt {
namespace {

using Json = nlohmann::json;

// Payload text may carry invalid UTF-8: replace it rather than fail (the bus takes UTF-8 only).
std::string dumpJson(const Json& value)
{
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// What the operator reads ("Front door: open").
std::string describe(const std::string& label, const std::string& type, bool active)
{
    std::string what;
    if (type == "door") {
        what = active ? "open" : "closed";
    } else if (type == "motion") {
        what = active ? "motion detected" : "no motion";
    } else if (type == "water") {
        what = active ? "water leak" : "dry";
    } else if (type == "smoke") {
        what = active ? "smoke detected" : "smoke cleared";
    } else if (type == "tamper") {
        what = active ? "tampered" : "tamper restored";
    } else {
        what = type + (active ? " raised" : " restored");
    }
    return label + ": " + what;
}

Publication alarm(const std::string& device, const std::string& type, bool active, const std::string& point,
                  const std::string& text, const std::string& code)
{
    Json payload = {{"type", type}, {"active", active}, {"text", text}, {"code", code}};
    if (!point.empty()) {
        payload["point"] = point;
    }
    return {true, device + "/alarm", dumpJson(payload)};
}

} // namespace

SensorTracker::SensorTracker(MqttSettings settings) : settings_(std::move(settings))
{
    for (const auto& sensor : settings_.sensors) {
        devices_[sensor.device];
    }
}

std::vector<std::string> SensorTracker::topics() const
{
    std::vector<std::string> topics;
    const auto add = [&](const std::string& topic) {
        if (!topic.empty() && std::find(topics.begin(), topics.end(), topic) == topics.end()) {
            topics.push_back(topic);
        }
    };
    for (const auto& sensor : settings_.sensors) {
        add(sensor.stateTopic);
        add(sensor.availabilityTopic);
    }
    return topics;
}

std::vector<Publication> SensorTracker::initial()
{
    std::vector<Publication> out;
    for (const auto& id : settings_.devices()) {
        out.push_back({false, id + "/online", "false"});
    }
    return out;
}

std::vector<Publication> SensorTracker::connected()
{
    brokerConnected_ = true;
    attempted_ = true;
    brokerReason_.clear();
    std::vector<Publication> out;
    for (const auto& id : settings_.devices()) {
        updateDevice(id, out);
    }
    return out;
}

std::vector<Publication> SensorTracker::disconnected(const std::string& reason)
{
    brokerConnected_ = false;
    attempted_ = true;
    brokerReason_ = reason;
    std::vector<Publication> out;
    for (const auto& id : settings_.devices()) {
        updateDevice(id, out);
    }
    return out;
}

// Publishes `online` and raises or clears device_fault when the device's condition changed.
void SensorTracker::updateDevice(const std::string& device, std::vector<Publication>& out)
{
    DeviceState& state = devices_[device];
    std::string reason;
    bool online = brokerConnected_;
    if (!brokerConnected_) {
        reason = "MQTT broker " + settings_.host + ":" + std::to_string(settings_.port) + " unreachable: " + brokerReason_;
    }
    for (const auto& [topic, available] : state.availability) {
        if (online && !available) {
            online = false;
            reason = "sensor offline (" + topic + ")";
        }
    }
    if (online != state.online) {
        state.online = online;
        out.push_back({false, device + "/online", online ? "true" : "false"});
    }
    if (!online && attempted_ && !state.faultRaised) {
        state.faultRaised = true;
        state.offlineReason = reason;
        out.push_back(alarm(device, "device_fault", true, {}, device + ": " + reason, "offline"));
    } else if (online && state.faultRaised) {
        state.faultRaised = false;
        out.push_back(alarm(device, "device_fault", false, {}, device + ": back online", "online"));
    }
}

std::vector<Publication> SensorTracker::message(const std::string& topic, std::string_view payload,
                                                std::vector<std::string>& problems)
{
    std::vector<Publication> out;
    bool claimed = false;
    for (size_t i = 0; i < settings_.sensors.size(); ++i) {
        const SensorSettings& sensor = settings_.sensors[i];
        if (topic == sensor.availabilityTopic) {
            claimed = true;
            std::string problem;
            if (const auto available = decodeAvailability(payload, problem)) {
                devices_[sensor.device].availability[topic] = *available;
                updateDevice(sensor.device, out);
            } else if (std::find(problems.begin(), problems.end(), problem) == problems.end()) {
                problems.push_back(problem);
            }
        }
        if (topic == sensor.stateTopic) {
            claimed = true;
            stateMessage(i, payload, out, problems);
        }
    }
    if (!claimed) {
        problems.push_back("no sensor listens on this topic; expected one of the configured state or availability topics");
    }
    return out;
}

// Publishes a changed value as state, and as an alarm event when it changed the condition. A
// repeat of the same value (Zigbee2MQTT resends its whole state often) publishes nothing.
void SensorTracker::stateMessage(size_t sensorIndex, std::string_view payload, std::vector<Publication>& out,
                                 std::vector<std::string>& problems)
{
    const SensorSettings& sensor = settings_.sensors[sensorIndex];
    DecodeResult decoded = decodeState(sensor, payload);
    for (auto& problem : decoded.problems) {
        problems.push_back(std::move(problem));
    }
    for (const Reading& reading : decoded.readings) {
        const auto key = std::make_pair(sensorIndex, reading.stateKey);
        const auto last = lastActive_.find(key);
        const bool first = last == lastActive_.end();
        if (!first && last->second == reading.active) {
            continue;
        }
        lastActive_[key] = reading.active;
        Json value = {{"active", reading.active}, {"value", reading.raw}};
        if (reading.alarmType == "door") {
            value["open"] = reading.active;
        }
        out.push_back({false, sensor.device + "/" + reading.stateKey, dumpJson(value)});
        // The first value seen is news only when it is an alarm: a closed door needs no restore.
        if (!first || reading.active) {
            out.push_back(alarm(sensor.device, reading.alarmType, reading.active, sensor.point,
                                describe(sensor.label, reading.alarmType, reading.active), reading.code));
        }
    }
}

} // namespace ccoc::mqtt
