// frame_normaliser.hpp (private): any decoded AVFrame -> 8-bit yuv420p or nv12 in memory.
#pragma once

#include <string>

extern "C" {
#include <libavutil/frame.h>
}

#include "ccoc/video/video_frame.hpp"

struct SwsContext;

namespace ccoc::video::detail {

/// Keeps the scaler between frames. One per session, reader thread only.
class FrameNormaliser {
 public:
  FrameNormaliser() = default;
  ~FrameNormaliser();
  FrameNormaliser(const FrameNormaliser&) = delete;
  FrameNormaliser& operator=(const FrameNormaliser&) = delete;
  FrameNormaliser(FrameNormaliser&&) = delete;
  FrameNormaliser& operator=(FrameNormaliser&&) = delete;

  /// Returns a new frame (owned by the caller) that references `decoded`'s buffers when it is
  /// already yuv420p/nv12, or holds a copy downloaded from the GPU or converted by swscale.
  /// Fills `info`'s layout, matrix, range, width and height. Returns nullptr and sets `error`
  /// when the frame cannot be converted.
  AVFrame* normalise(AVFrame* decoded, FrameInfo& info, std::string& error);

 private:
  SwsContext* scaler_ = nullptr;
};

}  // namespace ccoc::video::detail
