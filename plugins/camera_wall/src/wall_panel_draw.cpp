// wall_panel_draw.cpp: the camera wall on screen: toolbar, tiles with video and honest labels,
// double-click to maximise, drag and drop from the camera list, the CCTV keyboard habit.
#include <imgui.h>

#include <cstdint>
#include <cstdio>

#include "camera_list_panel.hpp"
#include "ccoc/i18n.hpp"
#include "tile_words.hpp"
#include "wall_panel.hpp"

namespace ccoc::wall {

namespace {

const ImU32 kLive = IM_COL32(90, 230, 120, 255);
const ImU32 kWarn = IM_COL32(245, 190, 70, 255);
const ImU32 kBad = IM_COL32(255, 100, 80, 255);
const ImU32 kText = IM_COL32(240, 240, 240, 255);
const ImU32 kShade = IM_COL32(0, 0, 0, 150);

// Text with a dark box behind it, so it reads over any picture.
void label(ImDrawList* draw, ImVec2 at, ImU32 colour, const char* text)
{
    const ImVec2 size = ImGui::CalcTextSize(text);
    draw->AddRectFilled(ImVec2(at.x - 2, at.y - 1), ImVec2(at.x + size.x + 2, at.y + size.y + 1), kShade);
    draw->AddText(at, colour, text);
}

// The alarm priorities' colours, as the alarm panel shows them (P1 red .. P5 grey).
ImU32 priorityColour(int priority)
{
    switch (priority) {
    case 1:
        return IM_COL32(235, 50, 45, 255);
    case 2:
        return IM_COL32(245, 140, 30, 255);
    case 3:
        return IM_COL32(240, 215, 40, 255);
    case 4:
        return IM_COL32(60, 130, 240, 255);
    default:
        return IM_COL32(150, 150, 150, 255);
    }
}

}  // namespace

void WallPanel::draw(const DrawInfo& info)
{
    if (!pipeline_) {
        pipeline_ = std::make_unique<GlPipeline>();
        if (!pipeline_->ok()) {
            host().error(std::string("camera wall: YUV shader failed: ") + pipeline_->error());
        }
    }
    if (screenId_.empty() && info.screen_id != nullptr) {
        screenId_ = info.screen_id;
        publishedRevision_ = ~0u;  // the wall state names its screen: publish again
    }
    if (logFrameTimes_) {
        logFrameTimes(info.now_sec);
    }
    drawToolbar();
    handleKeyboard();

    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const auto& layout = model_.layout();
    const auto maximised = model_.maximised();
    const int visibleTiles = maximised ? 1 : static_cast<int>(model_.tileCount());
    const float cellW = avail.x / static_cast<float>(layout.columns);
    const float cellH = avail.y / static_cast<float>(layout.rows);
    for (size_t i = 0; i < tiles_.size() && i < layout.tiles.size(); ++i) {
        const bool visible = !maximised || *maximised == i;
        float x = origin.x, y = origin.y, w = avail.x, h = avail.y;
        if (!maximised) {
            const TileCell& cell = layout.tiles[i];
            x = origin.x + cellW * static_cast<float>(cell.column);
            y = origin.y + cellH * static_cast<float>(cell.row);
            w = cellW * static_cast<float>(cell.columns);
            h = cellH * static_cast<float>(cell.rows);
        }
        tiles_[i]->update(visible, w, h, visibleTiles, pipeline_.get(), info.now_sec);
        if (visible) {
            drawTile(i, x, y, w, h);
        }
    }
}

void WallPanel::drawToolbar()
{
    for (const auto& name : standardLayoutNames()) {
        const bool current = model_.layout().name == name && !model_.maximised();
        if (current) {
            ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        }
        if (ImGui::SmallButton(name.c_str())) {
            model_.setLayout(name);
        }
        if (current) {
            ImGui::PopStyleColor();
        }
        ImGui::SameLine();
    }
    ImGui::Checkbox(tr("details"), &details_);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    ImGui::InputTextWithHint("##save", tr("layout name"), saveName_, sizeof saveName_);
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("save")) && saveName_[0] != '\0') {
        SavedLayout saved{model_.layout().name, {}};
        for (size_t i = 0; i < model_.tileCount(); ++i) {
            saved.tiles.push_back(model_.cameraAt(i));
        }
        store_.save(saveName_, std::move(saved));
        host().info("camera wall '" + instanceId() + "': layout '" + saveName_ + "' saved to " + store_.path());
    }
    if (!store_.layouts().empty()) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(120);
        if (ImGui::BeginCombo("##saved", tr("saved"))) {
            for (const auto& [name, saved] : store_.layouts()) {
                if (ImGui::Selectable(name.c_str())) {
                    model_.setLayout(saved.layout);
                    for (size_t i = 0; i < saved.tiles.size(); ++i) {
                        model_.setTile(i, saved.tiles[i]);
                    }
                }
            }
            ImGui::EndCombo();
        }
    }
    if (!model_.entry().empty()) {
        ImGui::SameLine();
        ImGui::Text("%s %s_ -> %zu", tr("camera"), model_.entry().c_str(), model_.selected() + 1);
    } else if (!message_.empty() && nowSec_ < messageUntilSec_) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(1.0f, 0.6f, 0.4f, 1.0f), "%s", message_.c_str());
    }
}

