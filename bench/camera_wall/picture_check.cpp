// picture_check.cpp: the hardware path must give the same picture as software decoding.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "ccoc/video/stream_reader.hpp"
#include "wall_runs.hpp"

namespace ccoc::bench {
namespace {

// The clip's first frame (sequence 1) as our path delivers it, or nullptr. A paced file
// publishes its second frame a frame period after the first, so waiting for the newest frame
// right after the start gives the first; a late look is tried again with a new reader.
std::shared_ptr<const video::VideoFrame> firstFrame(const std::string& file, bool hardware,
                                                    const HardwareVariant& variant,
                                                    std::string& decoder) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    video::StreamOptions options;
    options.url = file;
    options.hardware = hardware ? video::HardwareDecoding::Auto : video::HardwareDecoding::Off;
    options.decoderThreads = 1;
    options.cudaStreamPerDecoder = variant.cudaStream;
    options.pinnedDownload = variant.pinned;
    options.hardwareFramesInFlight = variant.framesInFlight;
    options.log = [](video::LogLevel, const std::string&) {};
    video::StreamReader reader(options);
    auto frame = reader.waitFrame(std::chrono::seconds(20));
    if (frame != nullptr && frame->info().sequence == 1) {
      decoder = reader.status().decoderName;
      return frame;
    }
  }
  return nullptr;
}

}  // namespace

bool checkHardwarePicture(const std::string& file, const HardwareVariant& variant) {
  std::string hwDecoder;
  std::string swDecoder;
  const auto hw = firstFrame(file, true, variant, hwDecoder);
  const auto sw = firstFrame(file, false, variant, swDecoder);
  if (hw == nullptr || sw == nullptr) {
    std::printf("picture check: could not take the first frame of %s (%s)\n", file.c_str(),
                hw == nullptr ? "hardware path" : "software path");
    return false;
  }
  if (hw->width() != sw->width() || hw->height() != sw->height()) {
    std::printf("picture check: DIFFERENT sizes, %s %dx%d against %s %dx%d\n", hwDecoder.c_str(),
                hw->width(), hw->height(), swDecoder.c_str(), sw->width(), sw->height());
    return false;
  }
  // Luma (plane 0) is laid out alike in nv12 and yuv420p. Decoders that follow the standard give
  // the same samples; a bad copy (wrong pitch, a stale or foreign buffer) gives a large mean.
  double sum = 0.0;
  for (int row = 0; row < hw->height(); ++row) {
    const std::uint8_t* a = hw->plane(0) + static_cast<std::ptrdiff_t>(row) * hw->stride(0);
    const std::uint8_t* b = sw->plane(0) + static_cast<std::ptrdiff_t>(row) * sw->stride(0);
    for (int column = 0; column < hw->width(); ++column) {
      sum += std::abs(static_cast<int>(a[column]) - static_cast<int>(b[column]));
    }
  }
  const double mean = sum / (static_cast<double>(hw->width()) * hw->height());
  const bool same = mean < 2.0;
  std::printf("picture check, first frame %dx%d: %s against %s, mean |dY| %.3f: %s\n", hw->width(),
              hw->height(), hwDecoder.c_str(), swDecoder.c_str(), mean,
              same ? "same picture" : "DIFFERENT picture");
  std::fflush(stdout);
  return same;
}

}  // namespace ccoc::bench
