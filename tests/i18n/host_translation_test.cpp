// The host and a real plugin (the system panels' .so) agree on the language: the plugin binds its
// catalogue from the folder the host hands over ("ccoc.i18n/1") and names its text domain; the
// host then shows its panel titles and placeholders in the language now, and a switch at run time
// shows at once.
#include <catch2/catch.hpp>

#include <string>

#include "ccoc/i18n.h"
#include "host_environment.hpp"
#include "i18n_test_env.hpp"
#include "interface_language.hpp"
#include "panel_instance.hpp"
#include "plugin_loader.hpp"

using namespace ccoc::host;

TEST_CASE("i18n/host: a plugin's panel title and the host's placeholder follow the interface language")
{
    HostEnvironment environment(nullptr);
    environment.setLocaleDir(ccoc::test::buildLocaleDir());
    bindHostTextDomains(environment.localeDir());
    REQUIRE(setInterfaceLanguage(environment, "th"));
    PluginLoader loader(environment, {});
    const PluginRecord& record = loader.loadFile(std::string(CCOC_PLUGIN_DIR) + "/system.so");
    REQUIRE(record.state == CCOC_PLUGIN_LOADED);
    CHECK(record.textDomain == "ccoc-system");

    // What the plugin was handed.
    const auto* i18n = static_cast<const ccoc_i18n_service_v1*>(record.hostView.get_service(&record.hostView, CCOC_SERVICE_I18N));
    REQUIRE(i18n != nullptr);
    CHECK(std::string(i18n->language(&record.hostView)) == "th");
    CHECK(std::string(i18n->locale_dir(&record.hostView)) == ccoc::test::buildLocaleDir());

    PluginRecord* owner = nullptr;
    const ccoc_panel_type_v1* type = loader.findPanelType("system.plugins", &owner);
    REQUIRE(type != nullptr);
    ccoc::site::Panel config;
    config.id = "plugins";
    config.type = "system.plugins";
    PanelInstance panel(config, type, owner->pluginData, environment.language(), owner->textDomain);
    ccoc::site::Panel missing;
    missing.id = "ghost";
    missing.type = "no.such.type";
    PanelInstance placeholder(missing, nullptr, nullptr, environment.language(), "");
    CHECK(panel.title() == "ปลั๊กอิน");
    CHECK(placeholder.title() == "ghost");
    CHECK(placeholder.problem() == "ไม่มีปลั๊กอินที่โหลดไว้ให้แผงชนิด 'no.such.type'");

    // Switched while running, as a sign-in will: the next frame reads English, the plugin too.
    REQUIRE(setInterfaceLanguage(environment, "en"));
    CHECK(std::string(i18n->language(&record.hostView)) == "en");
    CHECK(panel.title() == "Plugins");
    CHECK(placeholder.problem() == "panel type 'no.such.type' is not offered by any loaded plugin");

    // A title the site file gives is the site's own: as written, or its title_en in English.
    config.title = "ปลั๊กอินของสถานี";
    PanelInstance titled(config, type, owner->pluginData, environment.language(), owner->textDomain);
    CHECK(titled.title() == "ปลั๊กอินของสถานี");
    config.titleEn = "Station plugins";
    PanelInstance bilingual(config, type, owner->pluginData, environment.language(), owner->textDomain);
    CHECK(bilingual.title() == "Station plugins");
    REQUIRE(setInterfaceLanguage(environment, "th"));
    CHECK(bilingual.title() == "ปลั๊กอินของสถานี");
}
