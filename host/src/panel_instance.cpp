#include "panel_instance.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include "ccoc/i18n.hpp"
#include "log.hpp"

namespace ccoc::host {

PanelInstance::PanelInstance(const site::Panel& config, const ccoc_panel_type_v1* type, void* pluginData,
                             const std::string& language, std::string textDomain)
    : id_(config.id), typeId_(config.type), siteTitle_(config.title), siteTitleEn_(config.titleEn), language_(language),
      textDomain_(std::move(textDomain)), type_(type)
{
    if (type_ == nullptr) {
        problem_ = Problem::NoType;
        Log::error("panels", "panel '" + id_ + "': panel type '" + typeId_ + "' is not offered by any loaded plugin");
        return;
    }
    try {
        instance_ = type_->create(pluginData, config.id.c_str(), config.settings.json.c_str());
    } catch (...) {
        instance_ = nullptr;
    }
    if (instance_ == nullptr) {
        problem_ = Problem::CreateFailed;
        Log::error("panels", "panel '" + id_ + "': panel type '" + typeId_ + "' failed to create this panel");
    }
}

std::string PanelInstance::title() const
{
    if (const std::string& site = i18n::siteText(language_, siteTitle_, siteTitleEn_); !site.empty()) {
        return site;
    }
    // The site's own titles are in its language; a panel type's come from its plugin's catalogue.
    const char* typeTitle = type_ != nullptr ? i18n::panelTitle(language_, textDomain_.c_str(), type_->title, type_->title_th) : nullptr;
    return typeTitle != nullptr ? typeTitle : id_;
}

std::string PanelInstance::problem() const
{
    switch (problem_) {
    case Problem::None:
        return {};
    case Problem::NoType:
        return i18n::format(tr("panel type '%s' is not offered by any loaded plugin"), typeId_.c_str());
    case Problem::CreateFailed:
        return i18n::format(tr("panel type '%s' failed to create this panel"), typeId_.c_str());
    case Problem::DrawThrew:
        return i18n::format(tr("panel type '%s' threw while drawing; panel disabled"), typeId_.c_str());
    }
    return {};
}

PanelInstance::~PanelInstance()
{
    if (instance_ != nullptr) {
        try {
            type_->destroy(instance_);
        } catch (...) {
            Log::error("panels", "panel '" + id_ + "': destroy threw; ignored");
        }
    }
}

void PanelInstance::tick(double nowSec)
{
    if (instance_ != nullptr && type_->tick != nullptr) {
        try {
            type_->tick(instance_, nowSec);
        } catch (...) {
            Log::error("panels", "panel '" + id_ + "': tick threw; ignored");
        }
    }
}

void PanelInstance::draw(const ccoc_panel_draw_info& info)
{
    if (instance_ == nullptr) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.35f, 1.0f));
        ImGui::TextWrapped("%s", problem().c_str());
        ImGui::PopStyleColor();
        return;
    }
    bool threw = false;
    try {
        type_->draw(instance_, &info);
    } catch (...) {
        threw = true;
    }
    if (threw) {
        // Unwind whatever the panel left open inside its window, then stop drawing it: a panel that
        // throws every frame must not flood the log or the screen.
        ImGui::ErrorCheckEndWindowRecover(nullptr);
        problem_ = Problem::DrawThrew;
        Log::error("panels", "panel '" + id_ + "': panel type '" + typeId_ + "' threw while drawing; panel disabled");
        type_->destroy(instance_);
        instance_ = nullptr;
    }
}

} // namespace ccoc::host
