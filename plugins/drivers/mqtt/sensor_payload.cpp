#include "sensor_payload.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace ccoc::mqtt {
namespace {

using Json = nlohmann::json;

constexpr std::array kActiveWords = {"on", "1", "true", "open", "active", "detected", "alarm", "wet", "yes"};
constexpr std::array kInactiveWords = {"off", "0", "false", "closed", "close", "inactive", "clear", "normal", "dry", "no"};
constexpr const char* kWordsExpected = "ON/OFF, 1/0, true/false or open/closed";

std::string trimmedLower(std::string_view text)
{
    size_t begin = 0;
    size_t end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])) != 0) {
        ++begin;
    }
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])) != 0) {
        --end;
    }
    std::string out(text.substr(begin, end - begin));
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// "on"/"off" and their kin; nullopt for anything else.
std::optional<bool> wordState(const std::string& word)
{
    if (std::find(kActiveWords.begin(), kActiveWords.end(), word) != kActiveWords.end()) {
        return true;
    }
    if (std::find(kInactiveWords.begin(), kInactiveWords.end(), word) != kInactiveWords.end()) {
        return false;
    }
    return std::nullopt;
}

// The value at a dotted path ("status.door"); nullptr when absent.
const Json* fieldAt(const Json& document, const std::string& path)
{
    const Json* node = &document;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t dot = std::min(path.find('.', start), path.size());
        const std::string name = path.substr(start, dot - start);
        if (!node->is_object() || !node->contains(name)) {
            return nullptr;
        }
        node = &(*node)[name];
        start = dot + 1;
    }
    return node;
}

// Equal values; strings compared without regard to case ("OPEN" is "open").
bool sameValue(const Json& value, const Json& wanted)
{
    if (value.is_string() && wanted.is_string()) {
        return trimmedLower(value.get<std::string>()) == trimmedLower(wanted.get<std::string>());
    }
    if (value.is_number() && wanted.is_number()) {
        return value.get<double>() == wanted.get<double>();
    }
    return value == wanted;
}

const char* kindOf(const Json& value)
{
    if (value.is_boolean()) {
        return "a boolean";
    }
    if (value.is_number()) {
        return "a number";
    }
    if (value.is_string()) {
        return "a string";
    }
    return value.is_null() ? "null" : "an object or array";
}

bool sameKind(const Json& a, const Json& b)
{
    return (a.is_boolean() && b.is_boolean()) || (a.is_number() && b.is_number()) || (a.is_string() && b.is_string());
}

// Maps one JSON field; returns false (and a problem) when its value is of the wrong kind.
void mapField(const FieldMapping& mapping, const Json& value, DecodeResult& result)
{
    const std::string name = mapping.field.empty() ? "the payload" : "'" + mapping.field + "'";
    Reading reading;
    reading.stateKey = mapping.stateKey;
    reading.alarmType = mapping.alarmType;
    reading.raw = value;
    reading.code = (mapping.field.empty() ? std::string() : mapping.field + "=") + value.dump();
    if (sameValue(value, mapping.activeValue)) {
        reading.active = true;
    } else if (mapping.inactiveValue.has_value()) {
        if (!sameValue(value, *mapping.inactiveValue)) {
            result.problems.push_back(name + " is " + value.dump() + "; expected " + mapping.activeValue.dump() + " or " +
                                      mapping.inactiveValue->dump());
            return;
        }
    } else if (!sameKind(value, mapping.activeValue)) {
        result.problems.push_back(name + " is " + std::string(kindOf(value)) + " (" + value.dump() + "); expected " +
                                  kindOf(mapping.activeValue) + " like " + mapping.activeValue.dump());
        return;
    }
    result.readings.push_back(std::move(reading));
}

void decodeZigbee2Mqtt(const SensorSettings& sensor, std::string_view payload, DecodeResult& result)
{
    const Json document = Json::parse(payload, nullptr, false);
    if (!document.is_object()) {
        result.problems.push_back("payload " + describePayload(payload) + " is not a JSON object; expected Zigbee2MQTT "
                                  "state like {\"contact\": false}");
        return;
    }
    for (const auto& mapping : sensor.fields) {
        const Json* value = fieldAt(document, mapping.field);
        // Zigbee2MQTT sends null for a value it has not read yet: nothing to report.
        if (value != nullptr && !value->is_null()) {
            mapField(mapping, *value, result);
        }
    }
}

