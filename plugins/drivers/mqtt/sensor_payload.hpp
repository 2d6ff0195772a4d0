// Decoding of sensor payloads (Zigbee2MQTT, Shelly, plain text, JSON with a field mapping) into
// readings: pure functions, no MQTT, no bus.
#pragma once

#include "mqtt_settings.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::mqtt {

// One value a sensor reported.
struct Reading {
    std::string stateKey;  // retained state key under the device ("contact")
    std::string alarmType; // "door"
    bool active = false;   // the alarm condition holds (door open)
    nlohmann::json raw;    // the value as it came (false, "open", "ON")
    std::string code;      // the raw payload field for the alarm's `code` ("contact=false", "ON")
};

// What a payload gave: readings, and what was wrong with it (each "what; expected what").
struct DecodeResult {
    std::vector<Reading> readings;
    std::vector<std::string> problems;
};

// Decodes a state payload of `sensor`. A Zigbee2MQTT payload without any watched field (a
// battery report) gives no readings and no problem.
DecodeResult decodeState(const SensorSettings& sensor, std::string_view payload);

// Decodes an availability payload: `online`/`offline`, `true`/`false`, `1`/`0` as text, or a
// JSON object {"state": "online"}. nullopt (and `problem` set) when it is none of these.
std::optional<bool> decodeAvailability(std::string_view payload, std::string& problem);

// A payload shortened and made printable for a log line (at most 80 characters).
std::string describePayload(std::string_view payload);

} // namespace ccoc::mqtt
