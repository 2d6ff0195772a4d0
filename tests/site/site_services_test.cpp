// [[service]] entries, and the deprecated [alarms] service key read for one release: the
// [[service]] it implies and its warning at FILE:LINE:COL showing the [[service]] form.
#include "site_test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using ccoc::site::parseSite;
using ccoc::site::ServiceRun;
using ccoc::site::test::errorsOf;
using ccoc::site::test::withHead;
using Lines = std::vector<std::string>;

namespace {

Lines warningsOf(const ccoc::site::LoadResult& result)
{
    Lines lines;
    for (const auto& warning : result.warnings) {
        lines.push_back(warning.format());
    }
    return lines;
}

} // namespace

TEST_CASE("site/service-entries") {
    const auto result = parseSite(withHead(R"(
[[service]]
id = "alarms"
plugin = "alarms"
state_dir = "state/alarms"
restart_delay_ms = 200
crash_cooldown_s = 5
settings = { retention_days = 30 }

[[service]]
id = "lights"
path = "services/lights.so"
run = "remote"
)"), "/srv/site/site.toml");
    REQUIRE(errorsOf(withHead("")) == Lines{});
    REQUIRE(result.ok());
    CHECK(warningsOf(result) == Lines{});
    const auto& services = result.site->services;
    REQUIRE(services.size() == 2);
    CHECK(services[0].id == "alarms");
    CHECK(services[0].plugin == "alarms");
    CHECK(services[0].run == ServiceRun::Local);
    CHECK(services[0].stateDir == "/srv/site/state/alarms");
    CHECK(services[0].restartDelayMs == 200);
    CHECK(services[0].crashCooldownSec == 5);
    CHECK(std::get<int64_t>(services[0].settings.values.at("retention_days")) == 30);
    CHECK_FALSE(services[0].implied);
    CHECK(services[1].path == "/srv/site/services/lights.so");
    CHECK(services[1].run == ServiceRun::Remote);
    CHECK(services[1].stateDir == "/srv/site");
}

TEST_CASE("site/service-errors") {
    CHECK(errorsOf(withHead("\n[[service]]\nid = \"a\"\n")) ==
          Lines{"site.toml:11:1: missing required key 'plugin' in [[service]]; expected plugin = \"alarms\" "
                "(services/alarms.so on the plugin path) or path = \"services/x.so\""});
    CHECK(errorsOf(withHead("\n[[service]]\nid = \"a\"\nplugin = \"a\"\nrun = \"elsewhere\"\n")) ==
          Lines{"site.toml:14:7: 'run' is 'elsewhere', which is not allowed; expected one of: local, remote"});
    CHECK(errorsOf(withHead("\n[[service]]\nid = \"a\"\nplugin = \"a\"\n\n[[service]]\nid = \"a\"\nplugin = \"b\"\n"))
              .size() == 1);
}

TEST_CASE("site/alarms-service-key-is-deprecated-with-the-service-form") {
    // [alarms] service = "embedded": still runs the alarm service here, as a [[service]].
    const auto local = parseSite(withHead("\n[alarms]\nservice = \"embedded\"\n"), "site.toml");
    REQUIRE(local.ok());
    CHECK(warningsOf(local) ==
          Lines{"site.toml:12:11: [alarms] service = \"embedded\" is deprecated and read for this release only; "
                "expected the key removed and [[service]] id = \"alarms\" plugin = \"alarms\" run = \"local\""});
    REQUIRE(local.site->services.size() == 1);
    CHECK(local.site->services[0].id == "alarms");
    CHECK(local.site->services[0].run == ServiceRun::Local);
    CHECK(local.site->services[0].implied);

    // "external": another machine runs it; this host only watches.
    const auto remote = parseSite(withHead("\n[alarms]\nservice = \"external\"\n"), "site.toml");
    REQUIRE(remote.ok());
    REQUIRE(remote.site->services.size() == 1);
    CHECK(remote.site->services[0].run == ServiceRun::Remote);
    CHECK(warningsOf(remote).size() == 1);

    // "off": none.
    const auto off = parseSite(withHead("\n[[driver]]\nid = \"sim-1\"\nplugin = \"sim\"\n\n[alarms]\nservice = \"off\"\n"),
                               "site.toml");
    REQUIRE(off.ok());
    CHECK(off.site->services.empty());

    // With a [[service]] for the alarm service, the key is only said to be ignored.
    const auto both = parseSite(
        withHead("\n[alarms]\nservice = \"external\"\n\n[[service]]\nid = \"alarms\"\nplugin = \"alarms\"\n"), "site.toml");
    REQUIRE(both.ok());
    REQUIRE(both.site->services.size() == 1);
    CHECK(both.site->services[0].run == ServiceRun::Local);
    CHECK_FALSE(both.site->services[0].implied);
    CHECK(warningsOf(both) ==
          Lines{"site.toml:12:11: [alarms] service = \"external\" is deprecated and read for this release only; the "
                "[[service]] entry of the alarm service is used instead; expected the key removed"});

    // A site with alarm sources and no key still gets its alarm service, without a warning.
    const auto implied = parseSite(withHead("\n[[driver]]\nid = \"sim-1\"\nplugin = \"sim\"\n"), "site.toml");
    REQUIRE(implied.ok());
    CHECK(warningsOf(implied) == Lines{});
    REQUIRE(implied.site->services.size() == 1);
    CHECK(implied.site->services[0].implied);
}
