// The simulated devices of the sim driver: door contacts, motion sensors, panic buttons and street
// lights whose state changes at random, with events and a few commands. Knows nothing of the bus:
// it reports what to publish through a Publisher, so it can be driven by ccoc-driverd or a test.
//
// Thread: one thread (the driver thread); no locking.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::sim {

enum class DeviceKind { Door, Motion, Panic, Light };

struct SimDevice {
    std::string id;
    DeviceKind kind = DeviceKind::Door;
    bool active = false;     // door open, motion detected, panic pressed, light on
    int level = 100;         // lights: 0..100
    bool fault = false;      // lights: lamp failure
    double nextChangeSec = 0.0;
    uint64_t changes = 0;
};

struct SimConfig {
    std::vector<std::string> doors{"door-1", "door-2"};
    std::vector<std::string> motion{"motion-1"};
    std::vector<std::string> panic{"panic-1"};
    std::vector<std::string> lights{"light-1", "light-2", "light-3"};
    double meanIntervalSec = 5.0; // mean time between random changes of one device
    double faultChance = 0.05;    // chance that a light change is a lamp fault
    uint32_t seed = 0;            // 0: random
    bool allowCrash = false;      // accept the test commands sim.crash / sim.hang
};

// What the world wants published; kinds as in the bus ("state", "event").
struct Publication {
    std::string kind;
    std::string path;
    std::string json;
    bool reliable = false;
};

// The outcome of a command: status name of the protocol ("ok", "rejected", ...), a message, and
// what the driver must do after answering (crash or hang, for the supervisor's tests).
struct CommandOutcome {
    std::string status = "ok";
    std::string message;
    std::string resultJson = "null";
    enum class After { Nothing, Crash, Hang } after = After::Nothing;
};

class SimWorld {
public:
    using Publisher = std::function<void(const Publication&)>;

    SimWorld(SimConfig config, Publisher publisher);

    [[nodiscard]] const std::vector<SimDevice>& devices() const noexcept { return devices_; }
    // Publishes the state of every device (at start; the bus client republishes it after that).
    void publishAll();
    // Changes devices whose time has come; returns milliseconds until the next change.
    int32_t tick(double nowSec);
    // Runs a command ("light.on", "light.off", "light.dim" {"level": N}, "light.set",
    // "alarm.test", "sim.trigger", "sim.crash", "sim.hang") for a device.
    CommandOutcome command(std::string_view device, std::string_view action, std::string_view argsJson);

private:
    void scheduleNext(SimDevice& device, double nowSec);
    void change(SimDevice& device);
    void publishState(const SimDevice& device);
    void publishEvent(const SimDevice& device, const std::string& key, const std::string& json, bool reliable);
    void publishAlarm(const SimDevice& device, std::string_view type, bool active, std::string_view text,
                      bool test = false);
    SimDevice* find(std::string_view id);

    SimConfig config_;
    Publisher publish_;
    std::vector<SimDevice> devices_;
    std::mt19937 random_;
    double lastNowSec_ = -1.0;
};

// "door" for DeviceKind::Door, ...
[[nodiscard]] std::string_view kindName(DeviceKind kind) noexcept;
// Reads an integer field from a flat JSON object ("{\"level\": 40}"); nullopt-like -1 when absent.
[[nodiscard]] long jsonIntField(std::string_view json, std::string_view field, long fallback);
// Reads a boolean field from a flat JSON object; fallback when absent.
[[nodiscard]] bool jsonBoolField(std::string_view json, std::string_view field, bool fallback);

} // namespace ccoc::sim
