// cuda_driver_api.hpp (private): the CUDA driver API's types and FFmpeg's run-time loader for it,
// from the FFmpeg project's loader headers (nv-codec-headers). Nothing links against the driver:
// a machine without an NVIDIA driver runs the same binary. The headers are C written for C
// compilers, so our warnings are off for them alone.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wuseless-cast"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wzero-as-null-pointer-constant"
#include <ffnvcodec/dynlink_loader.h>
#pragma GCC diagnostic pop
