// What is on the walls: [[screen]], [[layout]] with its [[layout.region]]s, and [[panel]].
#include "site_sections.hpp"

#include <array>
#include <map>

namespace ccoc::site::detail {

namespace {

constexpr int64_t kMaxGrid = 16;
constexpr int64_t kMaxCoordinate = 100000;
constexpr int64_t kMaxExtent = 16384;
constexpr int64_t kMaxMonitor = 63;

std::string counted(int count, std::string_view noun) {
    return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

std::string cellText(int column, int row) {
    return "[" + std::to_string(column) + ", " + std::to_string(row) + "]";
}

// Which region covers each cell of one layout's grid, to find overlaps.
class GridOccupancy {
public:
    // Marks the cells of `region`; on overlap reports it against the region found first.
    void place(const Region& region, const std::string& cellPosText, DiagnosticSink& sink,
               const SourcePos& where) {
        for (int row = region.row; row < region.row + region.rowSpan; ++row) {
            for (int column = region.column; column < region.column + region.columnSpan; ++column) {
                const Region*& owner = cells_[static_cast<std::size_t>(row)][static_cast<std::size_t>(column)];
                if (owner != nullptr) {
                    sink.add(where,
                             "region of panel '" + region.panel + "' at cell " + cellPosText +
                                 " overlaps the region of panel '" + owner->panel + "' (line " +
                                 std::to_string(owner->pos.line) + ") at cell " + cellText(column, row),
                             "regions that share no cell");
                    return;
                }
            }
        }
        for (int row = region.row; row < region.row + region.rowSpan; ++row) {
            for (int column = region.column; column < region.column + region.columnSpan; ++column) {
                cells_[static_cast<std::size_t>(row)][static_cast<std::size_t>(column)] = &region;
            }
        }
    }

private:
    std::array<std::array<const Region*, kMaxGrid>, kMaxGrid> cells_{};
};

void readRegions(TableReader& layoutReader, Layout& layout, bool gridKnown, LoadContext& ctx) {
    const toml::node* value = layoutReader.node("region");
    if (value == nullptr) {
        return;
    }
    std::vector<const toml::table*> tables = sectionTables(*value, "layout.region", ctx);
    layout.regions.reserve(tables.size()); // GridOccupancy keeps pointers into this vector
    GridOccupancy occupancy;
    for (const toml::table* table : tables) {
        TableReader reader(*table, "[[layout.region]]", {"panel", "cell", "span"}, ctx.sink);
        Region& region = layout.regions.emplace_back();
        region.pos = reader.where();
        if (auto panel = reader.id("panel", Need::required)) {
            region.panel = *panel;
            ctx.ids.refer("[[panel]]", region.panel, reader.posOf("panel"), "panel");
        }
        const auto cell = reader.pair("cell", {"column", 0, kMaxGrid - 1, "row", 0, kMaxGrid - 1, true}, Need::required);
        const auto span = reader.pair("span", {"columns", 1, kMaxGrid, "rows", 1, kMaxGrid, true}, Need::optional);
        if (!gridKnown || !cell || (reader.has("span") && !span)) {
            continue;
        }
        region.column = static_cast<int>(cell->first);
        region.row = static_cast<int>(cell->second);
        if (span) {
            region.columnSpan = static_cast<int>(span->first);
            region.rowSpan = static_cast<int>(span->second);
        }
        const std::string where = cellText(region.column, region.row);
        if (region.column + region.columnSpan > layout.columns || region.row + region.rowSpan > layout.rows) {
            ctx.sink.add(reader.posOf("cell"),
                         "region at cell " + where + " spanning " + cellText(region.columnSpan, region.rowSpan) +
                             " does not fit the grid of " + counted(layout.columns, "column") + " and " +
                             counted(layout.rows, "row"),
                         "column + span columns <= " + std::to_string(layout.columns) + " and row + span rows <= " +
                             std::to_string(layout.rows) + " (cells count from 0)");
            continue;
        }
        occupancy.place(region, where, ctx.sink, reader.posOf("cell"));
    }
}

} // namespace

void readScreens(const toml::node& value, LoadContext& ctx) {
    if (const auto* array = value.as_array(); array != nullptr && array->empty()) {
        ctx.sink.add(ctx.sink.at(value.source()), "'screen' is empty", std::string(kScreenExpectation));
        return;
    }
    for (const toml::table* table : sectionTables(value, "screen", ctx)) {
        TableReader reader(*table, "[[screen]]",
                           {"id", "title", "title_en", "monitor", "x", "y", "width", "height", "fullscreen"}, ctx.sink);
        Screen screen;
        screen.pos = reader.where();
        if (auto id = reader.id("id", Need::required)) {
            screen.id = *id;
            ctx.ids.declare("[[screen]]", screen.id, reader.posOf("id"), ctx.sink);
        }
        screen.title = reader.string("title", Need::optional).value_or("");
        screen.titleEn = reader.string("title_en", Need::optional).value_or("");
        if (auto monitor = reader.integer("monitor", 0, kMaxMonitor, Need::optional)) {
            screen.monitor = static_cast<int>(*monitor);
        }
        if (reader.has("monitor")) {
            // A monitor index places the window itself; explicit geometry would be ignored.
            for (std::string_view key : {"x", "y", "width", "height"}) {
                if (reader.has(key)) {
                    ctx.sink.add(reader.posOf(key),
                                 "'" + std::string(key) + "' cannot be combined with 'monitor' in [[screen]]",
                                 "either monitor = INDEX, or x, y, width and height");
                }
            }
        }
        screen.x = static_cast<int>(reader.integer("x", -kMaxCoordinate, kMaxCoordinate, Need::optional).value_or(screen.x));
        screen.y = static_cast<int>(reader.integer("y", -kMaxCoordinate, kMaxCoordinate, Need::optional).value_or(screen.y));
        screen.width = static_cast<int>(reader.integer("width", 1, kMaxExtent, Need::optional).value_or(screen.width));
        screen.height = static_cast<int>(reader.integer("height", 1, kMaxExtent, Need::optional).value_or(screen.height));
        screen.fullscreen = reader.boolean("fullscreen", Need::optional).value_or(false);
        ctx.site.screens.push_back(std::move(screen));
    }
}

void readLayouts(const toml::node& value, LoadContext& ctx) {
    std::map<std::string, uint32_t> firstLayoutLine; // screen id -> line of its first layout
    for (const toml::table* table : sectionTables(value, "layout", ctx)) {
        TableReader reader(*table, "[[layout]]", {"screen", "columns", "rows", "region"}, ctx.sink);
        Layout layout;
        layout.pos = reader.where();
        if (auto screen = reader.id("screen", Need::required)) {
            layout.screen = *screen;
            ctx.ids.refer("[[screen]]", layout.screen, reader.posOf("screen"), "screen");
            auto [it, first] = firstLayoutLine.emplace(layout.screen, layout.pos.line);
            if (!first) {
                ctx.sink.add(reader.posOf("screen"), "second [[layout]] for screen '" + layout.screen + "'",
                             "one [[layout]] per screen; the first is at line " + std::to_string(it->second));
            }
        }
        const auto columns = reader.integer("columns", 1, kMaxGrid, Need::optional);
        const auto rows = reader.integer("rows", 1, kMaxGrid, Need::optional);
        layout.columns = static_cast<int>(columns.value_or(1));
        layout.rows = static_cast<int>(rows.value_or(1));
        // With a bad grid size, "does not fit" errors for its regions would only be noise.
        const bool gridKnown = (columns || !reader.has("columns")) && (rows || !reader.has("rows"));
        readRegions(reader, layout, gridKnown, ctx);
        ctx.site.layouts.push_back(std::move(layout));
    }
}

void readPanels(const toml::node& value, LoadContext& ctx) {
    for (const toml::table* table : sectionTables(value, "panel", ctx)) {
        TableReader reader(*table, "[[panel]]", {"id", "type", "title", "title_en", "settings"}, ctx.sink);
        Panel panel;
        panel.pos = reader.where();
        if (auto id = reader.id("id", Need::required)) {
            panel.id = *id;
            ctx.ids.declare("[[panel]]", panel.id, reader.posOf("id"), ctx.sink);
        }
        panel.type = reader.string("type", Need::required).value_or("");
        panel.title = reader.string("title", Need::optional).value_or("");
        panel.titleEn = reader.string("title_en", Need::optional).value_or("");
        panel.settings = readSettings(reader, "settings");
        ctx.site.panels.push_back(std::move(panel));
    }
}

} // namespace ccoc::site::detail
