// frame_colours.cpp: YUV samples -> RGB -> nearest camera palette colour.
#include "frame_colours.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "camera_palette.hpp"

namespace ccoc::test {
namespace {

using ccoc::video::ColourMatrix;
using ccoc::video::ColourRange;
using ccoc::video::PixelLayout;
using ccoc::video::VideoFrame;

struct Rgb {
  double r, g, b;
};

Rgb toRgb(int y, int u, int v, ColourMatrix matrix, ColourRange range) {
  double luma = y;
  double cb = u - 128.0;
  double cr = v - 128.0;
  if (range == ColourRange::Limited) {
    luma = (y - 16.0) * 255.0 / 219.0;
    cb *= 255.0 / 224.0;
    cr *= 255.0 / 224.0;
  }
  double kr = 0.299;
  double kb = 0.114;
  if (matrix == ColourMatrix::Bt709) {
    kr = 0.2126;
    kb = 0.0722;
  } else if (matrix == ColourMatrix::Bt2020) {
    kr = 0.2627;
    kb = 0.0593;
  }
  const double kg = 1.0 - kr - kb;
  const double r = luma + 2.0 * (1.0 - kr) * cr;
  const double b = luma + 2.0 * (1.0 - kb) * cb;
  const double g = (luma - kr * r - kb * b) / kg;
  return {r, g, b};
}

}  // namespace

PaletteVote votePalette(const VideoFrame& frame) {
  constexpr int kColumns = 32;
  constexpr int kRows = 18;
  constexpr double kTolerance = 30.0;  // RGB distance; palette entries are >= 70 apart
  std::array<int, ccoc::camsim::kCameraPaletteSize> votes{};
  double sumR = 0;
  double sumG = 0;
  double sumB = 0;
  const int samples = kColumns * kRows;
  for (int row = 0; row < kRows; ++row) {
    for (int column = 0; column < kColumns; ++column) {
      const int x = (2 * column + 1) * frame.width() / (2 * kColumns);
      const int yPos = (2 * row + 1) * frame.height() / (2 * kRows);
      const int y = frame.plane(0)[yPos * frame.stride(0) + x];
      int u = 0;
      int v = 0;
      if (frame.layout() == PixelLayout::Yuv420p) {
        u = frame.plane(1)[(yPos / 2) * frame.stride(1) + x / 2];
        v = frame.plane(2)[(yPos / 2) * frame.stride(2) + x / 2];
      } else {
        u = frame.plane(1)[(yPos / 2) * frame.stride(1) + (x / 2) * 2];
        v = frame.plane(1)[(yPos / 2) * frame.stride(1) + (x / 2) * 2 + 1];
      }
      const Rgb rgb = toRgb(y, u, v, frame.info().matrix, frame.info().range);
      sumR += rgb.r;
      sumG += rgb.g;
      sumB += rgb.b;
      for (std::size_t i = 0; i < ccoc::camsim::kCameraPaletteSize; ++i) {
        const auto& c = ccoc::camsim::kCameraPalette[i];
        const double distance =
            std::hypot(rgb.r - c.red, rgb.g - c.green, rgb.b - c.blue);
        if (distance < kTolerance) {
          ++votes[i];
        }
      }
    }
  }
  const auto best = std::max_element(votes.begin(), votes.end());
  PaletteVote vote;
  vote.cameraNumber = static_cast<int>(best - votes.begin()) + 1;
  vote.fraction = static_cast<double>(*best) / samples;
  vote.describe = "camera " + std::to_string(vote.cameraNumber) + " (" +
                  ccoc::camsim::cameraColour(vote.cameraNumber).name + ") on " +
                  std::to_string(static_cast<int>(vote.fraction * 100)) +
                  "% of samples; mean RGB " + std::to_string(static_cast<int>(sumR / samples)) +
                  "," + std::to_string(static_cast<int>(sumG / samples)) + "," +
                  std::to_string(static_cast<int>(sumB / samples));
  return vote;
}

}  // namespace ccoc::test
