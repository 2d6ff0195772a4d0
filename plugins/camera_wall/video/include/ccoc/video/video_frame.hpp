// video_frame.hpp: one decoded picture as YUV planes, ready for a texture upload.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

struct AVFrame;

namespace ccoc::video {

/// How the planes are laid out. Anything else the decoder gives is converted to Yuv420p.
enum class PixelLayout {
  Yuv420p,  ///< three planes: Y full size, U and V half width and half height
  Nv12,     ///< two planes: Y, then interleaved UV at half width and half height
};

/// The matrix a shader must use to turn these YUV values into RGB.
enum class ColourMatrix { Bt601, Bt709, Bt2020 };

/// Limited ("TV", Y 16..235) or full ("PC", 0..255) range.
enum class ColourRange { Limited, Full };

/// Description of a frame, filled by the decoder thread.
struct FrameInfo {
  PixelLayout layout = PixelLayout::Yuv420p;
  ColourMatrix matrix = ColourMatrix::Bt709;
  ColourRange range = ColourRange::Limited;
  int width = 0;
  int height = 0;
  double ptsSeconds = 0.0;  ///< presentation time in the stream's clock; NaN when unknown
  /// When the data of this picture came in from the network: when FFmpeg handed over the packet
  /// that carried it, however long the decoder kept it afterwards (a file's frame: when it was
  /// due). A picture's age is `now - arrival`.
  std::chrono::steady_clock::time_point arrival{};
  std::string codecName;    ///< "h264", "hevc", ...
  std::uint64_t sequence = 0;  ///< 1 for the first frame a reader decodes, then +1 per frame
};

/// An immutable decoded picture. The planes are 8-bit and stay valid as long as this object
/// lives; it holds a reference on the decoder's buffer, so no pixel is copied on the way out.
/// Thread: any thread may read a VideoFrame; it is shared as std::shared_ptr<const VideoFrame>.
class VideoFrame {
 public:
  /// Library-internal: takes ownership of `frame` (already yuv420p or nv12, 8-bit, in memory).
  VideoFrame(AVFrame* frame, FrameInfo info) noexcept;
  ~VideoFrame();
  VideoFrame(const VideoFrame&) = delete;
  VideoFrame& operator=(const VideoFrame&) = delete;
  VideoFrame(VideoFrame&&) = delete;
  VideoFrame& operator=(VideoFrame&&) = delete;

  const FrameInfo& info() const { return info_; }
  int width() const { return info_.width; }
  int height() const { return info_.height; }
  PixelLayout layout() const { return info_.layout; }

  /// 3 for Yuv420p, 2 for Nv12.
  int planeCount() const { return info_.layout == PixelLayout::Yuv420p ? 3 : 2; }
  /// First byte of plane `index` (0 = Y). Returns nullptr for an index past planeCount().
  const std::uint8_t* plane(int index) const;
  /// Bytes from one row of plane `index` to the next (may exceed the visible width).
  int stride(int index) const;
  /// Visible width and height of plane `index` in samples (UV pairs for Nv12's plane 1).
  int planeWidth(int index) const;
  int planeHeight(int index) const;

 private:
  AVFrame* frame_;
  FrameInfo info_;
};

}  // namespace ccoc::video
