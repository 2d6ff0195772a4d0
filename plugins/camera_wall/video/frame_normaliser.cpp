// frame_normaliser.cpp: hardware download, layout check and swscale fallback for decoded frames.
#include "frame_normaliser.hpp"

extern "C" {
#include <libavutil/hwcontext.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include "stream_error.hpp"

namespace ccoc::video::detail {
namespace {

// Streams rarely say which matrix they use; like most players, assume BT.709 for HD and up and
// BT.601 below.
ColourMatrix matrixOf(const AVFrame* frame) {
  switch (frame->colorspace) {
    case AVCOL_SPC_BT709:
      return ColourMatrix::Bt709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
      return ColourMatrix::Bt2020;
    case AVCOL_SPC_SMPTE170M:
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_FCC:
      return ColourMatrix::Bt601;
    default:
      return frame->height >= 720 ? ColourMatrix::Bt709 : ColourMatrix::Bt601;
  }
}

}  // namespace

FrameNormaliser::~FrameNormaliser() { sws_freeContext(scaler_); }

int FrameNormaliser::download(AVFrame* into, const AVFrame* decoded) {
  if (wantPinned_ && pinnedWhyNot_.empty()) {
    if (pinned_ != nullptr && !pinned_->fits(decoded)) {
      pinned_.reset();  // a new size or format: a new pool (the old one ends with its frames)
    }
    if (pinned_ == nullptr) {
      pinned_ = PinnedDownload::create(decoded, pinnedWhyNot_);
    }
    if (pinned_ != nullptr) {
      const int rc = pinned_->download(into, decoded);
      if (rc >= 0) {
        return rc;
      }
      // Page-locked memory may run out (it is a limited resource); this stream goes on with
      // ordinary copies.
      pinnedWhyNot_ = "a copy into page-locked memory failed: " + ffmpegErrorText(rc);
      pinned_.reset();
    }
  }
  const int rc = av_hwframe_transfer_data(into, decoded, 0);
  return rc < 0 ? rc : av_frame_copy_props(into, decoded);
}

AVFrame* FrameNormaliser::normalise(AVFrame* decoded, FrameInfo& info, std::string& error) {
  AVFrame* source = av_frame_alloc();
  if (decoded->hw_frames_ctx != nullptr) {
    // Frames on the GPU come down as nv12 (8-bit) or p010 (10-bit, converted below).
    const int rc = download(source, decoded);
    if (rc < 0) {
      av_frame_free(&source);
      error = "hardware frame download failed: " + ffmpegErrorText(rc);
      return nullptr;
    }
  } else {
    av_frame_ref(source, decoded);
  }

  const auto format = static_cast<AVPixelFormat>(source->format);
  info.width = source->width;
  info.height = source->height;
  info.matrix = matrixOf(source);
  info.range = (source->color_range == AVCOL_RANGE_JPEG || format == AV_PIX_FMT_YUVJ420P)
                   ? ColourRange::Full
                   : ColourRange::Limited;
  if (format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P) {
    info.layout = PixelLayout::Yuv420p;
    return source;
  }
  if (format == AV_PIX_FMT_NV12) {
    info.layout = PixelLayout::Nv12;
    return source;
  }

  // Anything else (4:2:2, 4:4:4, 10-bit) becomes 8-bit yuv420p in the same matrix and range.
  AVFrame* converted = av_frame_alloc();
  converted->format = AV_PIX_FMT_YUV420P;
  converted->width = source->width;
  converted->height = source->height;
  scaler_ = sws_getCachedContext(scaler_, source->width, source->height, format, source->width,
                                 source->height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr,
                                 nullptr, nullptr);
  int rc = scaler_ == nullptr ? AVERROR(EINVAL) : av_frame_get_buffer(converted, 0);
  if (rc >= 0) {
    const int fullRange = info.range == ColourRange::Full ? 1 : 0;
    const int* coefficients = sws_getCoefficients(SWS_CS_DEFAULT);
    sws_setColorspaceDetails(scaler_, coefficients, fullRange, coefficients, fullRange, 0,
                             1 << 16, 1 << 16);
    rc = sws_scale(scaler_, source->data, source->linesize, 0, source->height, converted->data,
                   converted->linesize);
  }
  if (rc < 0) {
    const char* name = av_get_pix_fmt_name(format);
    error = std::string("cannot convert pixel format ") + (name != nullptr ? name : "?") +
            " to yuv420p: " + ffmpegErrorText(rc);
    av_frame_free(&converted);
    av_frame_free(&source);
    return nullptr;
  }
  av_frame_copy_props(converted, source);
  av_frame_free(&source);
  info.layout = PixelLayout::Yuv420p;
  return converted;
}

}  // namespace ccoc::video::detail
