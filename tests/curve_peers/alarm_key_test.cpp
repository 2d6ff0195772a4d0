// The alarm service on a CURVE bus with its own key ([[bus.allow]] name = "alarms"): it takes a
// driver's alarm event and publishes the alarm; without a key it says which entry it needs.
#include "curve_site.hpp"

#include "alarm_test_support.hpp"

#include "ccoc/bus/client.hpp"

#include <atomic>

using namespace ccoc;
using namespace ccoc::curve_test;
using bus::test::LogCollector;
using bus::test::waitUntil;

namespace {

const std::string kAlarmsRights =
    "publish = [\"state/alarms/\", \"event/alarms/\", \"cmd/\"]\ndevices = [\"alarms\"]";
const std::string kSimRights = "publish = [\"event/door-front/\"]\ndevices = [\"door-front\", \"panel-1\"]";

} // namespace

TEST_CASE("alarm_service/curve-own-key-takes-and-publishes-an-alarm") {
    CurveSite curve;
    const site::Site site = curve.write(alarm_test::siteText("", "") + "\n" +
                                        curve.busSection(curve.allow("alarms", "alarms", "alarms", kAlarmsRights) +
                                                         curve.allow("sim-1", "sim", "sim", kSimRights)));
    LogCollector logs;
    auto broker = curve.broker(site, logs);

    alarm_service::AlarmServiceConfig config;
    REQUIRE(alarm_service::alarmServiceConfigFromSite(site, config).ok());
    REQUIRE(config.bus.curve);
    CHECK(config.bus.curve->publicKey == curve.key("alarms").publicKey);
    alarm_test::ServiceLog serviceLog;
    config.log = serviceLog.sink();
    alarm_service::AlarmService service(site, std::move(config));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));

    // A desk with the host's key sees what the service publishes.
    bus::ClientConfig deskConfig;
    REQUIRE(bus::clientConfigFromSite(site.bus, deskConfig).ok());
    deskConfig.sourceId = "host";
    deskConfig.mirrorState = true;
    bus::Client desk(deskConfig);
    std::atomic<int> raised{0};
    REQUIRE(desk.subscribe("event/alarms/raised", [&](const bus::Message&) { ++raised; }) != 0);
    REQUIRE(desk.start().ok());
    REQUIRE(desk.waitReady(5000));

    bus::ClientConfig driverConfig;
    REQUIRE(bus::peerClientConfigFromSite(site.bus, "sim-1", driverConfig).ok());
    driverConfig.role = bus::Role::Driver;
    driverConfig.devices = {"door-front", "panel-1"};
    bus::Client driver(driverConfig);
    REQUIRE(driver.start().ok());
    REQUIRE(driver.waitReady(5000));
    bus::PublishOptions reliable;
    reliable.reliable = true;
    REQUIRE(driver.publishEvent("door-front/alarm", R"({"type":"door","active":true,"event_id":"e-1"})", reliable).ok());

    CHECK(waitUntil([&] { return service.stats().events == 1; }, 8000));
    CHECK(waitUntil([&] { return raised.load() == 1; }, 8000));
    CHECK(waitUntil([&] {
        const auto summary = desk.state("alarms/summary");
        return summary && alarm::decodeSummary(summary->value).ok() &&
               alarm::decodeSummary(summary->value).value->open == 1;
    }, 8000));
    CHECK(desk.stateSnapshot("alarms/item").size() == 1);
    // Nothing the service sent was dropped as coming from another key's source id.
    CHECK_FALSE(logs.contains("refused"));
    CHECK_FALSE(logs.contains("claims source"));
    CHECK_FALSE(curve.holdsSecret(logs.all()));
}

TEST_CASE("alarm_service/curve-without-key-says-which-entry") {
    CurveSite curve;
    const site::Site site = curve.write(alarm_test::siteText("", "") + "\n" + curve.busSection(""));
    alarm_service::AlarmServiceConfig config;
    const bus::Status read = alarm_service::alarmServiceConfigFromSite(site, config);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error.find("'alarms' has no key of its own") != std::string::npos);
    CHECK(read.error.find("[[bus.allow]] name = \"alarms\" with public_key and secret_key_file") != std::string::npos);
    CHECK(read.error.find("publish = [\"state/alarms/\", \"event/alarms/\", \"cmd/\"], devices = [\"alarms\"]") !=
          std::string::npos);
}
