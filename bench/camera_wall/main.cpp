// bench_camera_wall: CPU per stream of our decode path against ffmpeg on the same streams.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "capacity_run.hpp"
#include "process_tools.hpp"
#include "wall_runs.hpp"

namespace {

struct BenchOptions {
  int subStreams = 16;
  int mainStreams = 1;
  int seconds = 60;
  std::string mainSize = "1920x1080";
  std::string url;  // base URL of a running server; empty: start ccoc-camsim
  bool hardware = false;
  bool gl = false;  // also measure decode + GPU upload + shader conversion
  bool headless = false;  // GL through EGL's device platform instead of an X window
  std::string file;       // capacity sweep: every tile plays this file
  std::vector<int> tiles;  // capacity sweep: tile counts
  int softwareMax = 64;
  bool devicePerStream = false;
  bool noDownload = false;
  bool cudaStream = false;
  bool pinned = false;
  int framesInFlight = 1;
};

const char* kUsage =
    "usage: bench_camera_wall [--streams N] [--main M] [--seconds S] [--main-size WxH]\n"
    "                         [--url rtsp://HOST:PORT/] [--hw] [--gl] [--egl]\n"
    "       bench_camera_wall --file CLIP --tiles N1,N2,... [--seconds S] [--hw] [--gl] [--egl]\n"
    "                         [--sw-max N] [--hw-per-stream] [--no-download]\n"
    "                         [--cuda-stream] [--hw-frames N] [--pinned]\n"
    "  --streams N   sub streams (640x360, 25 fps) from cameras 1..N (default 16)\n"
    "  --main M      main streams from cameras 1..M (default 1)\n"
    "  --seconds S   measured seconds per phase (default 60)\n"
    "  --main-size   main stream size when starting ccoc-camsim (default 1920x1080)\n"
    "  --url BASE    use a running server instead of starting ccoc-camsim\n"
    "  --hw          let our path try hardware decoding (CUDA, VAAPI)\n"
    "  --gl          third phase: decode + upload + shader conversion in a hidden GL window\n"
    "                (needs an X display; under Xvfb that is software OpenGL, Mesa llvmpipe)\n"
    "  --egl         make the GL context with EGL on the first GPU instead (no X display)\n"
    "  --file CLIP --tiles LIST\n"
    "                capacity sweep: for each count, that many tiles play CLIP (looped, paced at\n"
    "                25 fps): our path with --hw, then with --gl, then software decoding (up to\n"
    "                --sw-max tiles, default 64); prints which counts were sustained\n"
    "  --hw-per-stream  (sweep) a CUDA context per stream instead of the shared one\n"
    "  --no-download    (sweep) hardware frames stay on the GPU: the decoder alone\n"
    "  --cuda-stream    (sweep) the shared CUDA context, a CUDA stream per decoder\n"
    "  --hw-frames N    (sweep) frames each hardware decoder works on at once (default 1)\n"
    "  --pinned         (sweep) CUDA frames come down into page-locked memory\n";

bool parseList(std::string_view text, std::vector<int>& out) {
  out.clear();
  while (!text.empty()) {
    const auto comma = text.find(',');
    int value = 0;
    const auto* end = text.data() + (comma == std::string_view::npos ? text.size() : comma);
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || value < 1 || value > 512) {
      return false;
    }
    out.push_back(value);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return !out.empty();
}

bool parseCount(std::string_view text, int& out, int low, int high) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end && out >= low && out <= high;
}

bool parseOptions(int argc, char** argv, BenchOptions& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (name == "--hw") {
      options.hardware = true;
      continue;
    }
    if (name == "--gl") {
      options.gl = true;
      continue;
    }
    if (name == "--hw-per-stream") {
      options.devicePerStream = true;
      continue;
    }
    if (name == "--cuda-stream") {
      options.cudaStream = true;
      continue;
    }
    if (name == "--pinned") {
      options.pinned = true;
      continue;
    }
    if (name == "--no-download") {
      options.noDownload = true;
      continue;
    }
    if (name == "--egl") {
      options.headless = true;
      continue;
    }
    if (name == "--help" || i + 1 >= argc) {
      std::fprintf(stderr, "%s%s", name == "--help" ? "" : "missing value or unknown option\n",
                   kUsage);
      return false;
    }
    const std::string value = argv[++i];
    bool good = true;
    if (name == "--streams") {
      good = parseCount(value, options.subStreams, 0, 64);
    } else if (name == "--main") {
      good = parseCount(value, options.mainStreams, 0, 64);
    } else if (name == "--hw-frames") {
      good = parseCount(value, options.framesInFlight, 1, 16);
    } else if (name == "--seconds") {
      good = parseCount(value, options.seconds, 1, 3600);
    } else if (name == "--main-size") {
      options.mainSize = value;
    } else if (name == "--url") {
      options.url = value;
    } else if (name == "--file") {
      options.file = value;
    } else if (name == "--tiles") {
      good = parseList(value, options.tiles);
    } else if (name == "--sw-max") {
      good = parseCount(value, options.softwareMax, 0, 512);
    } else {
      good = false;
    }
    if (!good) {
      std::fprintf(stderr, "bench_camera_wall: bad option %s %s\n%s", name.c_str(),
                   value.c_str(), kUsage);
      return false;
    }
  }
  if (options.file.empty() != options.tiles.empty()) {
    std::fprintf(stderr, "bench_camera_wall: --file and --tiles go together\n%s", kUsage);
    return false;
  }
  if (options.subStreams + options.mainStreams == 0) {
    std::fprintf(stderr, "bench_camera_wall: nothing to measure (--streams 0 --main 0)\n");
    return false;
  }
  return true;
}

