// wall_layout.hpp: the shapes a camera wall can take (grids and span layouts), as tile rectangles.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::wall {

/// One tile of a layout, in grid cells (column, row, span).
struct TileCell {
    int column = 0;
    int row = 0;
    int columns = 1;
    int rows = 1;
};

/// A layout: a grid of columns x rows cells and the tiles placed on it, in reading order.
struct WallLayout {
    std::string name;  ///< "2x2", "1+5", ...
    int columns = 1;
    int rows = 1;
    std::vector<TileCell> tiles;
};

/// The layouts an operator can pick from the toolbar, in toolbar order.
const std::vector<std::string>& standardLayoutNames();

/// Builds the layout called `name`: "1", "NxN" or "NxM" (1..8 each), or a span layout "1+5",
/// "1+7", "1+12", "2+8", "3+4". Returns nullopt for anything else (error says what was expected).
/// Thread: any.
std::optional<WallLayout> makeLayout(std::string_view name, std::string* error = nullptr);

}  // namespace ccoc::wall
