// pinned_download.cpp: page-locked (pinned) host buffers for hardware frame downloads.
#include "pinned_download.hpp"

#include <dlfcn.h>

#include <cstddef>
#include <cstdint>

// The CUDA driver is loaded at run time (see cuda_driver_api.hpp).
#include "cuda_driver_api.hpp"

extern "C" {
#include <libavutil/hwcontext.h>
#include <libavutil/hwcontext_cuda.h>
#include <libavutil/imgutils.h>
}

namespace ccoc::video::detail {
namespace {

// Rows of each plane start on this boundary (what FFmpeg's own frame buffers use).
constexpr int kAlign = 64;
// cuMemHostAlloc flag: the memory is page-locked for every CUDA context, not only the current.
constexpr unsigned int kHostAllocPortable = 0x01;

// The four driver functions this file needs, looked up once per process. The library stays
// loaded (FFmpeg's CUDA device has it open anyway, and buffers may be freed until the very end).
struct CudaHostMemory {
  CUresult (*memHostAlloc)(void** pointer, size_t bytes, unsigned int flags) = nullptr;
  CUresult (*memFreeHost)(void* pointer) = nullptr;
  CUresult (*ctxPush)(CUcontext context) = nullptr;
  CUresult (*ctxPop)(CUcontext* context) = nullptr;
};

template <typename Function>
bool lookUp(void* library, const char* name, Function& out) {
  void* symbol = dlsym(library, name);
  out = reinterpret_cast<Function>(symbol);
  return symbol != nullptr;
}

const CudaHostMemory* cudaHostMemory() {
  static const CudaHostMemory loaded = [] {
    CudaHostMemory functions;
    void* library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      return CudaHostMemory{};
    }
    const bool all = lookUp(library, "cuMemHostAlloc", functions.memHostAlloc) &&
                     lookUp(library, "cuMemFreeHost", functions.memFreeHost) &&
                     lookUp(library, "cuCtxPushCurrent_v2", functions.ctxPush) &&
                     lookUp(library, "cuCtxPopCurrent_v2", functions.ctxPop);
    return all ? functions : CudaHostMemory{};
  }();
  return loaded.memHostAlloc != nullptr ? &loaded : nullptr;
}

// What the pool's buffers need to reach the driver: the device (kept alive by this reference
// until the pool is gone) and its context.
struct PoolOwner {
  AVBufferRef* device = nullptr;
  CUcontext context = nullptr;
};

void freePinned(void* opaque, std::uint8_t* data) {
  const auto* owner = static_cast<const PoolOwner*>(opaque);
  const CudaHostMemory* cuda = cudaHostMemory();
  if (cuda->ctxPush(owner->context) != CUDA_SUCCESS) {
    return;  // the context is gone, and the memory with it
  }
  cuda->memFreeHost(data);
  CUcontext popped = nullptr;
  cuda->ctxPop(&popped);
}

AVBufferRef* allocPinned(void* opaque, size_t size) {
  auto* owner = static_cast<PoolOwner*>(opaque);
  const CudaHostMemory* cuda = cudaHostMemory();
  if (cuda->ctxPush(owner->context) != CUDA_SUCCESS) {
    return nullptr;
  }
  void* memory = nullptr;
  const CUresult rc = cuda->memHostAlloc(&memory, size, kHostAllocPortable);
  CUcontext popped = nullptr;
  cuda->ctxPop(&popped);
  if (rc != CUDA_SUCCESS || memory == nullptr) {
    return nullptr;
  }
  AVBufferRef* buffer = av_buffer_create(static_cast<std::uint8_t*>(memory), size, &freePinned, owner, 0);
  if (buffer == nullptr) {
    freePinned(owner, static_cast<std::uint8_t*>(memory));
  }
  return buffer;
}

// Called by FFmpeg once the pool is uninitialised and every buffer has come back (and been
// freed): only then may the device go.
void freeOwner(void* opaque) {
  auto* owner = static_cast<PoolOwner*>(opaque);
  av_buffer_unref(&owner->device);
  delete owner;
}

const AVHWFramesContext* framesOf(const AVFrame* frame) {
  return frame->hw_frames_ctx != nullptr ? reinterpret_cast<const AVHWFramesContext*>(frame->hw_frames_ctx->data)
                                         : nullptr;
}

}  // namespace

std::unique_ptr<PinnedDownload> PinnedDownload::create(const AVFrame* hwFrame, std::string& whyNot) {
  const AVHWFramesContext* frames = framesOf(hwFrame);
  if (frames == nullptr || frames->device_ctx->type != AV_HWDEVICE_TYPE_CUDA) {
    whyNot = "the frames are not on a CUDA device";
    return nullptr;
  }
  if (cudaHostMemory() == nullptr) {
    whyNot = "the CUDA driver library (libcuda.so.1) or its host-memory functions cannot be loaded";
    return nullptr;
  }
  const auto format = frames->sw_format;
  const int size = av_image_get_buffer_size(format, hwFrame->width, hwFrame->height, kAlign);
  if (size <= 0) {
    whyNot = "no buffer size for the download format";
    return nullptr;
  }
  auto* owner = new PoolOwner;
  owner->device = av_buffer_ref(frames->device_ref);
  owner->context = static_cast<const AVCUDADeviceContext*>(frames->device_ctx->hwctx)->cuda_ctx;
  AVBufferPool* pool = owner->device != nullptr
                           ? av_buffer_pool_init2(static_cast<size_t>(size), owner, &allocPinned, &freeOwner)
                           : nullptr;
  if (pool == nullptr) {
    av_buffer_unref(&owner->device);
    delete owner;
    whyNot = "cannot make a buffer pool";
    return nullptr;
  }
  std::unique_ptr<PinnedDownload> made(new PinnedDownload);
  made->pool_ = pool;
  made->device_ = frames->device_ctx;
  made->format_ = format;
  made->width_ = hwFrame->width;
  made->height_ = hwFrame->height;
  return made;
}

PinnedDownload::~PinnedDownload() { av_buffer_pool_uninit(&pool_); }

bool PinnedDownload::fits(const AVFrame* hwFrame) const {
  const AVHWFramesContext* frames = framesOf(hwFrame);
  return frames != nullptr && frames->device_ctx == device_ && frames->sw_format == format_ &&
         hwFrame->width == width_ && hwFrame->height == height_;
}

int PinnedDownload::download(AVFrame* dst, const AVFrame* hwFrame) {
  dst->format = format_;
  dst->width = width_;
  dst->height = height_;
  dst->buf[0] = av_buffer_pool_get(pool_);
  if (dst->buf[0] == nullptr) {
    av_frame_unref(dst);
    return AVERROR(ENOMEM);
  }
  int rc = av_image_fill_arrays(dst->data, dst->linesize, dst->buf[0]->data, static_cast<AVPixelFormat>(format_),
                                width_, height_, kAlign);
  // With dst's buffer set, FFmpeg copies into it instead of allocating one of its own.
  if (rc >= 0) {
    rc = av_hwframe_transfer_data(dst, hwFrame, 0);
  }
  if (rc >= 0) {
    rc = av_frame_copy_props(dst, hwFrame);
  }
  if (rc < 0) {
    av_frame_unref(dst);
    return rc;
  }
  return 0;
}

}  // namespace ccoc::video::detail
