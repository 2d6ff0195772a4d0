// cuda_stream_device.hpp (private): a CUDA device for one decoder that shares the process's CUDA
// context but has a CUDA stream of its own.
#pragma once

#include <string>

extern "C" {
#include <libavutil/buffer.h>
}

namespace ccoc::video::detail {

/// Why: FFmpeg's CUDA device queues all of its work (each decoder's frame copies out of the video
/// engine, each download) on one stream, the context's legacy default stream, which also waits
/// for everything else in the context. With one device shared by every tile, one tile's copy can
/// wait behind every other tile's decoding. A device made here wraps the same CUDA context (no
/// new context, no new GPU memory) with a non-blocking stream of its own, destroyed with it.
///
/// `sharedCuda` is an AV_HWDEVICE_TYPE_CUDA device that outlives the result. Returns a new device
/// reference, or nullptr with `whyNot` saying which step failed (the CUDA driver library cannot be
/// loaded, the stream cannot be made). Any thread.
AVBufferRef* cudaDeviceWithOwnStream(AVBufferRef* sharedCuda, std::string& whyNot);

}  // namespace ccoc::video::detail
