// stream_error.hpp (private): FFmpeg error codes turned into a tile's offline reason.
#pragma once

#include <optional>
#include <string>

#include "ccoc/video/stream_state.hpp"

namespace ccoc::video::detail {

/// A reason and a message in words (no URL, no credentials).
struct ClassifiedError {
  OfflineReason reason;
  std::string message;
};

/// Classifies the AVERROR `code` returned by `what` ("open", "read", ...). `deadlineExpired`
/// says our interrupt callback cut the call short; `deadlineMs` is quoted in the message.
ClassifiedError classifyFfmpegError(int code, const char* what, bool deadlineExpired,
                                    long long deadlineMs);

/// A URL whose scheme the reader does not speak ("ftp://", "foo://"), as UnsupportedScheme with
/// the scheme and what is expected; nullopt for rtsp, rtsps, http, https, file and plain paths.
/// Checked before FFmpeg sees the URL: FFmpeg would try some (ftp) and call others a missing
/// protocol, which reads like a codec problem.
std::optional<ClassifiedError> checkUrlScheme(const std::string& url);

/// av_strerror() as a std::string.
std::string ffmpegErrorText(int code);

}  // namespace ccoc::video::detail
