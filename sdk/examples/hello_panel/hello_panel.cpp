// The smallest useful panel: a greeting in the interface language and a frame counter. Its words
// are English here and Thai in po/th.po (text domain "example-hello", see CMakeLists.txt).
#include <imgui.h>

#include <ccoc/plugin.hpp>
#include <ccoc/settings.hpp>

namespace {

class HelloPanel : public ccoc::Panel {
public:
    using Panel::Panel;

    void draw(const ccoc::DrawInfo& info) override
    {
        ImGui::TextUnformatted(ccoc::tr("Hello from an out-of-tree panel"));
        ImGui::Text(ccoc::tr("screen %s, frame %llu"), info.screen_id, static_cast<unsigned long long>(info.frame_index));
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
