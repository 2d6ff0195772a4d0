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
    // `language` is the host's interface language (it must outlive the panel and may change);
    // `textDomain` the one the panel type's plugin named for its titles ("" for none).
    PanelInstance(const site::Panel& config, const ccoc_panel_type_v1* type, void* pluginData,
                  const std::string& language, std::string textDomain);
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
    // [main-thread] The site's title, else the panel type's in the language now, else the id.
    [[nodiscard]] std::string title() const;
    // [main-thread] Why the panel is a placeholder, in the language now; empty when it is not.
    [[nodiscard]] std::string problem() const;

private:
    enum class Problem { None, NoType, CreateFailed, DrawThrew };

    std::string id_;
    std::string typeId_;
    std::string siteTitle_;
    std::string siteTitleEn_;
    const std::string& language_;
    std::string textDomain_;
    Problem problem_ = Problem::None;
    const ccoc_panel_type_v1* type_ = nullptr;
    void* instance_ = nullptr;
};

} // namespace ccoc::host
