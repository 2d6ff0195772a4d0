// The smallest useful panel: a greeting in the site's language and a frame counter.
#include <imgui.h>

#include <ccoc/plugin.hpp>
#include <ccoc/settings.hpp>

namespace {

class HelloPanel : public ccoc::Panel {
public:
    using Panel::Panel;

    void draw(const ccoc::DrawInfo& info) override
    {
        ImGui::TextUnformatted("สวัสดีครับ / Hello from an out-of-tree panel");
        ImGui::Text("screen %s, frame %llu", info.screen_id, static_cast<unsigned long long>(info.frame_index));
    }
};

} // namespace

CCOC_PANEL(HelloPanel, "example.hello", "Hello", "สวัสดี");
// The panel takes no settings, and says so: the host then refuses a key written under it
// ("unknown setting") instead of ignoring it. See sdk/docs/plugin-guide.md for settings with types,
// ranges and defaults.
CCOC_SETTINGS_DECLARATIONS(ccoc::settings::Declarations{
    ccoc::settings::Declaration::panel("example.hello", "A greeting and a frame counter"),
})
CCOC_PLUGIN("example.hello", "Hello panel", CCOC_PLUGIN_VERSION, "Example vendor")
