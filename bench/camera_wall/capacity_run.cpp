// capacity_run.cpp: the tile-count sweep on one file: hardware decode, + GL, software baseline.
#include "capacity_run.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "wall_runs.hpp"

namespace ccoc::bench {
namespace {

struct Verdict {
  bool sustained = false;
  double minFps = 0.0;
  double meanFps = 0.0;
};

Verdict judge(const PhaseResult& r, double fps, bool withGl) {
  Verdict v;
  if (!r.ok || r.framesPerStream.empty() || r.wallSeconds <= 0) {
    return v;
  }
  const auto fewest = *std::min_element(r.framesPerStream.begin(), r.framesPerStream.end());
  v.minFps = static_cast<double>(fewest) / r.wallSeconds;
  v.meanFps = static_cast<double>(r.frames) /
              static_cast<double>(r.framesPerStream.size()) / r.wallSeconds;
  v.sustained = v.minFps >= 0.96 * fps && r.consumerLateTicks * 100 <= r.consumerTicks;
  if (withGl) {
    v.sustained = v.sustained && r.uploads * 100 >= r.frames * 95;
  }
  return v;
}

void printRow(const char* phase, int tiles, const PhaseResult& r, const Verdict& v,
              bool withGl) {
  if (!r.ok) {
    std::printf("%4d  %-9s FAILED: %s\n", tiles, phase, r.error.c_str());
    std::fflush(stdout);
    return;
  }
  const double core = r.cpuSeconds / r.wallSeconds * 100.0;
  std::printf("%4d  %-9s %6.2f %6.2f  %7.1f%%  %6.3f ms  %6llu", tiles, phase, v.minFps,
              v.meanFps, core,
              r.frames > 0 ? r.cpuSeconds * 1000.0 / static_cast<double>(r.frames) : 0.0,
              static_cast<unsigned long long>(r.dropped));
  if (withGl) {
    std::printf("  %5.1f%%", r.frames > 0 ? 100.0 * static_cast<double>(r.uploads) /
                                                 static_cast<double>(r.frames)
                                           : 0.0);
  } else {
    std::printf("  %6s", "-");
  }
  std::printf("  %4llu/%-5llu  %-3s  %s\n", static_cast<unsigned long long>(r.consumerLateTicks),
              static_cast<unsigned long long>(r.consumerTicks), v.sustained ? "yes" : "NO",
              r.decoders.c_str());
  if (r.frames > 0) {
    // Where the reader threads' time went: a stage near 40 ms per frame is the limit.
    const double perFrame = 1000.0 / static_cast<double>(r.frames);
    std::printf("      %-9s per frame: read %.2f ms, decode %.2f ms, convert %.2f ms, "
                "pacing %.2f ms\n",
                phase, r.readSeconds * perFrame, r.decodeSeconds * perFrame,
                r.convertSeconds * perFrame, r.pacingSeconds * perFrame);
  }
  std::fflush(stdout);
}

}  // namespace

int runCapacity(const CapacityOptions& options) {
  if (!std::ifstream(options.file).good()) {
    std::fprintf(stderr, "bench_camera_wall: cannot read --file %s\n", options.file.c_str());
    return 2;
  }
  std::printf("camera wall capacity: every tile plays %s (looped, paced at %.0f fps), %d s per "
              "phase\n",
              options.file.c_str(), options.fps, options.seconds);
  std::printf("phases: %s%s%s\n", options.hardware ? "hw = our path, hardware decoding; " : "",
              options.gl ? (options.hardware ? "hw+gl = the same with GPU upload and shader "
                                               "conversion; "
                                             : "sw+gl = software decoding with GPU upload and "
                                               "shader conversion; ")
                         : "",
              "sw = our path, software decoding, 1 thread per stream (the baseline)");
  std::printf("sustained: every tile >= %.1f fps, consumer late on <= 1%% of its 60 Hz ticks%s\n",
              0.96 * options.fps, options.gl ? ", GL: >= 95% of decoded frames uploaded" : "");
  if (options.noDownload) {
    std::printf("hw-nodl: hardware frames are counted and left on the GPU (no copy to memory)\n");
  }
  if (options.cudaStream) {
    std::printf("hw-strm: one shared CUDA context, a CUDA stream of its own per decoder\n");
  }
  if (options.pinned) {
    std::printf("hw phases: CUDA frames come down into page-locked memory (decoders say "
                "\"pinned copies\" where it worked)\n");
  }
  if (options.framesInFlight > 1) {
    std::printf("hw phases: every hardware decoder has %d frames in flight (frame threads)\n",
                options.framesInFlight);
  }
  if (options.devicePerStream) {
    std::printf("hw-own: every stream has a CUDA context of its own (not the shared one)\n");
  }
  // A fast path that shows the wrong picture is no path: check it before measuring it.
  const bool pictureOk = !options.hardware || options.noDownload || [&] {
    HardwareVariant variant;
    variant.cudaStream = options.cudaStream;
    variant.pinned = options.pinned;
    variant.framesInFlight = options.framesInFlight;
    return checkHardwarePicture(options.file, variant);
  }();
  std::printf("tiles phase     minfps meanfps  cpu(core)  cpu/frame dropped uploaded late/ticks "
              "ok   decoders\n");
  std::fflush(stdout);

  int exitCode = pictureOk ? 0 : 1;
  int sustainedHw = 0;
  int sustainedGl = 0;
  int sustainedSw = 0;
  std::string renderer;
  for (const int tiles : options.tileCounts) {
    const std::vector<std::string> urls(static_cast<std::size_t>(tiles), options.file);
    const auto duration = std::chrono::seconds(options.seconds);
    PhaseResult hw;
    PhaseResult sw;
    if (options.hardware) {
      HardwareVariant variant;
      variant.devicePerStream = options.devicePerStream;
      variant.download = !options.noDownload;
      variant.cudaStream = options.cudaStream;
      variant.pinned = options.pinned;
      variant.framesInFlight = options.framesInFlight;
      hw = runOurDecoder(urls, duration, true, nullptr, variant);
      const Verdict v = judge(hw, options.fps, false);
      printRow(options.noDownload        ? "hw-nodl"
               : options.devicePerStream ? "hw-own"
               : options.cudaStream      ? "hw-strm"
                                         : "hw",
               tiles, hw, v, false);
      if (v.sustained) {
        sustainedHw = std::max(sustainedHw, tiles);
      }
    }
    if (options.gl && !options.noDownload) {
      HardwareVariant variant;
      variant.cudaStream = options.cudaStream;
      variant.pinned = options.pinned;
      variant.framesInFlight = options.framesInFlight;
      const PhaseResult gl =
          runGlUpload(urls, duration, options.hardware, options.headless, renderer, variant);
      const Verdict v = judge(gl, options.fps, true);
      printRow(options.hardware ? "hw+gl" : "sw+gl", tiles, gl, v, true);
      if (v.sustained) {
        sustainedGl = std::max(sustainedGl, tiles);
      }
      exitCode = gl.ok ? exitCode : 1;
    }
    if (!options.hardware || tiles <= options.softwareMax) {
      sw = runOurDecoder(urls, duration, false);
      const Verdict v = judge(sw, options.fps, false);
      printRow("sw", tiles, sw, v, false);
      if (v.sustained) {
        sustainedSw = std::max(sustainedSw, tiles);
      }
    }
    if (hw.ok && sw.ok && hw.frames > 0 && sw.frames > 0 && sw.cpuSeconds > 0) {
      std::printf("%4d  ratio hw/sw cpu per frame: %.3f\n", tiles,
                  (hw.cpuSeconds / static_cast<double>(hw.frames)) /
                      (sw.cpuSeconds / static_cast<double>(sw.frames)));
    }
    exitCode = (options.hardware && !hw.ok) ? 1 : exitCode;
  }
  if (!renderer.empty()) {
    std::printf("gl renderer: %s\n", renderer.c_str());
  }
  std::string summary = "largest tile count sustained:";
  if (options.hardware) {
    summary += " hw " + std::to_string(sustainedHw) + ",";
  }
  if (options.gl) {
    summary += std::string(options.hardware ? " hw+gl " : " sw+gl ") +
               std::to_string(sustainedGl) + ",";
  }
  summary += " sw " + std::to_string(sustainedSw);
  if (options.hardware) {
    summary += " (software measured up to " + std::to_string(options.softwareMax) + " tiles)";
  }
  std::printf("%s\n", summary.c_str());
  std::fflush(stdout);
  return exitCode;
}

}  // namespace ccoc::bench
