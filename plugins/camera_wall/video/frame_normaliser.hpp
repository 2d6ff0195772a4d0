// frame_normaliser.hpp (private): any decoded AVFrame -> 8-bit yuv420p or nv12 in memory.
#pragma once

#include <memory>
#include <string>

extern "C" {
#include <libavutil/frame.h>
}

#include "ccoc/video/video_frame.hpp"
#include "pinned_download.hpp"

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

  /// Frames on a CUDA device come down into page-locked buffers (PinnedDownload) from now on;
  /// where that cannot be done they come down as before, and pinnedWhyNot() says why.
  void usePinnedDownload() { wantPinned_ = true; }
  /// True while GPU frames come down into page-locked buffers.
  [[nodiscard]] bool pinnedDownload() const { return pinned_ != nullptr; }
  /// Why page-locked buffers were asked for and are not used; empty otherwise.
  [[nodiscard]] const std::string& pinnedWhyNot() const { return pinnedWhyNot_; }

 private:
  /// Copies a GPU frame to memory into `into` (blank), with its properties. AVERROR on failure.
  int download(AVFrame* into, const AVFrame* decoded);

  SwsContext* scaler_ = nullptr;
  bool wantPinned_ = false;
  std::unique_ptr<PinnedDownload> pinned_;
  std::string pinnedWhyNot_;
};

}  // namespace ccoc::video::detail
