// The sim driver: a "ccoc.driver/1" plugin run by ccoc-driverd that serves simulated door
// contacts, motion sensors, panic buttons and street lights on the bus (for the demo and tests).
//
// Settings (its [[driver]] settings table), all optional: see sim_settings.hpp.
#include "sim_settings.hpp"
#include "sim_world.hpp"

#include "ccoc/driver.hpp"

#include <sys/mman.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

using ccoc::sim::SimConfig;
using ccoc::sim::SimWorld;

// A real invalid write (to a page just unmapped), so the process dies of SIGSEGV the way a buggy
// vendor driver would.
[[noreturn]] void crashNow()
{
    // The default action, as in a production build: a sanitizer's handler would turn the fault
    // into a report and exit status 1.
    std::signal(SIGSEGV, SIG_DFL);
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

class SimDriver : public ccoc::Driver {
public:
    explicit SimDriver(const ccoc::Host& host) : Driver(host)
    {
        if (!bus().available()) {
            throw std::runtime_error("the sim driver needs the \"ccoc.bus/1\" service; run it with ccoc-driverd");
        }
        readSettings();
        world_ = std::make_unique<SimWorld>(config_, [this](const ccoc::sim::Publication& p) {
            int code = 0;
            const bool ok = p.kind == "state" ? bus().publishState(p.path, p.json, &code)
                                              : bus().publishEvent(p.path, p.json, p.reliable, &code);
            if (!ok) {
                this->host().warn("publish " + p.path + " failed with code " + std::to_string(code));
            }
        });
    }

    std::vector<std::string> devices() override
    {
        std::vector<std::string> ids;
        for (const auto& device : world_->devices()) {
            ids.push_back(device.id);
        }
        return ids;
    }

    bool start() override
    {
        if (!settingsErrors_.empty()) {
            for (const std::string& error : settingsErrors_) {
                host().error(error);
            }
            return false;
        }
        if (crashOnStart_) {
            host().warn("crash_on_start is set: crashing");
            crashNow();
        }
        world_->publishAll();
        host().info("simulating " + std::to_string(world_->devices().size()) + " devices as " + std::string(driverId()));
        return true;
    }

    int32_t tick(double nowSec) override { return world_->tick(nowSec); }

    void command(ccoc::DriverCommand command) override
    {
        if (command.remainingMs() <= 0) {
            command.reply(CCOC_BUS_STATUS_TIMEOUT, "time to live ran out before the command was executed");
            return;
        }
        const auto outcome = world_->command(command.device(), command.action(), command.argsJson());
        command.reply(statusFromName(outcome.status), outcome.message, outcome.resultJson);
        if (outcome.after != ccoc::sim::CommandOutcome::After::Nothing) {
            host().warn(command.action() + " asked by " + command.source());
            // Give the bus client a moment to send the answer before the process dies or hangs.
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            if (outcome.after == ccoc::sim::CommandOutcome::After::Crash) {
                crashNow();
            }
            hangNow();
        }
    }

    void stop() override { host().info("stopped"); }

private:
    // Mistakes are kept for start(), which refuses to run with them; the old comma strings are
    // read and warned about here, once per start of the process.
    void readSettings()
    {
        ccoc::sim::SimSettings read = ccoc::sim::readSimSettings(
            host().settingsJson(), [this](const std::string& key) { return host().settingWhere(key.c_str()); });
        for (const std::string& warning : read.warnings) {
            host().warn(warning);
        }
        config_ = std::move(read.config);
        crashOnStart_ = read.crashOnStart;
        settingsErrors_ = std::move(read.errors);
    }

    SimConfig config_;
    bool crashOnStart_ = false;
    std::vector<std::string> settingsErrors_;
    std::unique_ptr<SimWorld> world_;
};

} // namespace

CCOC_DRIVER(SimDriver, "ccoc.driver.sim", "Simulated devices", CCOC_PLUGIN_VERSION, "CCOC");
