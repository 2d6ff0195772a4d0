// wall_layout.cpp: grids and span layouts as tile rectangles.
#include "wall_layout.hpp"

#include <charconv>

namespace ccoc::wall {

namespace {

WallLayout grid(std::string name, int columns, int rows)
{
    WallLayout layout{std::move(name), columns, rows, {}};
    for (int row = 0; row < rows; ++row) {
        for (int column = 0; column < columns; ++column) {
            layout.tiles.push_back({column, row, 1, 1});
        }
    }
    return layout;
}

// A grid of size x size cells with the given big tiles first; every cell they leave free becomes a
// small tile, in reading order.
WallLayout spans(std::string name, int size, std::vector<TileCell> big)
{
    WallLayout layout{std::move(name), size, size, big};
    std::vector<bool> used(static_cast<size_t>(size * size), false);
    for (const TileCell& cell : big) {
        for (int r = cell.row; r < cell.row + cell.rows; ++r) {
            for (int c = cell.column; c < cell.column + cell.columns; ++c) {
                used[static_cast<size_t>(r * size + c)] = true;
            }
        }
    }
    for (int r = 0; r < size; ++r) {
        for (int c = 0; c < size; ++c) {
            if (!used[static_cast<size_t>(r * size + c)]) {
                layout.tiles.push_back({c, r, 1, 1});
            }
        }
    }
    return layout;
}

std::optional<int> smallNumber(std::string_view text)
{
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > 8) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

const std::vector<std::string>& standardLayoutNames()
{
    static const std::vector<std::string> names = {"1",   "2x2", "3x3", "4x4", "5x5", "6x6",
                                                   "8x8", "1+5", "1+7", "2+8", "1+12"};
    return names;
}

std::optional<WallLayout> makeLayout(std::string_view name, std::string* error)
{
    if (name == "1") {
        return grid("1", 1, 1);
    }
    if (name == "1+5") {
        return spans("1+5", 3, {{0, 0, 2, 2}});
    }
    if (name == "1+7") {
        return spans("1+7", 4, {{0, 0, 3, 3}});
    }
    if (name == "1+12") {
        return spans("1+12", 4, {{1, 1, 2, 2}});
    }
    if (name == "2+8") {
        return spans("2+8", 4, {{0, 0, 2, 2}, {2, 0, 2, 2}});
    }
    if (name == "3+4") {
        return spans("3+4", 4, {{0, 0, 2, 2}, {2, 0, 2, 2}, {0, 2, 2, 2}});
    }
    if (const size_t x = name.find('x'); x != std::string_view::npos) {
        const auto columns = smallNumber(name.substr(0, x));
        const auto rows = smallNumber(name.substr(x + 1));
        if (columns && rows) {
            return grid(std::string(name), *columns, *rows);
        }
    }
    if (error != nullptr) {
        *error = "unknown layout '" + std::string(name) +
                 "'; expected \"1\", a grid \"CxR\" (1..8 each, e.g. \"3x3\") or one of \"1+5\", "
                 "\"1+7\", \"1+12\", \"2+8\", \"3+4\"";
    }
    return std::nullopt;
}

}  // namespace ccoc::wall
