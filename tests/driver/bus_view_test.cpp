// The bus panel's data, read through "ccoc.bus/1" exactly as the host hands it to the panel: a
// real broker, a driver publishing state, the host's queued console client and C service.
#include <catch2/catch.hpp>

#include "bus_c_service.hpp"
#include "bus_view_model.hpp"
#include "child_process.hpp"

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/client.hpp"

#include <chrono>
#include <thread>

using namespace std::chrono_literals;

namespace {

ccoc::runtime::BusCService* gService = nullptr;

double nowSec()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

TEST_CASE("driver/bus panel: drivers with session and devices, live and stale devices, message rates")
{
    const ccoc::test::TempDir dir("ccoc-view");
    ccoc::bus::BrokerConfig brokerConfig;
    brokerConfig.frontendEndpoint = "ipc://" + dir + "/frontend";
    brokerConfig.publisherEndpoint = "ipc://" + dir + "/publisher";
    brokerConfig.heartbeatMs = 200;
    brokerConfig.offlineAfterMs = 600;
    brokerConfig.log = [](ccoc::bus::LogLevel, std::string_view) {};
    ccoc::bus::Broker broker(brokerConfig);
    REQUIRE(broker.start().ok());

    ccoc::bus::ClientConfig driverConfig;
    driverConfig.sourceId = "lights-1";
    driverConfig.role = ccoc::bus::Role::Driver;
    driverConfig.frontendEndpoint = brokerConfig.frontendEndpoint;
    driverConfig.publisherEndpoint = brokerConfig.publisherEndpoint;
    driverConfig.devices = {"lamp-1", "lamp-2"};
    driverConfig.heartbeatMs = 200;
    auto driver = std::make_unique<ccoc::bus::Client>(driverConfig);
    REQUIRE(driver->start().ok());
    REQUIRE(driver->waitReady(10000));
    REQUIRE(driver->publishState("lamp-1/light", R"({"on":true})").ok());
    REQUIRE(driver->publishState("lamp-2/light", R"({"on":false})").ok());

    // The host's side: a queued console client and the C service, dispatched on "the main thread".
    ccoc::bus::ClientConfig consoleConfig;
    consoleConfig.sourceId = "host.TEST";
    consoleConfig.role = ccoc::bus::Role::Console;
    consoleConfig.frontendEndpoint = brokerConfig.frontendEndpoint;
    consoleConfig.publisherEndpoint = brokerConfig.publisherEndpoint;
    consoleConfig.mirrorState = true;
    consoleConfig.callbacks = ccoc::bus::ClientConfig::Callbacks::Queued;
    ccoc::bus::Client console(consoleConfig);
    ccoc::runtime::BusCService service(
        console, [](std::function<void()> fn) { fn(); }, [](const ccoc_host*) { return gService; });
    gService = &service;
    REQUIRE(console.start().ok());
    REQUIRE(console.waitReady(10000));

    ccoc_host host{};
    host.struct_size = sizeof(host);
    ccoc::buspanel::BusViewModel model(&host, ccoc::runtime::BusCService::table());
    REQUIRE(model.available());

    // Poll like the panel's tick does, until both devices and the driver are listed.
    const auto until = [&](const std::function<bool()>& done, std::chrono::seconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            console.dispatch();
            model.refresh(nowSec());
            if (done()) {
                return true;
            }
            std::this_thread::sleep_for(20ms); // one "frame"
        }
        return false;
    };
    REQUIRE(until([&] { return model.devices().size() == 2 && !model.drivers().empty() && model.drivers()[0].online; }, 10s));
    const auto& row = model.drivers()[0];
    CHECK(row.id == "lights-1");
    CHECK(row.session == driver->sessionId());
    CHECK(row.devices == std::vector<std::string>{"lamp-1", "lamp-2"});
    CHECK(row.restarts == -1); // not supervised by a host here
    CHECK(model.devices()[0].id == "lamp-1");
    CHECK(model.devices()[0].source == "lights-1");
    CHECK_FALSE(model.devices()[0].stale);

    // Rates: telemetry flowing shows up per kind. It flows on as a sensor's would: telemetry
    // sent before the panel's subscription reached the broker is lost, as the protocol allows.
    int sample = 0;
    REQUIRE(until([&] {
        REQUIRE(driver->publishTelemetry("lamp-1/power", std::to_string(100 + sample++)).ok());
        return model.rates().telemetry > 0;
    }, 10s));

    // The driver goes silent: it is shown offline and its devices stale, never live.
    driver->stop();
    driver.reset();
    REQUIRE(until([&] { return !model.drivers().empty() && !model.drivers()[0].online; }, 10s));
    REQUIRE(until([&] { return model.devices().size() == 2 && model.devices()[0].stale && model.devices()[1].stale; }, 10s));
    gService = nullptr;
}
