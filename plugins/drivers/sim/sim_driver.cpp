// The sim driver: a "ccoc.driver/1" plugin run by ccoc-driverd that serves simulated door
// contacts, motion sensors, panic buttons and street lights on the bus (for the demo and tests).
//
// Settings (its [[driver]] settings table), all optional:
//   doors, motion, panic, lights   comma-separated device ids ("door-front,door-armory")
//   mean_interval_s                mean seconds between random changes of one device (5.0)
//   fault_chance                   chance that a light change is a lamp fault (0.05)
//   seed                           random seed (0: random)
//   allow_crash                    accept sim.crash / sim.hang (tests of the supervisor)
//   crash_on_start                 segfault in start (tests of the crash-loop cap)
#include "sim_world.hpp"

#include "ccoc/driver.h"

#include <sys/mman.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

namespace {

using ccoc::sim::SimConfig;
using ccoc::sim::SimWorld;

struct SimDriver {
    const ccoc_host* host = nullptr;
    const ccoc_log_service_v1* log = nullptr;
    const ccoc_settings_service_v1* settings = nullptr;
    const ccoc_bus_service_v1* bus = nullptr;
    const ccoc_driver_context_v1* context = nullptr;
    SimConfig config;
    bool crashOnStart = false;
    std::unique_ptr<SimWorld> world;
};

void logLine(const SimDriver& driver, ccoc_log_level level, const std::string& text)
{
    if (driver.log != nullptr) {
        driver.log->log(driver.host, level, text.c_str());
    }
}

std::vector<std::string> splitIds(const char* text)
{
    std::vector<std::string> ids;
    std::string current;
    for (const char* p = text; *p != '\0'; ++p) {
        if (*p == ',' || *p == ' ') {
            if (!current.empty()) {
                ids.push_back(current);
            }
            current.clear();
        } else {
            current += *p;
        }
    }
    if (!current.empty()) {
        ids.push_back(current);
    }
    return ids;
}

void readSettings(SimDriver& driver)
{
    const ccoc_settings_service_v1* s = driver.settings;
    if (s == nullptr) {
        return;
    }
    const auto list = [&](const char* key, std::vector<std::string>& out) {
        if (const char* text = s->get_string(driver.host, key); text != nullptr) {
            out = splitIds(text);
        }
    };
    list("doors", driver.config.doors);
    list("motion", driver.config.motion);
    list("panic", driver.config.panic);
    list("lights", driver.config.lights);
    double number = 0;
    if (s->get_double(driver.host, "mean_interval_s", &number)) {
        driver.config.meanIntervalSec = number;
    }
    if (s->get_double(driver.host, "fault_chance", &number)) {
        driver.config.faultChance = number;
    }
    int64_t seed = 0;
    if (s->get_int(driver.host, "seed", &seed)) {
        driver.config.seed = static_cast<uint32_t>(seed);
    }
    bool flag = false;
    if (s->get_bool(driver.host, "allow_crash", &flag)) {
        driver.config.allowCrash = flag;
    }
    if (s->get_bool(driver.host, "crash_on_start", &flag)) {
        driver.crashOnStart = flag;
    }
}

// A real invalid write (to a page just unmapped), so the process dies of SIGSEGV the way a buggy
// vendor driver would.
[[noreturn]] void crashNow()
{
    void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page, 4096);
    int* volatile target = static_cast<int*>(page);
    *target = 42;
    std::raise(SIGSEGV); // not reached
    std::abort();
}

[[noreturn]] void hangNow()
{
    for (;;) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
}

bool simInit(const ccoc_host* host, void** pluginData)
{
    auto driver = std::make_unique<SimDriver>();
    driver->host = host;
    driver->log = static_cast<const ccoc_log_service_v1*>(host->get_service(host, CCOC_SERVICE_LOG));
    driver->settings = static_cast<const ccoc_settings_service_v1*>(host->get_service(host, CCOC_SERVICE_SETTINGS));
    driver->bus = static_cast<const ccoc_bus_service_v1*>(host->get_service(host, CCOC_SERVICE_BUS));
    if (driver->bus == nullptr) {
        logLine(*driver, CCOC_LOG_ERROR, "the sim driver needs the \"ccoc.bus/1\" service; run it with ccoc-driverd");
        return false;
    }
    readSettings(*driver);
    SimDriver* raw = driver.get();
    driver->world = std::make_unique<SimWorld>(driver->config, [raw](const ccoc::sim::Publication& p) {
        const ccoc_bus_kind kind = p.kind == "state" ? CCOC_BUS_STATE : CCOC_BUS_EVENT;
        const int rc = raw->bus->publish(raw->host, kind, p.path.c_str(), p.json.c_str(), p.reliable ? CCOC_BUS_RELIABLE : 0u);
        if (rc != CCOC_BUS_OK) {
            logLine(*raw, CCOC_LOG_WARNING, "publish " + p.path + " failed with code " + std::to_string(rc));
        }
    });
    *pluginData = driver.release();
    return true;
}

