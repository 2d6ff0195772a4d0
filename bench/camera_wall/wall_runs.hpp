// wall_runs.hpp: the two measured phases of the benchmark, on the same streams.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
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
  std::uint64_t uploads = 0;  ///< frames the consumer took in the window (uploaded in the GL phase)
  std::vector<std::uint64_t> framesPerStream;  ///< decoded in the window, same order (ours only)
  std::string decoders;  ///< what decoded, e.g. "64 x h264 (cuda)" (ours only)
  /// Reader threads' time in the window, summed over the streams (ours only): where it went.
  double readSeconds = 0.0;
  double decodeSeconds = 0.0;
  double convertSeconds = 0.0;
  double pacingSeconds = 0.0;
};

/// What the consumer thread does with the frames instead of touching their bytes: the GL phase
/// uploads and converts them. Every hook runs on the consumer thread.
struct ConsumerHooks {
  std::function<bool(std::string& error)> begin;  ///< before the first tick (make a GL context)
  std::function<void(std::size_t stream, const void* frame)> frame;  ///< a video::VideoFrame
  std::function<void()> endTick;  ///< after each tick's frames (glFinish)
  std::function<void()> end;      ///< after the last tick
};

/// Variants of the hardware path, to measure where its time goes (StreamOptions has both).
struct HardwareVariant {
  bool devicePerStream = false;  ///< a device (CUDA context) per stream instead of one shared
  bool download = true;          ///< false: frames stay on the GPU, counted, not delivered
  bool cudaStream = false;       ///< shared CUDA context, a CUDA stream per decoder
  bool pinned = false;           ///< CUDA frames come down into page-locked memory
  int framesInFlight = 1;        ///< frames each hardware decoder works on at once
};

/// Decodes the first frame of `file` with our path twice, with hardware decoding (the variant's
/// options) and in software, compares the luma planes and prints the result. False when they
/// differ or either frame could not be taken.
bool checkHardwarePicture(const std::string& file, const HardwareVariant& variant);

/// Our path: one StreamReader per URL (software decoding unless `hardware`), and a consumer
/// thread that takes the newest frame of every stream at 60 Hz and reads its planes, as the
/// render loop will. Measures `duration` after every stream has decoded a second of video.
PhaseResult runOurDecoder(const std::vector<std::string>& urls, std::chrono::seconds duration,
                          bool hardware, const ConsumerHooks* hooks = nullptr,
                          HardwareVariant variant = {});

/// Our path with the camera wall's GPU upload: the consumer owns a hidden GL 3.3 window (needs an
/// X display, e.g. Xvfb; with `headless`, an EGL context on the first GPU instead) and uploads every taken frame's planes and converts them with the panel's
/// shader (plugins/camera_wall/src/yuv_renderer.cpp), then glFinish() once per tick so a software
/// OpenGL (Mesa llvmpipe) does its work inside the measured CPU. Also reports the GL renderer.
PhaseResult runGlUpload(const std::vector<std::string>& urls, std::chrono::seconds duration,
                        bool hardware, bool headless, std::string& renderer,
                        HardwareVariant variant = {});

/// The baseline: one `ffmpeg -threads 1 -rtsp_transport tcp -i URL -f null -` per URL, measured
/// over the same kind of window.
PhaseResult runFfmpegBaseline(const std::vector<std::string>& urls, std::chrono::seconds duration);

}  // namespace ccoc::bench
