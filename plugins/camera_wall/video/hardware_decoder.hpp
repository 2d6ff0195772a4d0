// hardware_decoder.hpp (private): FFmpeg hwdevice set-up (CUDA, VAAPI) for one decoder.
#pragma once

#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace ccoc::video::detail {

/// The hardware device a decoder context uses, if any. Owned: frees its device reference.
class HardwareDecoder {
 public:
  HardwareDecoder() = default;
  ~HardwareDecoder();
  HardwareDecoder(const HardwareDecoder&) = delete;
  HardwareDecoder& operator=(const HardwareDecoder&) = delete;
  HardwareDecoder(HardwareDecoder&&) = delete;
  HardwareDecoder& operator=(HardwareDecoder&&) = delete;

  /// Tries CUDA then VAAPI for `decoder`. On success returns true and `context` is set up to
  /// decode on the device (hw_device_ctx, get_format; `context->opaque` points to this object,
  /// which must outlive the context). On failure returns false and `whyNot` lists what was tried.
  /// With `ownDevice` the device is this decoder's own instead of the process's shared one.
  bool attach(const AVCodec* decoder, AVCodecContext* context, bool ownDevice,
              std::string& whyNot);

  /// "cuda", "vaapi"; empty when attach() failed or was not called.
  const std::string& deviceName() const { return deviceName_; }
  AVPixelFormat hardwareFormat() const { return hardwareFormat_; }

 private:
  AVBufferRef* device_ = nullptr;
  AVPixelFormat hardwareFormat_ = AV_PIX_FMT_NONE;
  std::string deviceName_;
};

}  // namespace ccoc::video::detail
