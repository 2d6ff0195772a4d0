// process_tools.hpp: child processes and CPU time, for the camera-wall benchmark.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

namespace ccoc::bench {

/// A child process started with posix_spawn. Not stopped by the destructor: call stop().
struct ChildProcess {
  pid_t pid = -1;
  int stdoutFd = -1;  ///< read end of its stdout when captured, else -1
};

/// Starts `argv[0]` (a path) with `argv`. With `captureStdout`, its stdout goes to a pipe;
/// otherwise to /dev/null. Returns pid -1 and sets `error` on failure.
ChildProcess spawnChild(const std::vector<std::string>& argv, bool captureStdout,
                        std::string& error);

/// Reads the child's first stdout line within `timeout`; empty on timeout or exit.
std::string readLine(const ChildProcess& child, std::chrono::milliseconds timeout);

/// SIGINT (lets ffmpeg finish cleanly), then SIGKILL after `grace`; reaps the child.
void stopChild(ChildProcess& child, std::chrono::milliseconds grace);

/// User + system CPU seconds the process has used so far (from /proc/PID/stat); pid 0 = self.
double cpuSecondsOf(pid_t pid);

/// The directory holding this executable (to find ccoc-camsim next to it).
std::string executableDirectory();

}  // namespace ccoc::bench
