#include "panel_instance.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include "log.hpp"

namespace ccoc::host {

PanelInstance::PanelInstance(const site::Panel& config, const ccoc_panel_type_v1* type, void* pluginData,
                             std::string language)
    : id_(config.id), typeId_(config.type), type_(type)
{
    if (!config.title.empty()) {
        title_ = config.title;
    } else if (type != nullptr && language == "th" && type->title_th != nullptr) {
        title_ = type->title_th;
    } else if (type != nullptr && type->title != nullptr) {
        title_ = type->title;
    } else {
        title_ = config.id;
    }
    if (type_ == nullptr) {
        problem_ = "panel type '" + typeId_ + "' is not offered by any loaded plugin";
        Log::error("panels", "panel '" + id_ + "': " + problem_);
        return;
    }
    try {
        instance_ = type_->create(pluginData, config.id.c_str(), config.settings.json.c_str());
    } catch (...) {
        instance_ = nullptr;
    }
    if (instance_ == nullptr) {
        problem_ = "panel type '" + typeId_ + "' failed to create this panel";
        Log::error("panels", "panel '" + id_ + "': " + problem_);
    }
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
        ImGui::TextWrapped("%s", problem_.c_str());
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
        problem_ = "panel type '" + typeId_ + "' threw while drawing; panel disabled";
        Log::error("panels", "panel '" + id_ + "': " + problem_);
        type_->destroy(instance_);
        instance_ = nullptr;
    }
}

} // namespace ccoc::host
