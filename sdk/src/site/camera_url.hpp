// Internal: what a [[camera]] url or sub_url must look like, checked when the site is loaded so
// that a typo is an error at FILE:LINE:COL and not a tile that stays OFFLINE.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ccoc::site::detail {

// The schemes the camera wall's video reader speaks.
inline constexpr std::string_view kCameraUrlExpectation =
    "rtsp://, rtsps://, http:// or https:// with a host and an optional port 1..65535 "
    "(rtsp://HOST[:PORT]/PATH), file:///PATH, or an absolute file path";

// What is wrong with `url` ("its scheme 'rtp' is not one the camera wall reads"), or nullopt when
// it is usable. The problem never contains the URL's user name or password.
[[nodiscard]] std::optional<std::string> cameraUrlProblem(std::string_view url);

// `url` with the password of "scheme://user:password@" replaced by "***" (and a user with no
// password, which may be a token, too), so the URL can be quoted in a message.
[[nodiscard]] std::string maskUrlCredentials(std::string_view url);

} // namespace ccoc::site::detail
