// ffmpeg_baseline_run.cpp: the benchmark phase that runs one ffmpeg process per stream.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "process_tools.hpp"
#include "wall_runs.hpp"

namespace ccoc::bench {
namespace {

using Clock = std::chrono::steady_clock;

// The last "frame=N" ffmpeg wrote to its -progress file (written twice a second).
std::uint64_t progressFrames(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::uint64_t frames = 0;
  while (std::getline(file, line)) {
    if (line.rfind("frame=", 0) == 0) {
      frames = std::strtoull(line.c_str() + 6, nullptr, 10);
    }
  }
  return frames;
}

}  // namespace

PhaseResult runFfmpegBaseline(const std::vector<std::string>& urls,
                              std::chrono::seconds duration) {
  PhaseResult result;
  char folderTemplate[] = "/tmp/ccoc-bench-XXXXXX";
  if (mkdtemp(folderTemplate) == nullptr) {
    result.error = "cannot create a temporary folder for ffmpeg's progress files";
    return result;
  }
  const std::string folder = folderTemplate;
  std::vector<ChildProcess> children;
  std::vector<std::string> progressPaths;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    progressPaths.push_back(folder + "/progress" + std::to_string(i) + ".txt");
    std::string error;
    ChildProcess child = spawnChild(
        {"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-stats_period", "0.5",
         "-progress", progressPaths.back(), "-rtsp_transport", "tcp", "-threads", "1", "-i",
         urls[i], "-f", "null", "-"},
        false, error);
    if (child.pid < 0) {
      result.error = error;
      break;
    }
    children.push_back(child);
  }

  if (result.error.empty()) {
    const auto warmDeadline = Clock::now() + std::chrono::seconds(30);
    bool warm = false;
    while (Clock::now() < warmDeadline && !warm) {
      warm = true;
      for (const std::string& path : progressPaths) {
        warm = warm && progressFrames(path) >= 25;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!warm) {
      result.error = "not every ffmpeg decoded a second of video within 30 s";
    } else {
      double cpu0 = 0;
      std::uint64_t frames0 = 0;
      for (std::size_t i = 0; i < children.size(); ++i) {
        cpu0 += cpuSecondsOf(children[i].pid);
        frames0 += progressFrames(progressPaths[i]);
      }
      const auto start = Clock::now();
      std::this_thread::sleep_for(duration);
      double cpu1 = 0;
      std::uint64_t frames1 = 0;
      for (std::size_t i = 0; i < children.size(); ++i) {
        cpu1 += cpuSecondsOf(children[i].pid);
        frames1 += progressFrames(progressPaths[i]);
      }
      result.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
      result.cpuSeconds = cpu1 - cpu0;
      result.frames = frames1 - frames0;
      result.ok = true;
    }
  }
  for (ChildProcess& child : children) {
    stopChild(child, std::chrono::seconds(3));
  }
  for (const std::string& path : progressPaths) {
    std::remove(path.c_str());
  }
  rmdir(folder.c_str());
  return result;
}

}  // namespace ccoc::bench
