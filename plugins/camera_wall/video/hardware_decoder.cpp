// hardware_decoder.cpp: picking a hardware device FFmpeg can decode this codec on.
#include "hardware_decoder.hpp"

#include "cuda_stream_device.hpp"
#include "ffmpeg_log.hpp"

#include <cstddef>
#include <mutex>

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

// One device per type for the whole process, shared by every decoder. A CUDA device is a CUDA
// context: hundreds of MiB of GPU memory and a context switch for each, so 64 tiles with a
// context each would spend tens of GiB and time-slice the GPU between them. FFmpeg's CUDA and
// VAAPI devices may be used by several decoder threads at once. A failed creation is not
// remembered: the next stream (or the next reconnect) tries again. The devices live until the
// process ends: destroying a CUDA context from a static destructor, after the driver has begun
// to shut down, fails.
class SharedDevices {
 public:
  /// A new reference to the process's device of `type` (created on first use), or nullptr.
  AVBufferRef* acquire(AVHWDeviceType type) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto slot = static_cast<std::size_t>(type);
    if (slot >= kSlots) {
      return nullptr;
    }
    const FfmpegProbeScope probing;  // a missing device is expected, not an error
    if (devices_[slot] == nullptr &&
        av_hwdevice_ctx_create(&devices_[slot], type, nullptr, nullptr, 0) < 0) {
      devices_[slot] = nullptr;
      return nullptr;
    }
    return av_buffer_ref(devices_[slot]);
  }

 private:
  static constexpr std::size_t kSlots = 32;  // AVHWDeviceType has fewer values
  std::mutex mutex_;
  AVBufferRef* devices_[kSlots] = {};
};

AVBufferRef* acquireSharedDevice(AVHWDeviceType type) {
  static auto* devices = new SharedDevices();  // never destroyed, see above
  return devices->acquire(type);
}

}  // namespace

HardwareDecoder::~HardwareDecoder() { av_buffer_unref(&device_); }

bool HardwareDecoder::attach(const AVCodec* decoder, AVCodecContext* context,
                             DeviceChoice choice, std::string& whyNot, std::string& note) {
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
    if (choice.ownDevice) {
      const FfmpegProbeScope probing;
      if (av_hwdevice_ctx_create(&device, type, nullptr, nullptr, 0) < 0) {
        device = nullptr;
      }
    } else {
      device = acquireSharedDevice(type);
    }
    if (device == nullptr) {
      whyNot += std::string(whyNot.empty() ? "" : ", ") + name + ": no device";
      continue;
    }
    deviceName_ = name;
    if (type == AV_HWDEVICE_TYPE_CUDA && choice.ownCudaStream && !choice.ownDevice) {
      std::string why;
      if (AVBufferRef* own = cudaDeviceWithOwnStream(device, why)) {
        av_buffer_unref(&device);
        device = own;
        deviceName_ += ", own stream";
      } else {
        note = "no CUDA stream of its own (" + why + "); decoding on the shared one";
      }
    }
    av_buffer_unref(&device_);
    device_ = device;
    hardwareFormat_ = format;
    context->hw_device_ctx = av_buffer_ref(device_);
    context->opaque = this;
    context->get_format = chooseFormat;
    return true;
  }
  return false;
}

}  // namespace ccoc::video::detail
