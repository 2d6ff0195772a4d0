// The MQTT driver's settings declaration, read from the real mqtt.so (dlopen only, the driver is
// not started), against site files with the mistakes its reader used to catch by hand: every
// one is still reported, now at its FILE:LINE:COL, all at once.
#include "ccoc/settings_check.hpp"
#include "ccoc/site.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

// Lines 1-8; the [[driver]] entry starts on line 9.
constexpr const char* kHead = R"([site]
name = "ทดสอบ"
name_en = "Test"
station_code = "TEST-MQTT"

[[screen]]
id = "desk"

)";

std::vector<std::string> checked(const std::string& driver)
{
    const auto loaded = ccoc::settings::loadDeclarations(std::string(CCOC_PLUGIN_DIR) + "/mqtt.so");
    REQUIRE(loaded.declarations.has_value());
    const auto* declaration = loaded.declarations->find(ccoc::settings::Subject::Driver);
    REQUIRE(declaration != nullptr);
    const auto site = ccoc::site::parseSite(std::string(kHead) + driver, "site.toml");
    INFO((site.errors.empty() ? std::string() : site.errors[0].format()));
    REQUIRE(site.ok());
    std::vector<std::string> lines;
    for (const auto& problem : ccoc::settings::check(*declaration, site.site->drivers.at(0).settings,
                                                     ccoc::settings::SiteIds::of(*site.site), "[[driver]] 'mqtt-1'")) {
        lines.push_back(problem.format());
    }
    return lines;
}

} // namespace

TEST_CASE("alarm_mqtt/declaration: typos, types and ranges are refused at their line and column, all at once")
{
    const std::vector<std::string> lines = checked(R"([[driver]]
id = "mqtt-1"
plugin = "mqtt"
[driver.settings]
prot = 1883
keepalive_s = "30"
persistant_session = true
tls = "yes"
tls_insecure = 1
cafile = "x"
password = "s3cret-pw"
[[driver.settings.sensor]]
device = "door-1"
format = "plian"
gen = 3
colour = "red"
active_value = { on = true }
)");
    std::string all;
    for (const auto& line : lines) {
        all += line + "\n";
    }
    INFO(all);
    using Lines = std::vector<std::string>;
    CHECK(lines ==
          Lines{"site.toml:13:8: unknown setting 'prot' in the settings of [[driver]] 'mqtt-1' (did you mean 'port'?); "
                "expected one of: ca_file, ca_path, cert_file, client_id, host, keepalive_s, key_file, key_password_env, "
                "password, password_env, persistent_session, port, reconnect_max_ms, reconnect_min_ms, sensor, tls, "
                "tls_insecure, tls_version, username, zigbee2mqtt_base",
                "site.toml:14:15: 'keepalive_s' of [[driver]] 'mqtt-1' is \"30\", a string; expected an integer from 5 "
                "to 3600",
                "site.toml:15:22: unknown setting 'persistant_session' in the settings of [[driver]] 'mqtt-1' (did you "
                "mean 'persistent_session'?); expected one of: ca_file, ca_path, cert_file, client_id, host, "
                "keepalive_s, key_file, key_password_env, password, password_env, persistent_session, port, "
                "reconnect_max_ms, reconnect_min_ms, sensor, tls, tls_insecure, tls_version, username, zigbee2mqtt_base",
                "site.toml:16:7: 'tls' of [[driver]] 'mqtt-1' is \"yes\", a string; expected true or false",
                "site.toml:17:16: 'tls_insecure' of [[driver]] 'mqtt-1' is 1, an integer; expected true or false",
                "site.toml:18:10: unknown setting 'cafile' in the settings of [[driver]] 'mqtt-1' (did you mean "
                "'ca_file'?); expected one of: ca_file, ca_path, cert_file, client_id, host, keepalive_s, key_file, "
                "key_password_env, password, password_env, persistent_session, port, reconnect_max_ms, "
                "reconnect_min_ms, sensor, tls, tls_insecure, tls_version, username, zigbee2mqtt_base",
                "site.toml:22:10: 'sensor[0].format' of [[driver]] 'mqtt-1' is \"plian\", a string, not one of the "
                "choices (did you mean \"plain\"?); expected one of: zigbee2mqtt, shelly, plain, json",
                "site.toml:23:7: 'sensor[0].gen' of [[driver]] 'mqtt-1' is 3, an integer, above 2; expected an integer "
                "from 1 to 2",
                "site.toml:24:10: unknown setting 'sensor[0].colour' in the settings of [[driver]] 'mqtt-1'; expected "
                "one of: active_value, availability_topic, channel, device, field, format, gen, inactive_value, invert, "
                "name, point, shelly, state_key, state_topic, type",
                "site.toml:25:16: 'sensor[0].active_value' of [[driver]] 'mqtt-1' is a table; expected a string, a "
                "number or true/false"});
    CHECK(all.find("s3cret-pw") == std::string::npos);
}

TEST_CASE("alarm_mqtt/declaration: a sensor's device and the sensors are required")
{
    const std::vector<std::string> noSensors = checked("[[driver]]\nid = \"mqtt-1\"\nplugin = \"mqtt\"\n"
                                                       "settings = { host = \"127.0.0.1\" }\n");
    REQUIRE(noSensors.size() == 1);
    CHECK(noSensors[0].find("site.toml:12:12: [[driver]] 'mqtt-1' has no setting 'sensor', which is required") == 0);
    const std::vector<std::string> noDevice = checked("[[driver]]\nid = \"mqtt-1\"\nplugin = \"mqtt\"\n"
                                                      "[[driver.settings.sensor]]\nname = \"front_door\"\n");
    REQUIRE(noDevice.size() == 1);
    CHECK(noDevice[0].find("site.toml:12:1: [[driver]] 'mqtt-1' has no setting 'sensor[0].device', which is required") ==
          0);
}
