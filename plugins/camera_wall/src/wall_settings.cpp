// wall_settings.cpp: the declarations of the camera wall's settings, and their export.
#include "wall_settings.hpp"

namespace ccoc::wall {

const settings::Declarations& wallSettings()
{
    using settings::Declaration;
    using settings::Reference;
    static const settings::Declarations declarations{
        Declaration::panel("camera.wall", "Tiles of live camera video in a grid or span layout, with tours and push to wall")
            .string("layout", "\"1\", a grid \"CxR\" (1..8 each: \"2x2\", \"3x3\", \"4x4\"), or a span layout \"1+5\", "
                              "\"1+7\", \"1+12\", \"2+8\", \"3+4\"; a bad name falls back to 2x2 with a warning")
            .byDefault("\"2x2\"").notEmpty()
            .strings("cameras", "Camera id per tile in reading order; \"\" leaves a tile empty")
            .references(Reference::Camera).byDefault("[]")
            .tables("tours", "Tiles that cycle through cameras: { tile = N, cameras = [...], dwell_s = S }")
            .byDefault("[]")
            .integer("tours.*.tile", "The tile the tour runs on, from 1").range(1, 64).required()
            .strings("tours.*.cameras", "The cameras it cycles through").references(Reference::Camera).required()
            .notEmpty()
            .duration("tours.*.dwell_s", "Seconds on each camera").atLeast(1).byDefault("10")
            .boolean("details", "Show age of picture, fps, bit rate, resolution, codec, stream and redacted URL on every "
                                "tile (they show on hover anyway)")
            .byDefault("false")
            .boolean("log_frame_times", "Log the panel's draw intervals every 5 s (tests measure the render loop with it)")
            .byDefault("false"),
        Declaration::panel("camera.list", "The site's cameras, numbered; drag one onto a wall tile of the same screen"),
    };
    return declarations;
}

} // namespace ccoc::wall

CCOC_SETTINGS_DECLARATIONS(ccoc::wall::wallSettings())
