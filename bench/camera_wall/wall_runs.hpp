// wall_runs.hpp: the two measured phases of the benchmark, on the same streams.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ccoc::bench {

/// What one phase cost.
struct PhaseResult {
  bool ok = false;
  std::string error;         ///< why the phase could not run
  double cpuSeconds = 0.0;   ///< user + system CPU of the decoding process(es)
  double wallSeconds = 0.0;  ///< length of the measured window
  std::uint64_t frames = 0;  ///< frames decoded in the window
  std::uint64_t dropped = 0;  ///< frames overwritten before the consumer took them (ours only)
  std::vector<std::uint64_t> droppedPerStream;  ///< same order as the URLs (ours only)
  std::uint64_t consumerTicks = 0;      ///< 60 Hz consumer wake-ups in the window (ours only)
  std::uint64_t consumerLateTicks = 0;  ///< wake-ups later than one 25 fps frame (40 ms)
};

/// Our path: one StreamReader per URL (software decoding unless `hardware`), and a consumer
/// thread that takes the newest frame of every stream at 60 Hz and reads its planes, as the
/// render loop will. Measures `duration` after every stream has decoded a second of video.
PhaseResult runOurDecoder(const std::vector<std::string>& urls, std::chrono::seconds duration,
                          bool hardware);

/// The baseline: one `ffmpeg -threads 1 -rtsp_transport tcp -i URL -f null -` per URL, measured
/// over the same kind of window.
PhaseResult runFfmpegBaseline(const std::vector<std::string>& urls, std::chrono::seconds duration);

}  // namespace ccoc::bench