void decodeJson(const SensorSettings& sensor, std::string_view payload, DecodeResult& result)
{
    const Json document = Json::parse(payload, nullptr, false);
    if (document.is_discarded()) {
        result.problems.push_back("payload " + describePayload(payload) + " is not JSON; expected a JSON object");
        return;
    }
    for (const auto& mapping : sensor.fields) {
        const Json* value = fieldAt(document, mapping.field);
        if (value == nullptr) {
            result.problems.push_back("no field '" + mapping.field + "' in " + describePayload(payload) +
                                      "; expected a JSON object with it");
            continue;
        }
        mapField(mapping, *value, result);
    }
}

// A Shelly Gen2 JSON-RPC notification on <id>/events/rpc, for one component of the device. Only
// what concerns that component gives readings; the device's other notifications (wifi, sys,
// other inputs) are no problem. NotifyStatus and NotifyFullStatus carry the component's status
// (a partial one may lack the field); NotifyEvent carries button events: btn_down/btn_up hold
// and release, a push (single, double, triple, long) is raised and at once restored, so every
// push reaches the alarm service even though the last one left the sensor "active".
void decodeShellyRpc(const SensorSettings& sensor, std::string_view payload, DecodeResult& result)
{
    const Json document = Json::parse(payload, nullptr, false);
    const Json* method = document.is_object() ? fieldAt(document, "method") : nullptr;
    if (method == nullptr || !method->is_string()) {
        result.problems.push_back("payload " + describePayload(payload) +
                                  " is not a Shelly Gen2 notification; expected JSON-RPC like "
                                  "{\"method\":\"NotifyStatus\",\"params\":{\"" + sensor.shellyComponent +
                                  "\":{\"id\":0,\"state\":true}}}");
        return;
    }
    const Json* params = fieldAt(document, "params");
    if (params == nullptr || !params->is_object()) {
        return; // a notification without parameters says nothing about any input
    }
    const std::string name = method->get<std::string>();
    const auto add = [&](bool active, Json raw, std::string code) {
        Reading reading;
        reading.stateKey = sensor.stateKey;
        reading.alarmType = sensor.alarmType;
        reading.active = active;
        reading.raw = std::move(raw);
        reading.code = std::move(code);
        result.readings.push_back(std::move(reading));
    };
    if (name == "NotifyStatus" || name == "NotifyFullStatus") {
        const auto component = params->find(sensor.shellyComponent);
        if (component == params->end() || !component->is_object()) {
            return;
        }
        // An input reports "state", a switch (relay) its "output".
        const std::string field = sensor.shellyComponent.rfind("switch:", 0) == 0 ? "output" : "state";
        const auto value = component->find(field);
        if (value == component->end()) {
            return; // a partial status without the field: nothing changed there
        }
        if (!value->is_boolean()) {
            result.problems.push_back(sensor.shellyComponent + "." + field + " is " + value->dump() + " in " +
                                      describePayload(payload) + "; expected true or false (an input in switch or "
                                      "button mode)");
            return;
        }
        add(value->get<bool>() != sensor.invert, *value, sensor.shellyComponent + " " + field + "=" + value->dump());
        return;
    }
    if (name != "NotifyEvent") {
        return;
    }
    const auto events = params->find("events");
    if (events == params->end() || !events->is_array()) {
        result.problems.push_back("NotifyEvent " + describePayload(payload) + " has no 'events' array; expected "
                                  "{\"events\":[{\"component\":\"" + sensor.shellyComponent +
                                  "\",\"event\":\"single_push\"}]}");
        return;
    }
    for (const Json& event : *events) {
        const Json* component = event.is_object() ? fieldAt(event, "component") : nullptr;
        const Json* what = event.is_object() ? fieldAt(event, "event") : nullptr;
        if (component == nullptr || !component->is_string() || component->get<std::string>() != sensor.shellyComponent ||
            what == nullptr || !what->is_string()) {
            continue;
        }
        const std::string kind = what->get<std::string>();
        const std::string code = sensor.shellyComponent + " " + kind;
        if (kind == "btn_down") {
            add(!sensor.invert, kind, code);
        } else if (kind == "btn_up") {
            add(sensor.invert, kind, code);
        } else if (kind == "single_push" || kind == "double_push" || kind == "triple_push" || kind == "long_push") {
            add(true, kind, code);
            add(false, kind, code);
        }
    }
}

