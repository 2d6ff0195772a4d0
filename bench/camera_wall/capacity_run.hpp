// capacity_run.hpp: how many tiles of one stream the wall sustains (the hardware-decoding sweep).
#pragma once

#include <string>
#include <vector>

namespace ccoc::bench {

struct CapacityOptions {
  std::string file;                 ///< every tile plays this file, looped, paced at its rate
  std::vector<int> tileCounts;      ///< e.g. 32, 64, 96, 128
  int seconds = 10;                 ///< measured seconds per phase
  double fps = 25.0;                ///< the file's frame rate
  bool hardware = false;            ///< decode with CUDA/VAAPI (else software only)
  bool gl = false;                  ///< also decode + upload + shader conversion
  bool headless = false;            ///< GL through EGL's device platform, no X display
  int softwareMax = 64;             ///< with hardware: software baseline up to this many tiles
  bool devicePerStream = false;     ///< hardware phase with a CUDA context per stream
  bool noDownload = false;          ///< hardware phase leaves frames on the GPU (no GL phase)
  bool cudaStream = false;          ///< hardware phases with a CUDA stream per decoder
  bool pinned = false;              ///< hardware phases copy frames into page-locked memory
  int framesInFlight = 1;           ///< hardware phases: frames each decoder works on at once
};

/// For each tile count: our decode path (hardware when asked), then the same with the GL upload
/// and shader conversion, then the software decode baseline; prints one line per phase and which
/// counts were sustained (every tile at >= 96% of the file's rate; in the GL phase also >= 95% of
/// the decoded frames uploaded and the 60 Hz consumer late on <= 1% of its ticks). Returns the
/// process exit code (1 when a phase could not run at all).
int runCapacity(const CapacityOptions& options);

}  // namespace ccoc::bench
