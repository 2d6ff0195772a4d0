// "test.fill": fills its whole region with the colour of its settings (r, g, b in 0..255), so a
// screenshot test can find where the layout put it.
#include <imgui.h>

#include <string>

#include "ccoc/plugin.hpp"

namespace {

int channel(const std::string& json, const char* key)
{
    // Settings arrive as JSON ({"r":255,...}); a tiny reader is enough for this test panel.
    const std::string needle = std::string("\"") + key + "\"";
    const size_t at = json.find(needle);
    if (at == std::string::npos) {
        return 0;
    }
    const size_t colon = json.find(':', at);
    return colon == std::string::npos ? 0 : std::stoi(json.substr(colon + 1));
}

class FillPanel : public ccoc::Panel {
public:
    FillPanel(const ccoc::Host& host, std::string id, std::string settings)
        : Panel(host, std::move(id), std::move(settings)),
          colour_(IM_COL32(channel(settingsJson(), "r"), channel(settingsJson(), "g"), channel(settingsJson(), "b"), 255))
    {
    }
    void draw(const ccoc::DrawInfo& info) override
    {
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(info.x, info.y), ImVec2(info.x + info.width, info.y + info.height),
                                                  colour_);
    }

private:
    ImU32 colour_;
};

} // namespace

CCOC_PANEL(FillPanel, "test.fill", "Fill", nullptr);
CCOC_PLUGIN("test.fill", "Fill test plugin", "1.0.0", "CCOC tests")
