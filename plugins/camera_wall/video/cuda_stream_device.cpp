// cuda_stream_device.cpp: FFmpeg CUDA device = shared CUcontext + a CUstream of its own.
#include "cuda_stream_device.hpp"

// The CUDA driver is loaded at run time (see cuda_driver_api.hpp).
#include "cuda_driver_api.hpp"

extern "C" {
#include <libavutil/hwcontext.h>
#include <libavutil/hwcontext_cuda.h>
}

namespace ccoc::video::detail {
namespace {

// The driver's functions, loaded once for the process and never unloaded (a stream may be
// destroyed until the very end).
CudaFunctions* driver() {
  static CudaFunctions* functions = [] {
    CudaFunctions* loaded = nullptr;
    return cuda_load_functions(&loaded, nullptr) < 0 ? nullptr : loaded;
  }();
  return functions;
}

void destroyOwnStream(AVHWDeviceContext* device) {
  auto* cuda = static_cast<AVCUDADeviceContext*>(device->hwctx);
  CudaFunctions* cu = driver();
  if (cu == nullptr || cuda->stream == nullptr) {
    return;
  }
  CUcontext popped = nullptr;
  if (cu->cuCtxPushCurrent(cuda->cuda_ctx) == CUDA_SUCCESS) {
    cu->cuStreamDestroy(cuda->stream);  // work still queued on it completes first
    cu->cuCtxPopCurrent(&popped);
  }
  cuda->stream = nullptr;
}

}  // namespace

AVBufferRef* cudaDeviceWithOwnStream(AVBufferRef* sharedCuda, std::string& whyNot) {
  CudaFunctions* cu = driver();
  if (cu == nullptr) {
    whyNot = "the CUDA driver library cannot be loaded";
    return nullptr;
  }
  const auto* shared = reinterpret_cast<const AVHWDeviceContext*>(sharedCuda->data);
  const auto* sharedHw = static_cast<const AVCUDADeviceContext*>(shared->hwctx);
  AVBufferRef* own = av_hwdevice_ctx_alloc(AV_HWDEVICE_TYPE_CUDA);
  if (own == nullptr) {
    whyNot = "out of memory";
    return nullptr;
  }
  auto* device = reinterpret_cast<AVHWDeviceContext*>(own->data);
  auto* hw = static_cast<AVCUDADeviceContext*>(device->hwctx);
  hw->cuda_ctx = sharedHw->cuda_ctx;  // borrowed: FFmpeg destroys only contexts it made itself
  CUcontext popped = nullptr;
  CUstream stream = nullptr;
  CUresult rc = cu->cuCtxPushCurrent(hw->cuda_ctx);
  if (rc == CUDA_SUCCESS) {
    rc = cu->cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING);
    cu->cuCtxPopCurrent(&popped);
  }
  if (rc != CUDA_SUCCESS) {
    whyNot = "cuStreamCreate failed (CUDA error " + std::to_string(static_cast<int>(rc)) + ")";
    av_buffer_unref(&own);
    return nullptr;
  }
  hw->stream = stream;
  device->free = destroyOwnStream;
  if (av_hwdevice_ctx_init(own) < 0) {
    whyNot = "av_hwdevice_ctx_init failed for the CUDA device with its own stream";
    av_buffer_unref(&own);  // destroyOwnStream runs
    return nullptr;
  }
  return own;
}

}  // namespace ccoc::video::detail
