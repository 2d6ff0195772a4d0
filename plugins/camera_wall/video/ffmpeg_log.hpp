// ffmpeg_log.hpp (private): FFmpeg's own log lines, through the reader's log with its camera.
#pragma once

namespace ccoc::video::detail {

class ReaderCore;

/// Replaces FFmpeg's log callback (process-wide by FFmpeg's design) with one that keeps warnings
/// and errors only and sends each whole line, with its level and FFmpeg's component ("ffmpeg rtsp:
/// method DESCRIBE failed: 401 Unauthorized"), to the log of the reader whose thread logged it:
/// the camera's log sink, which adds time and camera, with credentials redacted. Installed once, on
/// the first reader; later calls do nothing. Thread: any.
void installRedactingFfmpegLog();

/// While it lives, FFmpeg lines logged on this thread belong to `core`. A reader thread makes one
/// for its whole life. Lines from threads no reader owns (FFmpeg's own decoder threads, which only
/// exist with several hardware frames in flight) go to stderr, redacted, as
/// "ccoc-video: LEVEL ffmpeg NAME: ...". Thread: the thread it is made on; not movable.
class FfmpegLogRoute {
 public:
  explicit FfmpegLogRoute(const ReaderCore& core);
  ~FfmpegLogRoute();
  FfmpegLogRoute(const FfmpegLogRoute&) = delete;
  FfmpegLogRoute& operator=(const FfmpegLogRoute&) = delete;
  FfmpegLogRoute(FfmpegLogRoute&&) = delete;
  FfmpegLogRoute& operator=(FfmpegLogRoute&&) = delete;

 private:
  const ReaderCore* previous_;
};

/// While it lives, FFmpeg lines logged on this thread are about a hardware device being tried,
/// whose failure is expected on a machine without one (no libcuda, no /dev/dri): they are logged
/// at info level, not as errors, and the reader's one line "hardware decoding unavailable (...)"
/// says what came of the try. Thread: the thread it is made on; nests; not movable.
class FfmpegProbeScope {
 public:
  FfmpegProbeScope();
  ~FfmpegProbeScope();
  FfmpegProbeScope(const FfmpegProbeScope&) = delete;
  FfmpegProbeScope& operator=(const FfmpegProbeScope&) = delete;
  FfmpegProbeScope(FfmpegProbeScope&&) = delete;
  FfmpegProbeScope& operator=(FfmpegProbeScope&&) = delete;
};

}  // namespace ccoc::video::detail
