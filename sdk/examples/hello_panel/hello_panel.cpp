// The smallest useful panel: a greeting in the site's language and a frame counter.
#include <imgui.h>

#include <ccoc/plugin.hpp>

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
CCOC_PLUGIN("example.hello", "Hello panel", CCOC_PLUGIN_VERSION, "Example vendor")
