// hardware_decoder.hpp (private): FFmpeg hwdevice set-up (CUDA, VAAPI) for one decoder.
#pragma once

#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace ccoc::video::detail {

/// How a decoder gets its device.
struct DeviceChoice {
  bool ownDevice = false;      ///< a device of its own instead of the process's shared one
  bool ownCudaStream = false;  ///< shared CUDA device, but a CUDA stream of its own
};

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
  /// `choice` says whether the device is shared (see DeviceChoice). When a CUDA stream of its own
  /// cannot be made, the shared device is used as it is and `note` says why.
  bool attach(const AVCodec* decoder, AVCodecContext* context, DeviceChoice choice,
              std::string& whyNot, std::string& note);

  /// "cuda", "cuda, own stream", "vaapi"; empty when attach() failed or was not called.
  const std::string& deviceName() const { return deviceName_; }
  AVPixelFormat hardwareFormat() const { return hardwareFormat_; }

 private:
  AVBufferRef* device_ = nullptr;
  AVPixelFormat hardwareFormat_ = AV_PIX_FMT_NONE;
  std::string deviceName_;
};

}  // namespace ccoc::video::detail
