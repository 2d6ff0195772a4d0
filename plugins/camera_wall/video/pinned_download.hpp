// pinned_download.hpp (private): page-locked host buffers for frames copied down from a CUDA
// device.
//
// Why: a copy from the GPU into ordinary (pageable) memory goes through the driver's own small
// staging buffer, so each copy is two copies and the copies of all streams queue behind each
// other. On the GPU machine, 64 and 128 tiles of 1920x1080 together came down at about 1,400
// frames per second, whatever the tile count, while the decoders alone gave 2,500 at 128 tiles
// (bench_camera_wall --no-download). Into page-locked memory the copy is one DMA at the bus's
// speed. Off until measured (StreamOptions::pinnedDownload).
#pragma once

#include <memory>
#include <string>

extern "C" {
#include <libavutil/buffer.h>
#include <libavutil/frame.h>
}

namespace ccoc::video::detail {

/// A pool of page-locked buffers for one format and size of one CUDA device. One per session,
/// reader thread only. The pool lives until the last frame holding one of its buffers is freed,
/// on whichever thread frees it; the buffers go back to the CUDA driver then.
class PinnedDownload {
 public:
  /// A pool for frames like `hwFrame` (its device, its download format, its size). nullptr, with
  /// `whyNot` in words, when the frame is not on a CUDA device or the CUDA driver library or its
  /// host-memory functions cannot be loaded.
  static std::unique_ptr<PinnedDownload> create(const AVFrame* hwFrame, std::string& whyNot);
  ~PinnedDownload();
  PinnedDownload(const PinnedDownload&) = delete;
  PinnedDownload& operator=(const PinnedDownload&) = delete;
  PinnedDownload(PinnedDownload&&) = delete;
  PinnedDownload& operator=(PinnedDownload&&) = delete;

  /// True when `hwFrame` has the device, format and size this pool was made for.
  [[nodiscard]] bool fits(const AVFrame* hwFrame) const;

  /// Copies `hwFrame` into a pooled buffer of `dst` (a blank frame) and copies its properties.
  /// Returns 0, or a negative AVERROR code with `dst` left blank (a buffer the driver would not
  /// lock, a failed copy).
  int download(AVFrame* dst, const AVFrame* hwFrame);

 private:
  PinnedDownload() = default;

  AVBufferPool* pool_ = nullptr;
  const void* device_ = nullptr;  // the AVHWDeviceContext the pool's memory is locked for
  int format_ = -1;               // AVPixelFormat of the copies (nv12, p010...)
  int width_ = 0;
  int height_ = 0;
};

}  // namespace ccoc::video::detail