// plain and shelly: one word; a Shelly Gen2 status object gives its "state".
void decodeWord(const SensorSettings& sensor, std::string_view payload, DecodeResult& result)
{
    const std::string word = trimmedLower(payload);
    std::optional<bool> state;
    Json raw = std::string(payload);
    std::string code = std::string(payload.substr(0, 64));
    if (sensor.format == PayloadFormat::Shelly && !word.empty() && word.front() == '{') {
        const Json document = Json::parse(payload, nullptr, false);
        const Json* value = document.is_object() ? fieldAt(document, "state") : nullptr;
        if (value == nullptr || !value->is_boolean()) {
            result.problems.push_back("payload " + describePayload(payload) +
                                      " has no boolean 'state'; expected Shelly status like {\"id\":0,\"state\":true}");
            return;
        }
        state = value->get<bool>();
        raw = *value;
        code = "state=" + value->dump();
    } else {
        state = wordState(word);
    }
    if (!state.has_value()) {
        result.problems.push_back("payload " + describePayload(payload) + " is not a known state; expected " +
                                  kWordsExpected);
        return;
    }
    Reading reading;
    reading.stateKey = sensor.stateKey;
    reading.alarmType = sensor.alarmType;
    reading.active = *state != sensor.invert;
    reading.raw = raw;
    reading.code = code;
    result.readings.push_back(std::move(reading));
}

} // namespace

DecodeResult decodeState(const SensorSettings& sensor, std::string_view payload)
{
    DecodeResult result;
    switch (sensor.format) {
    case PayloadFormat::Zigbee2Mqtt:
        decodeZigbee2Mqtt(sensor, payload, result);
        break;
    case PayloadFormat::Json:
        decodeJson(sensor, payload, result);
        break;
    case PayloadFormat::Shelly:
        if (sensor.shellyRpc) {
            decodeShellyRpc(sensor, payload, result);
        } else {
            decodeWord(sensor, payload, result);
        }
        break;
    case PayloadFormat::Plain:
        decodeWord(sensor, payload, result);
        break;
    }
    return result;
}

std::optional<bool> decodeAvailability(std::string_view payload, std::string& problem)
{
    std::string word = trimmedLower(payload);
    if (!word.empty() && word.front() == '{') {
        const Json document = Json::parse(payload, nullptr, false);
        const Json* state = document.is_object() ? fieldAt(document, "state") : nullptr;
        if (state == nullptr || !state->is_string()) {
            problem = "availability " + describePayload(payload) + " has no string 'state'; expected {\"state\": \"online\"}";
            return std::nullopt;
        }
        word = trimmedLower(state->get<std::string>());
    }
    if (word == "online" || word == "true" || word == "1" || word == "connected") {
        return true;
    }
    if (word == "offline" || word == "false" || word == "0" || word == "disconnected") {
        return false;
    }
    problem = "availability " + describePayload(payload) + " is not a known state; expected online/offline or true/false";
    return std::nullopt;
}

std::string describePayload(std::string_view payload)
{
    std::string out = "\"";
    for (size_t i = 0; i < payload.size() && i < 80; ++i) {
        const auto c = static_cast<unsigned char>(payload[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            out += '?';
        } else {
            out += static_cast<char>(c);
        }
    }
    if (payload.size() > 80) {
        out += "...";
    }
    return out + "\" (" + std::to_string(payload.size()) + " bytes)";
}

} // namespace ccoc::mqtt
