// hardware_decoder.cpp: picking a hardware device FFmpeg can decode this codec on.
#include "hardware_decoder.hpp"

extern "C" {
#include <libavutil/hwcontext.h>
}

namespace ccoc::video::detail {
namespace {

// Chooses the device's pixel format when the decoder offers it; otherwise the first software
// format, so a stream the hardware cannot take (an odd profile) still decodes.
AVPixelFormat chooseFormat(AVCodecContext* context, const AVPixelFormat* offered) {
  const auto* self = static_cast<const HardwareDecoder*>(context->opaque);
  for (const AVPixelFormat* f = offered; *f != AV_PIX_FMT_NONE; ++f) {
    if (self != nullptr && *f == self->hardwareFormat()) {
      return *f;
    }
  }
  return avcodec_default_get_format(context, offered);
}

}  // namespace

HardwareDecoder::~HardwareDecoder() { av_buffer_unref(&device_); }

bool HardwareDecoder::attach(const AVCodec* decoder, AVCodecContext* context,
                             std::string& whyNot) {
  static constexpr AVHWDeviceType kPreferred[] = {AV_HWDEVICE_TYPE_CUDA, AV_HWDEVICE_TYPE_VAAPI};
  for (const AVHWDeviceType type : kPreferred) {
    const char* name = av_hwdevice_get_type_name(type);
    AVPixelFormat format = AV_PIX_FMT_NONE;
    for (int i = 0;; ++i) {
      const AVCodecHWConfig* config = avcodec_get_hw_config(decoder, i);
      if (config == nullptr) {
        break;
      }
      if ((config->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX) != 0 &&
          config->device_type == type) {
        format = config->pix_fmt;
        break;
      }
    }
    if (format == AV_PIX_FMT_NONE) {
      whyNot += std::string(whyNot.empty() ? "" : ", ") + name + ": not offered for " +
                decoder->name;
      continue;
    }
    AVBufferRef* device = nullptr;
    if (av_hwdevice_ctx_create(&device, type, nullptr, nullptr, 0) < 0) {
      whyNot += std::string(whyNot.empty() ? "" : ", ") + name + ": no device";
      continue;
    }
    device_ = device;
    hardwareFormat_ = format;
    deviceName_ = name;
    context->hw_device_ctx = av_buffer_ref(device_);
    context->opaque = this;
    context->get_format = chooseFormat;
    return true;
  }
  return false;
}

}  // namespace ccoc::video::detail
