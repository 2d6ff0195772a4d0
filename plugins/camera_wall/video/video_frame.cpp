// video_frame.cpp: a decoded picture that keeps a reference on FFmpeg's buffer.
#include "ccoc/video/video_frame.hpp"

extern "C" {
#include <libavutil/frame.h>
}

namespace ccoc::video {

VideoFrame::VideoFrame(AVFrame* frame, FrameInfo info) noexcept
    : frame_(frame), info_(std::move(info)) {}

VideoFrame::~VideoFrame() { av_frame_free(&frame_); }

const std::uint8_t* VideoFrame::plane(int index) const {
  if (index < 0 || index >= planeCount()) {
    return nullptr;
  }
  return frame_->data[index];
}

int VideoFrame::stride(int index) const {
  if (index < 0 || index >= planeCount()) {
    return 0;
  }
  return frame_->linesize[index];
}

int VideoFrame::planeWidth(int index) const {
  if (index < 0 || index >= planeCount()) {
    return 0;
  }
  return index == 0 ? info_.width : (info_.width + 1) / 2;
}

int VideoFrame::planeHeight(int index) const {
  if (index < 0 || index >= planeCount()) {
    return 0;
  }
  return index == 0 ? info_.height : (info_.height + 1) / 2;
}

}  // namespace ccoc::video
