// ffmpeg_log.cpp: FFmpeg's log callback replaced by one that hands whole lines to the reader whose
// thread logged them, with level and component, credentials masked.
#include "ffmpeg_log.hpp"

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <string>

extern "C" {
#include <libavutil/log.h>
}

#include "ccoc/video/url_redaction.hpp"
#include "reader_core.hpp"

namespace ccoc::video::detail {
namespace {

// The reader that owns this thread (set by FfmpegLogRoute), so a line reaches its camera's log.
thread_local const ReaderCore* tRouteReader = nullptr;
// How many FfmpegProbeScopes live on this thread.
thread_local int tProbing = 0;

// FFmpeg's name for the part that logged ("rtsp", "h264", "tcp"), from the context's AVClass.
std::string componentName(void* avcl) {
  if (avcl == nullptr) {
    return "ffmpeg";
  }
  const AVClass* avClass = *static_cast<const AVClass* const*>(avcl);
  if (avClass == nullptr) {
    return "ffmpeg";
  }
  const char* name = avClass->item_name != nullptr ? avClass->item_name(avcl) : avClass->class_name;
  return name != nullptr ? name : "ffmpeg";
}

void routingLogCallback(void* avcl, int level, const char* format, va_list args) {
  if (level > AV_LOG_WARNING) {
    return;
  }
  // FFmpeg may build one line out of several calls: keep the pieces per thread until its end.
  thread_local std::string pending;
  thread_local int printPrefix = 1;
  char piece[1024];
  av_log_format_line2(nullptr, level, format, args, piece, sizeof piece, &printPrefix);
  pending += piece;
  if (pending.empty() || pending.back() != '\n') {
    return;
  }
  while (!pending.empty() && (pending.back() == '\n' || pending.back() == '\r')) {
    pending.pop_back();
  }
  std::string line = "ffmpeg " + componentName(avcl) + ": " + pending;
  pending.clear();
  const LogLevel ours = tProbing > 0            ? LogLevel::Info
                        : level <= AV_LOG_ERROR ? LogLevel::Error
                                                : LogLevel::Warning;
  if (tRouteReader != nullptr) {
    tRouteReader->log(ours, line);  // redacts
    return;
  }
  const std::string safe = redactCredentials(line);
  const char* levelName = ours == LogLevel::Error ? "error" : ours == LogLevel::Warning ? "warning" : "info";
  std::fprintf(stderr, "ccoc-video: %s %s\n", levelName, safe.c_str());
}

}  // namespace

void installRedactingFfmpegLog() {
  static std::once_flag installed;
  std::call_once(installed, [] { av_log_set_callback(routingLogCallback); });
}

FfmpegLogRoute::FfmpegLogRoute(const ReaderCore& core) : previous_(tRouteReader) {
  tRouteReader = &core;
}

FfmpegLogRoute::~FfmpegLogRoute() { tRouteReader = previous_; }

FfmpegProbeScope::FfmpegProbeScope() { ++tProbing; }

FfmpegProbeScope::~FfmpegProbeScope() { --tProbing; }

}  // namespace ccoc::video::detail
