#include "sim_world.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

namespace ccoc::sim {

std::string_view kindName(DeviceKind kind) noexcept
{
    switch (kind) {
    case DeviceKind::Door:
        return "door";
    case DeviceKind::Motion:
        return "motion";
    case DeviceKind::Panic:
        return "panic";
    case DeviceKind::Light:
        return "light";
    }
    return "other";
}

namespace {

// Position just after `"field":` (and spaces) in a flat JSON object, or npos.
size_t fieldValue(std::string_view json, std::string_view field)
{
    const std::string quoted = "\"" + std::string(field) + "\"";
    size_t at = json.find(quoted);
    if (at == std::string_view::npos) {
        return at;
    }
    at = json.find(':', at + quoted.size());
    if (at == std::string_view::npos) {
        return at;
    }
    ++at;
    while (at < json.size() && (json[at] == ' ' || json[at] == '\t' || json[at] == '\n')) {
        ++at;
    }
    return at;
}

std::string boolText(bool value)
{
    return value ? "true" : "false";
}

} // namespace

long jsonIntField(std::string_view json, std::string_view field, long fallback)
{
    const size_t at = fieldValue(json, field);
    if (at == std::string_view::npos || at >= json.size()) {
        return fallback;
    }
    const std::string rest(json.substr(at, 24));
    char* end = nullptr;
    const double value = std::strtod(rest.c_str(), &end);
    return end == rest.c_str() ? fallback : std::lround(value);
}

bool jsonBoolField(std::string_view json, std::string_view field, bool fallback)
{
    const size_t at = fieldValue(json, field);
    if (at == std::string_view::npos) {
        return fallback;
    }
    if (json.substr(at, 4) == "true") {
        return true;
    }
    if (json.substr(at, 5) == "false") {
        return false;
    }
    return fallback;
}

SimWorld::SimWorld(SimConfig config, Publisher publisher) : config_(std::move(config)), publish_(std::move(publisher))
{
    const uint32_t seed = config_.seed != 0
                              ? config_.seed
                              : static_cast<uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    random_.seed(seed);
    const auto add = [this](const std::vector<std::string>& ids, DeviceKind kind) {
        for (const auto& id : ids) {
            SimDevice device;
            device.id = id;
            device.kind = kind;
            // Street lights start on at full level (night in Bangkok), everything else at rest.
            device.active = kind == DeviceKind::Light;
            devices_.push_back(device);
        }
    };
    add(config_.doors, DeviceKind::Door);
    add(config_.motion, DeviceKind::Motion);
    add(config_.panic, DeviceKind::Panic);
    add(config_.lights, DeviceKind::Light);
}

SimDevice* SimWorld::find(std::string_view id)
{
    auto it = std::find_if(devices_.begin(), devices_.end(), [&](const SimDevice& d) { return d.id == id; });
    return it == devices_.end() ? nullptr : &*it;
}

void SimWorld::publishState(const SimDevice& device)
{
    std::string json;
    switch (device.kind) {
    case DeviceKind::Door:
        json = "{\"open\":" + boolText(device.active) + "}";
        publish_({"state", device.id + "/contact", json, false});
        return;
    case DeviceKind::Motion:
        json = "{\"active\":" + boolText(device.active) + "}";
        publish_({"state", device.id + "/motion", json, false});
        return;
    case DeviceKind::Panic:
        json = "{\"pressed\":" + boolText(device.active) + "}";
        publish_({"state", device.id + "/button", json, false});
        return;
    case DeviceKind::Light:
        json = "{\"on\":" + boolText(device.active) + ",\"level\":" + std::to_string(device.level) +
               ",\"fault\":" + boolText(device.fault) + "}";
        publish_({"state", device.id + "/light", json, false});
        return;
    }
}

void SimWorld::publishEvent(const SimDevice& device, const std::string& key, const std::string& json, bool reliable)
{
    publish_({"event", device.id + "/" + key, json, reliable});
}

void SimWorld::publishAll()
{
    for (const auto& device : devices_) {
        publish_({"state", device.id + "/info",
                  "{\"kind\":\"" + std::string(kindName(device.kind)) + "\",\"simulated\":true}", false});
        publishState(device);
    }
}

// An alarm event as sdk/docs/alarms.md defines it: reliable, on DEVICE/alarm.
void SimWorld::publishAlarm(const SimDevice& device, std::string_view type, bool active, std::string_view text, bool test)
{
    std::string json = "{\"type\":\"" + std::string(type) + "\",\"active\":" + (active ? "true" : "false") +
                       ",\"text\":\"" + std::string(text) + "\"";
    if (test) {
        json += ",\"test\":true";
    }
    json += "}";
    publishEvent(device, "alarm", json, true);
}

void SimWorld::scheduleNext(SimDevice& device, double nowSec)
{
    std::exponential_distribution<double> wait(1.0 / std::max(0.05, config_.meanIntervalSec));
    // A held state (door open, motion) ends sooner than the quiet time between them.
    const double factor = device.active && device.kind != DeviceKind::Light ? 0.3 : 1.0;
    device.nextChangeSec = nowSec + std::clamp(wait(random_) * factor, 0.05, 600.0);
}

void SimWorld::change(SimDevice& device)
{
    ++device.changes;
    switch (device.kind) {
    case DeviceKind::Door:
        device.active = !device.active;
        publishState(device);
        publishEvent(device, "contact", device.active ? "{\"change\":\"open\"}" : "{\"change\":\"closed\"}", false);
        publishAlarm(device, "door", device.active, device.active ? "Door opened" : "Door closed");
        return;
    case DeviceKind::Motion:
        device.active = !device.active;
        publishState(device);
        if (device.active) {
            publishEvent(device, "motion", "{\"change\":\"detected\"}", false);
        }
        publishAlarm(device, "motion", device.active, device.active ? "Motion detected" : "Motion ended");
        return;
    case DeviceKind::Panic:
        // Pressed rarely; released by itself at the next change.
        device.active = !device.active;
        publishState(device);
        publishAlarm(device, "panic", device.active, device.active ? "Panic button pressed" : "Panic button reset");
        return;
    case DeviceKind::Light: {
        std::uniform_real_distribution<double> chance(0.0, 1.0);
        if (device.fault) {
            device.fault = false; // a technician replaced the lamp
            publishEvent(device, "fault", "{\"fault\":false,\"reason\":\"repaired\"}", false);
            publishAlarm(device, "device_fault", false, "Lamp repaired");
        } else if (chance(random_) < config_.faultChance) {
            device.fault = true;
            publishEvent(device, "fault", "{\"fault\":true,\"reason\":\"lamp failure\"}", false);
            publishAlarm(device, "device_fault", true, "Lamp failure");
        } else {
            // The level drifts a little (mains voltage), which is what a live wall shows.
            std::uniform_int_distribution<int> drift(-5, 5);
            device.level = std::clamp(device.level + drift(random_), device.active ? 10 : 0, 100);
        }
        publishState(device);
        return;
    }
    }
}

int32_t SimWorld::tick(double nowSec)
{
    double next = nowSec + 1.0;
    for (auto& device : devices_) {
        if (lastNowSec_ < 0.0 || device.nextChangeSec == 0.0) {
            scheduleNext(device, nowSec);
        } else if (device.nextChangeSec <= nowSec) {
            change(device);
            scheduleNext(device, nowSec);
        }
        next = std::min(next, device.nextChangeSec);
    }
    lastNowSec_ = nowSec;
    return static_cast<int32_t>(std::clamp((next - nowSec) * 1000.0, 1.0, 1000.0));
}

CommandOutcome SimWorld::command(std::string_view id, std::string_view action, std::string_view argsJson)
{
    CommandOutcome outcome;
    SimDevice* device = find(id);
    if (device == nullptr) {
        outcome.status = "rejected";
        outcome.message = "unknown device '" + std::string(id) + "'";
        return outcome;
    }
    if (action == "sim.crash" || action == "sim.hang") {
        if (!config_.allowCrash) {
            outcome.status = "rejected";
            outcome.message = std::string(action) + " is off; set allow_crash = true in the driver's settings";
            return outcome;
        }
        outcome.message = action == "sim.crash" ? "crashing now" : "hanging now";
        outcome.after = action == "sim.crash" ? CommandOutcome::After::Crash : CommandOutcome::After::Hang;
        return outcome;
    }
    if (action == "sim.trigger") {
        change(*device);
        outcome.resultJson = "{\"changes\":" + std::to_string(device->changes) + "}";
        return outcome;
    }
    if (device->kind == DeviceKind::Panic && action == "alarm.test") {
        publishAlarm(*device, "panic", true, "Panic button test", true);
        outcome.message = "test alarm sent";
        return outcome;
    }
    if (device->kind != DeviceKind::Light) {
        outcome.status = "rejected";
        outcome.message = "a " + std::string(kindName(device->kind)) + " has no action '" + std::string(action) +
                          "'; expected sim.trigger" + (device->kind == DeviceKind::Panic ? " or alarm.test" : "");
        return outcome;
    }
    if (device->fault && action != "light.off") {
        outcome.status = "error";
        outcome.message = "lamp failure: the light does not respond";
        return outcome;
    }
    if (action == "light.on") {
        device->active = true;
        device->level = std::max(device->level, 10);
    } else if (action == "light.off") {
        device->active = false;
    } else if (action == "light.dim" || action == "light.set") {
        const long level = jsonIntField(argsJson, "level", -1);
        if (action == "light.dim" && level < 0) {
            outcome.status = "rejected";
            outcome.message = "light.dim needs {\"level\": 0..100}";
            return outcome;
        }
        if (level > 100) {
            outcome.status = "rejected";
            outcome.message = "level " + std::to_string(level) + " is out of range; expected 0..100";
            return outcome;
        }
        if (level >= 0) {
            device->level = static_cast<int>(level);
        }
        device->active = jsonBoolField(argsJson, "on", action == "light.dim" ? level > 0 : device->active);
    } else {
        outcome.status = "rejected";
        outcome.message = "unknown light action '" + std::string(action) +
                          "'; expected light.on, light.off, light.dim, light.set or sim.trigger";
        return outcome;
    }
    publishState(*device);
    outcome.resultJson = "{\"on\":" + boolText(device->active) + ",\"level\":" + std::to_string(device->level) + "}";
    return outcome;
}

} // namespace ccoc::sim
