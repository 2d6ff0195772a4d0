// The smallest useful panel: a greeting in the interface language and a frame counter. Its words
// are English here and Thai in po/th.po (text domain "example-hello", see CMakeLists.txt).
#include <imgui.h>

#include <ccoc/plugin.hpp>

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
CCOC_PLUGIN("example.hello", "Hello panel", CCOC_PLUGIN_VERSION, "Example vendor")
