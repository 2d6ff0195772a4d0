// One [[panel]] of the site file, made from a panel type that a plugin offers, or a placeholder
// that says why the panel is missing.
#pragma once

#include <string>

#include "ccoc/plugin.h"
#include "ccoc/site.hpp"

namespace ccoc::host {

class PanelInstance {
public:
    // Creates the instance; on failure the object becomes a placeholder with `problem()` set.
    PanelInstance(const site::Panel& config, const ccoc_panel_type_v1* type, void* pluginData, std::string language);
    ~PanelInstance();
    PanelInstance(const PanelInstance&) = delete;
    PanelInstance& operator=(const PanelInstance&) = delete;
    PanelInstance(PanelInstance&&) = delete;
    PanelInstance& operator=(PanelInstance&&) = delete;

    // [main-thread]
    void tick(double nowSec);
    // [main-thread] Draws inside the current ImGui window.
    void draw(const ccoc_panel_draw_info& info);

    [[nodiscard]] const std::string& id() const noexcept { return id_; }
    [[nodiscard]] const std::string& title() const noexcept { return title_; }
    [[nodiscard]] const std::string& problem() const noexcept { return problem_; }

private:
    std::string id_;
    std::string typeId_;
    std::string title_;
    std::string problem_;
    const ccoc_panel_type_v1* type_ = nullptr;
    void* instance_ = nullptr;
};

} // namespace ccoc::host
