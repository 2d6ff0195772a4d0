#include "layout_engine.hpp"

#include <algorithm>

namespace ccoc::host {

std::vector<PlacedRegion> placeRegions(const site::Layout& layout, float width, float height, const LayoutMetrics& metrics)
{
    std::vector<PlacedRegion> placed;
    const int columns = std::max(layout.columns, 1);
    const int rows = std::max(layout.rows, 1);
    const float usableHeight = std::max(height - metrics.statusBarHeight, 0.0f);
    // Cells share the area left after the gaps; a region spanning cells also covers the gaps between them.
    const float cellWidth = std::max((width - metrics.gap * static_cast<float>(columns + 1)) / static_cast<float>(columns), 0.0f);
    const float cellHeight = std::max((usableHeight - metrics.gap * static_cast<float>(rows + 1)) / static_cast<float>(rows), 0.0f);
    placed.reserve(layout.regions.size());
    for (const auto& region : layout.regions) {
        const int column = std::clamp(region.column, 0, columns - 1);
        const int row = std::clamp(region.row, 0, rows - 1);
        const int columnSpan = std::clamp(region.columnSpan, 1, columns - column);
        const int rowSpan = std::clamp(region.rowSpan, 1, rows - row);
        Rect rect;
        rect.x = metrics.gap + static_cast<float>(column) * (cellWidth + metrics.gap);
        rect.y = metrics.gap + static_cast<float>(row) * (cellHeight + metrics.gap);
        rect.width = static_cast<float>(columnSpan) * cellWidth + static_cast<float>(columnSpan - 1) * metrics.gap;
        rect.height = static_cast<float>(rowSpan) * cellHeight + static_cast<float>(rowSpan - 1) * metrics.gap;
        placed.push_back({region.panel, rect});
    }
    return placed;
}

Rect statusBarRect(float width, float height, const LayoutMetrics& metrics)
{
    const float barHeight = std::min(metrics.statusBarHeight, height);
    return {0.0f, height - barHeight, width, barHeight};
}

} // namespace ccoc::host
