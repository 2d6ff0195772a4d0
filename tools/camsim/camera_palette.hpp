// camera_palette.hpp: the colour each simulated camera paints its picture with.
//
// ccoc-camsim draws camera N (1-based) as a moving white ball on a background of
// kCameraPalette[(N - 1) % kCameraPaletteSize]. The background covers most of the frame, so it is
// the dominant colour of every picture; tests and the demo tell cameras apart by it. The header
// is shared by the simulator and the tests so both read the same table.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ccoc::camsim {

/// One background colour, 8-bit sRGB, with a name for messages and the README.
struct CameraColour {
  std::uint8_t red;
  std::uint8_t green;
  std::uint8_t blue;
  const char* name;
};

/// Sixteen colours at least 70 apart (RGB distance) from one another, far more than a
/// 4:2:0 H.264/H.265 round trip moves a flat background.
inline constexpr CameraColour kCameraPalette[] = {
    {200, 30, 30, "red"},       {30, 160, 40, "green"},       {40, 60, 200, "blue"},
    {220, 200, 30, "yellow"},   {180, 40, 180, "magenta"},    {30, 180, 190, "cyan"},
    {230, 120, 20, "orange"},   {120, 120, 120, "grey"},      {120, 60, 0, "brown"},
    {240, 150, 190, "pink"},    {0, 110, 110, "teal"},        {150, 220, 110, "lime"},
    {100, 20, 120, "purple"},   {20, 20, 90, "navy"},         {230, 230, 230, "near white"},
    {70, 110, 0, "olive"},
};
inline constexpr std::size_t kCameraPaletteSize = sizeof(kCameraPalette) / sizeof(kCameraPalette[0]);

/// The colour of camera `cameraNumber` (1-based); numbers past 16 wrap around.
constexpr const CameraColour& cameraColour(int cameraNumber) {
  return kCameraPalette[static_cast<std::size_t>(cameraNumber - 1) % kCameraPaletteSize];
}

/// The colour as videotestsrc's big-endian ARGB property value.
constexpr std::uint32_t cameraColourArgb(int cameraNumber) {
  const CameraColour& c = cameraColour(cameraNumber);
  return 0xFF000000u | (std::uint32_t{c.red} << 16) | (std::uint32_t{c.green} << 8) | c.blue;
}

}  // namespace ccoc::camsim
