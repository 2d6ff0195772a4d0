// A well-formed plugin through the C++ layer, with one panel and settings read at init (with
// where each key was written).
#include <imgui.h>

#include "ccoc/plugin.hpp"

namespace {

class GoodPanel : public ccoc::Panel {
public:
    using Panel::Panel;
    void draw(const ccoc::DrawInfo& /*info*/) override { ImGui::TextUnformatted("good"); }
};

bool initGood(const ccoc::Host& host)
{
    host.info("greeting=" + std::string(host.setting("greeting").value_or("none")));
    // Where the host says each key was written; a test loads this plugin from a site file.
    host.info("greeting at [" + host.settingWhere("greeting") + "]");
    host.info("farewell at [" + host.settingWhere("farewell") + "]");
    return true;
}

} // namespace

CCOC_PANEL(GoodPanel, "test.good", "Good", "ดี");
CCOC_PLUGIN_INIT(initGood);
CCOC_PLUGIN("test.good", "Good test plugin", "1.2.3", "CCOC tests")