void simShutdown(void* pluginData)
{
    delete static_cast<SimDriver*>(pluginData);
}

uint32_t simDeviceCount(void* pluginData)
{
    return static_cast<uint32_t>(static_cast<SimDriver*>(pluginData)->world->devices().size());
}

const char* simDeviceAt(void* pluginData, uint32_t index)
{
    const auto& devices = static_cast<SimDriver*>(pluginData)->world->devices();
    return index < devices.size() ? devices[index].id.c_str() : nullptr;
}

bool simStart(void* pluginData, const ccoc_driver_context_v1* context)
{
    auto* driver = static_cast<SimDriver*>(pluginData);
    driver->context = context;
    if (driver->crashOnStart) {
        logLine(*driver, CCOC_LOG_WARNING, "crash_on_start is set: crashing");
        crashNow();
    }
    driver->world->publishAll();
    logLine(*driver, CCOC_LOG_INFO,
            "simulating " + std::to_string(driver->world->devices().size()) + " devices as " + context->driver_id);
    return true;
}

int32_t simTick(void* pluginData, double nowSec)
{
    return static_cast<SimDriver*>(pluginData)->world->tick(nowSec);
}

ccoc_bus_status statusFromName(const std::string& name)
{
    if (name == "ok") {
        return CCOC_BUS_STATUS_OK;
    }
    if (name == "rejected") {
        return CCOC_BUS_STATUS_REJECTED;
    }
    if (name == "busy") {
        return CCOC_BUS_STATUS_BUSY;
    }
    return CCOC_BUS_STATUS_ERROR;
}

void simCommand(void* pluginData, const ccoc_bus_incoming_command* command)
{
    auto* driver = static_cast<SimDriver*>(pluginData);
    ccoc_bus_reply reply{};
    reply.struct_size = sizeof(reply);
    if (command->remaining_ms <= 0) {
        reply.status = CCOC_BUS_STATUS_TIMEOUT;
        reply.message = "time to live ran out before the command was executed";
        driver->context->answer(driver->context, command->token, &reply);
        return;
    }
    const auto outcome = driver->world->command(command->device, command->action,
                                                command->args_json != nullptr ? command->args_json : "null");
    reply.status = statusFromName(outcome.status);
    reply.message = outcome.message.c_str();
    reply.result_json = outcome.resultJson.c_str();
    driver->context->answer(driver->context, command->token, &reply);
    if (outcome.after != ccoc::sim::CommandOutcome::After::Nothing) {
        logLine(*driver, CCOC_LOG_WARNING, std::string(command->action) + " asked by " + command->source);
        // Give the bus client a moment to send the answer before the process dies or stops.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (outcome.after == ccoc::sim::CommandOutcome::After::Crash) {
            crashNow();
        }
        hangNow();
    }
}

void simStop(void* pluginData)
{
    logLine(*static_cast<SimDriver*>(pluginData), CCOC_LOG_INFO, "stopped");
}

const ccoc_driver_v1 kDriver = {
    sizeof(ccoc_driver_v1), &simDeviceCount, &simDeviceAt, &simStart, &simTick, &simCommand, nullptr, &simStop,
};

const void* simExtension(void* /*pluginData*/, const char* id)
{
    return std::string_view(id) == CCOC_EXTENSION_DRIVER ? &kDriver : nullptr;
}

} // namespace

extern "C" CCOC_EXPORT const ccoc_plugin_descriptor* ccoc_plugin_entry(void)
{
    static const ccoc_plugin_descriptor descriptor = [] {
        ccoc_plugin_descriptor d{};
        d.struct_size = sizeof(d);
        d.abi_major = CCOC_ABI_MAJOR;
        d.abi_minor = CCOC_ABI_MINOR;
        d.id = "ccoc.driver.sim";
        d.name = "Simulated devices";
        d.version = CCOC_PLUGIN_VERSION;
        d.vendor = "CCOC";
        d.description = "Door contacts, motion sensors, panic buttons and street lights, simulated";
        d.imgui_version = nullptr;
        d.init = &simInit;
        d.shutdown = &simShutdown;
        d.get_extension = &simExtension;
        return d;
    }();
    return &descriptor;
}
