// Where each key of a plugin's or driver's settings table was written: the site model records the
// position of every key, nested table and array element (site::Settings::positions), and the C++
// wrapper of "ccoc.settings/1" asks the host for it only when the host's service has `where`.
#include "ccoc/plugin.hpp"
#include "ccoc/site.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <string>

namespace {

using ccoc::site::parseSite;
using ccoc::site::Settings;

// Lines 1-9 make a valid site; the settings tables start on line 10.
constexpr const char* kSite = R"([site]
name = "สถานีทดสอบ"
name_en = "Test station"
station_code = "TST-0001"

[[screen]]
id = "desk"
width = 800
height = 600
[[driver]]
id = "sia-1"
plugin = "sia"

[driver.settings]
port = 4000
accounts = "1234=panel-bank"
ports = [1, 2]

[driver.settings.account.1234]
key_env = "CCOC_KEY_1234"
  require_encryption = false

[[driver.settings.sensor]]
device = "door-1"

[[driver]]
id = "plain-1"
plugin = "sim"
)";

std::string at(const Settings& settings, const std::string& key)
{
    const auto it = settings.positions.find(key);
    REQUIRE(it != settings.positions.end());
    return it->second.file + ":" + std::to_string(it->second.line) + ":" + std::to_string(it->second.column);
}

} // namespace

TEST_CASE("sdk/settings positions: every key, nested table and array element has its FILE:LINE:COL")
{
    const auto result = parseSite(kSite, "site.toml");
    REQUIRE(result.errors.empty());
    REQUIRE(result.site->drivers.size() == 2);
    const Settings& settings = result.site->drivers[0].settings;
    // Values: where the value starts ("port = 4000": column 8), as the site loader's own messages.
    CHECK(at(settings, "port") == "site.toml:15:8");
    CHECK(at(settings, "accounts") == "site.toml:16:12");
    CHECK(at(settings, "ports") == "site.toml:17:9");
    CHECK(at(settings, "ports.1") == "site.toml:17:13");
    CHECK(at(settings, "account.1234.key_env") == "site.toml:20:11");
    CHECK(at(settings, "account.1234.require_encryption") == "site.toml:21:24");
    // Tables: their [header]; the settings table itself is "".
    CHECK(at(settings, "") == "site.toml:14:1");
    CHECK(at(settings, "account.1234") == "site.toml:19:1");
    CHECK(at(settings, "sensor.0") == "site.toml:23:1");
    CHECK(at(settings, "sensor.0.device") == "site.toml:24:10");
    // The text form the settings service hands out is the same position.
    REQUIRE(settings.originOf("account.1234.key_env") != nullptr);
    CHECK(*settings.originOf("account.1234.key_env") == "site.toml:20:11");
}

TEST_CASE("sdk/settings positions: a missing key is placed at its nearest table, or at the entry without one")
{
    const auto result = parseSite(kSite, "site.toml");
    REQUIRE(result.errors.empty());
    const Settings& settings = result.site->drivers[0].settings;
    REQUIRE(settings.originOf("account.1234.key") != nullptr);
    CHECK(*settings.originOf("account.1234.key") == "site.toml:19:1");
    REQUIRE(settings.originOf("sensor.0.type") != nullptr);
    CHECK(*settings.originOf("sensor.0.type") == "site.toml:23:1");
    REQUIRE(settings.originOf("listen") != nullptr);
    CHECK(*settings.originOf("listen") == "site.toml:14:1");

    // [[driver]] plain-1 has no settings table: its keys are missing at the [[driver]] entry.
    const Settings& none = result.site->drivers[1].settings;
    REQUIRE(none.originOf("rate") != nullptr);
    CHECK(*none.originOf("rate") == "site.toml:26:1");

    // Settings made in code (no file) know nothing.
    CHECK(Settings{}.originOf("port") == nullptr);
}

namespace {

// A host with only the settings service, of the size a host of either age gives.
struct FakeHost {
    ccoc_settings_service_v1 service{};
    ccoc_host host{};
};

const void* serviceOf(const ccoc_host* host, const char* id)
{
    const auto* fake = static_cast<const FakeHost*>(host->host_data);
    return std::string(id) == CCOC_SERVICE_SETTINGS ? &fake->service : nullptr;
}

int whereCalls = 0;

void makeHost(FakeHost& fake, uint32_t serviceSize)
{
    fake.host.struct_size = sizeof(ccoc_host);
    fake.host.abi_major = CCOC_ABI_MAJOR;
    fake.host.abi_minor = CCOC_ABI_MINOR;
    fake.host.host_data = &fake;
    fake.host.get_service = &serviceOf;
    fake.service.struct_size = serviceSize;
    fake.service.where = [](const ccoc_host*, const char* key) -> const char* {
        ++whereCalls;
        return std::string(key) == "port" ? "site.toml:15:8" : nullptr;
    };
}

} // namespace

TEST_CASE("sdk/settings where: a host whose settings service ends before `where` is never asked")
{
    FakeHost older;
    // An older host's service ends at get_json; the bytes after it are not its own.
    makeHost(older, static_cast<uint32_t>(offsetof(ccoc_settings_service_v1, where)));
    whereCalls = 0;
    CHECK(ccoc::Host(&older.host).settingWhere("port").empty());
    CHECK(whereCalls == 0);

    FakeHost current;
    makeHost(current, sizeof(ccoc_settings_service_v1));
    CHECK(ccoc::Host(&current.host).settingWhere("port") == "site.toml:15:8");
    CHECK(ccoc::Host(&current.host).settingWhere("other").empty());
    CHECK(whereCalls == 2);
}
