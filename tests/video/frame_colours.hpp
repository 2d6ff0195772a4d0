// frame_colours.hpp: which simulated camera a decoded frame shows, judged by its pixels.
#pragma once

#include <string>

#include "ccoc/video/video_frame.hpp"

namespace ccoc::test {

struct PaletteVote {
  int cameraNumber = 0;   ///< palette entry (1..16) closest to the most samples
  double fraction = 0.0;  ///< share of samples close to that entry
  std::string describe;   ///< e.g. "camera 1 (red) on 83% of samples; mean RGB 199,31,30"
};

/// Samples a grid over the frame, converts each sample to RGB with the frame's matrix and range,
/// and votes for the nearest palette colour (within a tolerance).
PaletteVote votePalette(const ccoc::video::VideoFrame& frame);

}  // namespace ccoc::test
