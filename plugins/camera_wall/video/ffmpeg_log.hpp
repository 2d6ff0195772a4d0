// ffmpeg_log.hpp (private): FFmpeg's own log lines, with credentials masked.
#pragma once

namespace ccoc::video::detail {

/// Routes FFmpeg's log (process-wide by FFmpeg's design) through redactCredentials() to stderr,
/// keeping warnings and errors only. Installed once, on the first reader; later calls do nothing.
/// Thread: any.
void installRedactingFfmpegLog();

}  // namespace ccoc::video::detail
