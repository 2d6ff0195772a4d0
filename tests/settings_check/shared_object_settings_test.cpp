// checkSharedObjectSettings: one table against a shared object's declaration, the way a
// [[service]] entry is checked (the test driver declares driver and device settings, no service
// settings: a service table of it takes none).
#include "declared_settings.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

const std::string kDeclared = std::string(CCOC_BINARY_DIR) + "/test-plugins/test_declared_driver.so";

ccoc::site::Site siteWith(const std::string& settings)
{
    auto result = ccoc::site::parseSite("[site]\nname = \"ส\"\nname_en = \"S\"\nstation_code = \"S-1\"\n[[screen]]\nid = \"m\"\n"
                                        "[[plugin]]\nid = \"x\"\n" + settings + "\n",
                                        "site.toml");
    REQUIRE(result.ok());
    return *result.site;
}

} // namespace

TEST_CASE("settings_check/shared_object_table_checked_for_its_subject", "[settings]")
{
    const auto site = siteWith("settings = { port = 70000 }");
    ccoc::host::DeclaredSettingsReport report;
    ccoc::host::checkSharedObjectSettings(site, kDeclared, ccoc::settings::Subject::Driver, site.plugins.at(0).settings,
                                          "[[service]] 's'", site.plugins.at(0).pos, report);
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors[0] == "site.toml:9:21: 'port' of [[service]] 's' is 70000, an integer, above 65535; expected an "
                              "integer from 0 to 65535");
}

TEST_CASE("settings_check/undeclared_subject_takes_no_settings", "[settings]")
{
    const auto site = siteWith("settings = { journal = \"a.db\" }");
    ccoc::host::DeclaredSettingsReport report;
    ccoc::host::checkSharedObjectSettings(site, kDeclared, ccoc::settings::Subject::Service, site.plugins.at(0).settings,
                                          "[[service]] 's'", site.plugins.at(0).pos, report);
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors[0] == "site.toml:9:24: unknown setting 'journal' in the settings of [[service]] 's'; expected no "
                              "settings here");
}

TEST_CASE("settings_check/shared_object_without_declaration_is_a_warning", "[settings]")
{
    const auto site = siteWith("settings = { a = 1 }");
    ccoc::host::DeclaredSettingsReport report;
    ccoc::host::checkSharedObjectSettings(site, std::string(CCOC_BINARY_DIR) + "/test-plugins/test_good.so",
                                          ccoc::settings::Subject::Service, site.plugins.at(0).settings, "[[service]] 's'",
                                          site.plugins.at(0).pos, report);
    CHECK(report.errors.empty());
    REQUIRE(report.warnings.size() == 1);
    CHECK(report.warnings[0].starts_with("site.toml:7:1: settings of [[service]] 's' not checked (no declaration)"));
}