// The 1-minute load average, so a reader can judge how busy the machine was.
std::string loadAverage() {
  std::ifstream file("/proc/loadavg");
  std::string one;
  file >> one;
  return one.empty() ? "?" : one;
}

void printPhase(const char* name, const ccoc::bench::PhaseResult& r, int streams) {
  const double core = r.cpuSeconds / r.wallSeconds * 100.0;
  std::printf("%-7s cpu %.2f s in %.1f s = %.1f%% of a core; %.2f%% per stream; "
              "%llu frames (%.2f ms cpu per frame)\n",
              name, r.cpuSeconds, r.wallSeconds, core, core / streams,
              static_cast<unsigned long long>(r.frames),
              r.frames > 0 ? r.cpuSeconds * 1000.0 / static_cast<double>(r.frames) : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  if (!parseOptions(argc, argv, options)) {
    return 2;
  }
  if (!options.tiles.empty()) {
    ccoc::bench::CapacityOptions capacity;
    capacity.file = options.file;
    capacity.tileCounts = options.tiles;
    capacity.seconds = options.seconds;
    capacity.hardware = options.hardware;
    capacity.gl = options.gl;
    capacity.headless = options.headless;
    capacity.softwareMax = options.softwareMax;
    capacity.devicePerStream = options.devicePerStream;
    capacity.noDownload = options.noDownload;
    capacity.cudaStream = options.cudaStream;
    capacity.pinned = options.pinned;
    capacity.framesInFlight = options.framesInFlight;
    return ccoc::bench::runCapacity(capacity);
  }
  const int cameras = std::max(options.subStreams, options.mainStreams);
  ccoc::bench::ChildProcess camsim;
  std::string base = options.url;
  if (base.empty()) {
    std::string error;
    camsim = ccoc::bench::spawnChild(
        {ccoc::bench::executableDirectory() + "/ccoc-camsim", "--port", "0", "--cameras",
         std::to_string(cameras), "--main-size", options.mainSize, "--h265", "0"},
        true, error);
    const std::string ready =
        camsim.pid > 0 ? ccoc::bench::readLine(camsim, std::chrono::seconds(20)) : "";
    if (ready.rfind("ready ", 0) != 0) {
      std::fprintf(stderr, "bench_camera_wall: ccoc-camsim did not start: %s\n",
                   error.empty() ? "no ready line within 20 s" : error.c_str());
      ccoc::bench::stopChild(camsim, std::chrono::seconds(2));
      return 1;
    }
    base = ready.substr(6);
  }
  std::vector<std::string> urls;
  for (int i = 1; i <= options.subStreams; ++i) {
    urls.push_back(base + "cam" + std::to_string(i) + "/sub");
  }
  for (int i = 1; i <= options.mainStreams; ++i) {
    urls.push_back(base + "cam" + std::to_string(i));
  }
  const int streams = static_cast<int>(urls.size());
  std::printf("camera wall benchmark: %d sub streams (640x360) + %d main (%s), H.264, 25 fps, "
              "%d s per phase, server %s\n",
              options.subStreams, options.mainStreams, options.mainSize.c_str(), options.seconds,
              base.c_str());
  std::printf("ours:   StreamReader per stream (%s decoding, 1 decoder thread), newest frame "
              "taken at 60 Hz\n",
              options.hardware ? "hardware if available" : "software");
  std::printf("ffmpeg: ffmpeg -rtsp_transport tcp -threads 1 -i URL -f null - per stream\n");
  std::fflush(stdout);

  const std::string loadAtStart = loadAverage();
  const double camsimCpu0 = camsim.pid > 0 ? ccoc::bench::cpuSecondsOf(camsim.pid) : 0.0;
  const auto ours =
      ccoc::bench::runOurDecoder(urls, std::chrono::seconds(options.seconds), options.hardware);
  const auto baseline = ccoc::bench::runFfmpegBaseline(urls, std::chrono::seconds(options.seconds));
  std::string glRenderer;
  ccoc::bench::PhaseResult withGl;
  if (options.gl) {
    withGl = ccoc::bench::runGlUpload(urls, std::chrono::seconds(options.seconds), options.hardware,
                                      options.headless, glRenderer);
  }
  const double camsimCpu = camsim.pid > 0 ? ccoc::bench::cpuSecondsOf(camsim.pid) - camsimCpu0 : 0;
  ccoc::bench::stopChild(camsim, std::chrono::seconds(5));

  int exitCode = 0;
  if (!ours.ok) {
    std::printf("ours:   FAILED: %s\n", ours.error.c_str());
    exitCode = 1;
  } else {
    printPhase("ours", ours, streams);
  }
  if (!baseline.ok) {
    std::printf("ffmpeg: FAILED: %s\n", baseline.error.c_str());
    exitCode = 1;
  } else {
    printPhase("ffmpeg", baseline, streams);
  }
  if (ours.ok && baseline.ok && baseline.cpuSeconds > 0 && baseline.frames > 0 && ours.frames > 0) {
    const double perSecond =
        (ours.cpuSeconds / ours.wallSeconds) / (baseline.cpuSeconds / baseline.wallSeconds);
    const double perFrame = (ours.cpuSeconds / static_cast<double>(ours.frames)) /
                            (baseline.cpuSeconds / static_cast<double>(baseline.frames));
    std::printf("ratio ours/ffmpeg: %.3f per frame, %.3f per stream-second (target <= 1.15)\n",
                perFrame, perSecond);
  }
  if (options.gl && !withGl.ok) {
    std::printf("gl:     FAILED: %s\n", withGl.error.c_str());
    exitCode = 1;
  } else if (options.gl) {
    printPhase("gl", withGl, streams);
    std::printf("gl renderer: %s%s\n", glRenderer.c_str(),
                glRenderer.find("llvmpipe") != std::string::npos
                    ? " (software OpenGL: its cost below is CPU a real GPU would take)"
                    : "");
    if (ours.ok && withGl.uploads > 0 && ours.frames > 0) {
      // Decode cost per frame from the decode-only phase; the rest of the GL phase's CPU is the
      // upload and conversion of the frames the consumer took.
      const double decodePerFrame = ours.cpuSeconds / static_cast<double>(ours.frames);
      const double glOnly = withGl.cpuSeconds - decodePerFrame * static_cast<double>(withGl.frames);
      std::printf("gl: %llu frames uploaded and converted, %llu dropped (newest wins); upload + "
                  "shader %.2f ms cpu per uploaded frame; consumer late on %llu of %llu ticks\n",
                  static_cast<unsigned long long>(withGl.uploads),
                  static_cast<unsigned long long>(withGl.dropped),
                  glOnly * 1000.0 / static_cast<double>(withGl.uploads),
                  static_cast<unsigned long long>(withGl.consumerLateTicks),
                  static_cast<unsigned long long>(withGl.consumerTicks));
    }
  }
  if (ours.ok) {
    const double expected = 25.0 * ours.wallSeconds * streams;
    std::printf("frames dropped by our pipeline (slot overwritten before taken): %llu; "
                "decoded %llu of about %.0f sent\n",
                static_cast<unsigned long long>(ours.dropped),
                static_cast<unsigned long long>(ours.frames), expected);
  }
  if (ours.ok && ours.dropped > 0) {
    std::uint64_t droppedSub = 0;
    std::uint64_t droppedMain = 0;
    for (std::size_t i = 0; i < ours.droppedPerStream.size(); ++i) {
      (static_cast<int>(i) < options.subStreams ? droppedSub : droppedMain) +=
          ours.droppedPerStream[i];
    }
    std::printf("  of which sub streams %llu, main streams %llu\n",
                static_cast<unsigned long long>(droppedSub),
                static_cast<unsigned long long>(droppedMain));
  }
  if (ours.ok) {
    std::printf("consumer (60 Hz, stands in for the render loop) woke more than 40 ms late on "
                "%llu of %llu ticks%s\n",
                static_cast<unsigned long long>(ours.consumerLateTicks),
                static_cast<unsigned long long>(ours.consumerTicks),
                ours.consumerLateTicks > 0 ? ": the CPU had no headroom, drops follow" : "");
  }
  std::printf("load average at start %s, at end %s (2-core machine shared with other work)\n",
              loadAtStart.c_str(), loadAverage().c_str());
  if (camsimCpu > 0) {
    std::printf("server (ccoc-camsim) used %.1f%% of a core over both phases\n",
                camsimCpu / (ours.wallSeconds + baseline.wallSeconds + 1e-9) * 100.0);
  }
  if (!options.gl) {
    std::printf("GL upload: not measured (add --gl, with an X display)\n");
  }
  return exitCode;
}
