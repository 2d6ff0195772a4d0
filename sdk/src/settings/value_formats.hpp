// value_formats.hpp (private): the text formats a declared setting may require, checked without
// echoing the value (a URL may carry a password, an env-var name may be a pasted secret).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ccoc::settings::detail {

/// Empty when `text` is a URL of one of `schemes` (any scheme when empty) with a host (except
/// file://) and, when given, a port 1..65535; else what is wrong, in words without the URL.
std::string urlProblem(std::string_view text, const std::vector<std::string>& schemes);

/// Empty when `text` is "HOST:PORT", "[IPV6]:PORT" or ":PORT" with PORT 0..65535; else what is wrong.
std::string listenAddressProblem(std::string_view text);

/// Empty when `text` is a numeric IPv4 or IPv6 address (inet_pton); else what is wrong.
std::string ipAddressProblem(std::string_view text);

/// Whether `text` looks like an environment variable's name: [A-Z_][A-Z0-9_]*.
bool isEnvName(std::string_view text);

} // namespace ccoc::settings::detail
