// stream_error.cpp: mapping FFmpeg's errors to refused / timeout / unauthorised / not found / ...
#include "stream_error.hpp"

#include <cctype>
#include <cerrno>

extern "C" {
#include <libavutil/error.h>
}

namespace ccoc::video::detail {

std::optional<ClassifiedError> checkUrlScheme(const std::string& url) {
  const auto end = url.find("://");
  if (end == std::string::npos) {
    return std::nullopt;  // a file path
  }
  std::string scheme = url.substr(0, end);
  for (char& c : scheme) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const char* known : {"rtsp", "rtsps", "http", "https", "file"}) {
    if (scheme == known) {
      return std::nullopt;
    }
  }
  return ClassifiedError{OfflineReason::UnsupportedScheme,
                         "unsupported URL scheme '" + scheme +
                             "://' (expected rtsp://, rtsps://, http://, https:// or a file path)"};
}

std::string ffmpegErrorText(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

ClassifiedError classifyFfmpegError(int code, const char* what, bool deadlineExpired,
                                    long long deadlineMs) {
  const std::string prefix = std::string(what) + ": ";
  if (deadlineExpired || code == AVERROR(ETIMEDOUT)) {
    return {OfflineReason::Timeout,
            prefix + "no answer within " + std::to_string(deadlineMs) + " ms"};
  }
  switch (code) {
    case AVERROR(ECONNREFUSED):
      return {OfflineReason::Refused, prefix + "connection refused"};
    case AVERROR_HTTP_UNAUTHORIZED:
      return {OfflineReason::Unauthorised, prefix + "the camera rejected the credentials (401)"};
    case AVERROR_HTTP_FORBIDDEN:
      return {OfflineReason::Unauthorised, prefix + "the camera forbids this user (403)"};
    case AVERROR_HTTP_NOT_FOUND:
      return {OfflineReason::NotFound, prefix + "the camera has no such stream (404)"};
    case AVERROR(ENOENT):
      return {OfflineReason::NotFound, prefix + "no such file"};
    case AVERROR_STREAM_NOT_FOUND:
      return {OfflineReason::UnsupportedCodec, prefix + "no video stream"};
    case AVERROR_DECODER_NOT_FOUND:
      return {OfflineReason::UnsupportedCodec, prefix + "no decoder for this codec"};
    case AVERROR_DEMUXER_NOT_FOUND:
      return {OfflineReason::UnsupportedCodec, prefix + "unsupported format"};
    case AVERROR_PROTOCOL_NOT_FOUND:
      return {OfflineReason::UnsupportedScheme, prefix + "FFmpeg has no protocol for this URL"};
    case AVERROR_EOF:
      return {OfflineReason::Ended, prefix + "end of stream"};
    case AVERROR(ECONNRESET):
    case AVERROR(EPIPE):
      return {OfflineReason::Ended, prefix + "the camera closed the connection"};
    default:
      break;
  }
  return {OfflineReason::Failed, prefix + ffmpegErrorText(code)};
}

}  // namespace ccoc::video::detail
