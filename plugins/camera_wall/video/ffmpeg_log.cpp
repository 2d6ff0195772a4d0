// ffmpeg_log.cpp: FFmpeg's log callback replaced by one that masks passwords in URLs.
#include "ffmpeg_log.hpp"

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <string>

extern "C" {
#include <libavutil/log.h>
}

#include "ccoc/video/url_redaction.hpp"

namespace ccoc::video::detail {
namespace {

void redactingLogCallback(void* avClass, int level, const char* format, va_list args) {
  if (level > AV_LOG_WARNING) {
    return;
  }
  // FFmpeg asks each caller to keep this flag between calls; one per thread keeps lines whole.
  thread_local int printPrefix = 1;
  char line[1024];
  av_log_format_line2(avClass, level, format, args, line, sizeof line, &printPrefix);
  const std::string safe = redactCredentials(line);
  std::fputs(safe.c_str(), stderr);
}

}  // namespace

void installRedactingFfmpegLog() {
  static std::once_flag installed;
  std::call_once(installed, [] { av_log_set_callback(redactingLogCallback); });
}

}  // namespace ccoc::video::detail