void WallPanel::handleKeyboard()
{
    if (!ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) || ImGui::GetIO().WantTextInput) {
        return;
    }
    const ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
        const ImWchar c = io.InputQueueCharacters[i];
        if (c >= '0' && c <= '9') {
            model_.typeDigit(c - '0');
        }
    }
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace))) {
        model_.eraseDigit();
    }
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        model_.clearEntry();
    }
    if ((ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
         ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter))) &&
        !model_.entry().empty()) {
        std::string error;
        if (!model_.commitEntry(&error)) {
            message_ = error;
            messageUntilSec_ = nowSec_ + 4.0;
        }
    }
}

void WallPanel::drawTile(size_t index, float x, float y, float width, float height)
{
    CameraTile& tile = *tiles_[index];
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 min(x + 1, y + 1), max(x + width - 1, y + height - 1);
    draw->AddRectFilled(min, max, IM_COL32(12, 14, 18, 255));

    // Picture, letterboxed to its aspect ratio; dimmed when stale so it never passes for live.
    const double age = tile.pictureAgeSec();
    const bool stale = tile.hasPicture() && age > kStaleAfterSec;
    if (tile.hasPicture()) {
        const auto& renderer = tile.renderer();
        const float scale = std::min((max.x - min.x) / static_cast<float>(renderer.width()),
                                     (max.y - min.y) / static_cast<float>(renderer.height()));
        const float w = static_cast<float>(renderer.width()) * scale;
        const float h = static_cast<float>(renderer.height()) * scale;
        const ImVec2 p0(min.x + (max.x - min.x - w) / 2, min.y + (max.y - min.y - h) / 2);
        draw->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(renderer.texture())), p0,
                       ImVec2(p0.x + w, p0.y + h), ImVec2(0, 0), ImVec2(1, 1),
                       stale ? IM_COL32(110, 110, 110, 255) : IM_COL32_WHITE);
    }

    // Interaction: click selects, double-click maximises and back, a camera dropped lands here.
    ImGui::SetCursorScreenPos(min);
    ImGui::PushID(static_cast<int>(index));
    ImGui::InvisibleButton("tile", ImVec2(std::max(1.0f, max.x - min.x), std::max(1.0f, max.y - min.y)));
    const bool hovered = ImGui::IsItemHovered();
    if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
        model_.select(index);
    }
    if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        model_.toggleMaximised(index);
    }
    if (ImGui::BeginDragDropTarget()) {
        if (const ImGuiPayload* payload = ImGui::AcceptDragDropPayload(kCameraPayloadType)) {
            const std::string cameraId(static_cast<const char*>(payload->Data),
                                       static_cast<size_t>(payload->DataSize));
            model_.setTile(index, cameraId);
        }
        ImGui::EndDragDropTarget();
    }
    // Right-click: try the camera again now, e.g. once its account has been fixed or unlocked.
    if (tile.camera() != nullptr && ImGui::BeginPopupContextItem("tile-menu")) {
        if (ImGui::MenuItem(retryNowLabel())) {
            tile.retryNow();
            host().info("camera wall '" + instanceId() + "': retry now on camera '" + tile.camera()->id + "' (tile " +
                        std::to_string(index + 1) + "), as the operator asked");
        }
        ImGui::EndPopup();
    }
    ImGui::PopID();

    const ImU32 border = model_.selected() == index ? IM_COL32(250, 210, 60, 255) : IM_COL32(60, 64, 72, 255);
    draw->AddRect(min, max, border, 0.0f, 0, model_.selected() == index ? 2.0f : 1.0f);
    // An alarm pushed this camera here: a thick border in its priority's colour and its id, until
    // the alarm is closed or the tile shows another camera.
    char text[256];
    if (const auto& mark = model_.markAt(index)) {
        const float thickness = 6.0f;
        const ImU32 colour = priorityColour(mark->priority);
        draw->AddRect(ImVec2(min.x + thickness / 2, min.y + thickness / 2), ImVec2(max.x - thickness / 2, max.y - thickness / 2),
                      colour, 0.0f, 0, thickness);
        std::snprintf(text, sizeof text, "P%d %s %s", mark->priority, tr("ALARM"), mark->alarmId.c_str());
        const ImVec2 size = ImGui::CalcTextSize(text);
        const ImVec2 at(max.x - size.x - thickness - 6, min.y + thickness + 2);
        draw->AddRectFilled(ImVec2(at.x - 4, at.y - 1), ImVec2(at.x + size.x + 4, at.y + size.y + 1), colour);
        draw->AddText(at, IM_COL32(0, 0, 0, 255), text);
    }

    const float line = ImGui::GetTextLineHeight();
    ImVec2 at(min.x + 6, min.y + 4);
    const CameraInfo* camera = tile.camera();
    if (camera == nullptr) {
        std::snprintf(text, sizeof text, "%zu  %s", index + 1, tr("(empty)"));
        label(draw, at, IM_COL32(160, 160, 160, 255), text);
        return;
    }
    std::snprintf(text, sizeof text, "%zu  %d %s%s%s", index + 1, camera->number, catalog_->displayName(*camera).c_str(),
                  model_.tourAt(index) ? "  " : "", model_.tourAt(index) ? tr("[tour]") : "");
    label(draw, at, kText, text);
    at.y += line + 2;

    const auto& status = tile.status();
    switch (tile.condition()) {
    case TileCondition::Live:
        label(draw, at, kLive, tr("LIVE"));
        break;
    case TileCondition::Offline: {
        const double nextTry = tile.nextTrySec();
        label(draw, at, kBad, offlineLabel(video::toString(status.reason), nextTry).c_str());
        if (nextTry > kShowNextTryAfterSec) {
            at.y += line + 2;
            std::snprintf(text, sizeof text, "%s: %s", tr("right-click"), retryNowLabel());
            label(draw, at, IM_COL32(180, 180, 180, 255), text);
        }
        break;
    }
    case TileCondition::Stale:
        // Connected, but no new picture for over 2 s: never "live".
        label(draw, at, kWarn, tr("no new picture"));
        break;
    case TileCondition::Connecting:
        label(draw, at, kWarn, tr("connecting"));
        break;
    default:
        break;
    }
    if (stale) {
        std::snprintf(text, sizeof text, tr("STALE  %.1f s"), age);
        const ImVec2 size = ImGui::CalcTextSize(text);
        label(draw, ImVec2((min.x + max.x - size.x) / 2, (min.y + max.y - size.y) / 2), kBad, text);
    }
    if (details_ || hovered) {
        const auto& stats = tile.stats();
        ImVec2 bottom(min.x + 6, max.y - 2 * line - 6);
        std::snprintf(text, sizeof text, tr("age %.1f s  %.1f fps  %.0f kbit/s  %dx%d %s  %s"), age < 0 ? 0.0 : age, stats.framesPerSecond, stats.bitsPerSecond / 1000.0, status.width,
                      status.height, status.codecName.c_str(), tile.streamKind() == StreamKind::Sub ? trc("stream", "sub") : trc("stream", "main"));
        label(draw, bottom, kText, text);
        bottom.y += line + 2;
        label(draw, bottom, IM_COL32(180, 180, 180, 255), tile.displayUrl().c_str());
    }
}

}  // namespace ccoc::wall
