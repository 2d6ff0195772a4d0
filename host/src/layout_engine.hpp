// Places a screen's regions: the layout's grid divides the screen above the status bar, and each
// region covers its cells. Pure; no ImGui.
#pragma once

#include <string>
#include <vector>

#include "ccoc/site.hpp"

namespace ccoc::host {

struct Rect {
    float x = 0;
    float y = 0;
    float width = 0;
    float height = 0;
    [[nodiscard]] bool contains(float px, float py) const noexcept
    {
        return px >= x && py >= y && px < x + width && py < y + height;
    }
};

struct PlacedRegion {
    std::string panel; // [[panel]] id
    Rect rect;
};

struct LayoutMetrics {
    float statusBarHeight = 32.0f; // at the bottom of every screen
    float gap = 4.0f;              // between regions and around the edges
};

// Rectangles, in window pixels, of each region of `layout` on a screen of width x height.
std::vector<PlacedRegion> placeRegions(const site::Layout& layout, float width, float height,
                                       const LayoutMetrics& metrics = {});
// The status bar's rectangle.
Rect statusBarRect(float width, float height, const LayoutMetrics& metrics = {});

} // namespace ccoc::host
