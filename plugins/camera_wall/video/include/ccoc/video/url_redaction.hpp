// url_redaction.hpp: keeping camera credentials out of every log line and message.
#pragma once

#include <string>
#include <string_view>

namespace ccoc::video {

/// Returns `url` with the password of its user-info replaced by "***":
/// "rtsp://admin:secret@cam/x" -> "rtsp://admin:***@cam/x". A URL without a password is returned
/// unchanged. Thread: any. Never throws except std::bad_alloc.
std::string redactUrl(std::string_view url);

/// Redacts every "scheme://user:password@" found anywhere in free text (log lines from FFmpeg,
/// error messages that quote a URL). Thread: any.
std::string redactCredentials(std::string_view text);

/// Returns `url` with "user:password@" inserted after the scheme, both percent-encoded, replacing
/// any user-info already there. With an empty user the URL is returned unchanged. The result holds
/// the secret: hand it to FFmpeg only, never to a log (use redactUrl). Thread: any.
std::string urlWithCredentials(std::string_view url, std::string_view user,
                               std::string_view password);

}  // namespace ccoc::video
