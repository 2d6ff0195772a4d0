// url_redaction.cpp: masking passwords in URLs and in free text that may quote URLs.
#include "ccoc/video/url_redaction.hpp"

namespace ccoc::video {
namespace {

// Characters allowed unescaped in a URL's user-info (RFC 3986 unreserved).
bool isUnreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    if (isUnreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

// Given the position just after "://", returns where the authority ends (first '/', '?', '#',
// whitespace or end).
std::size_t authorityEnd(std::string_view text, std::size_t start) {
  std::size_t i = start;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
        c == '"' || c == '\'') {
      break;
    }
    ++i;
  }
  return i;
}

}  // namespace

std::string redactCredentials(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t scheme = text.find("://", pos);
    if (scheme == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    const std::size_t start = scheme + 3;
    out.append(text.substr(pos, start - pos));
    const std::size_t end = authorityEnd(text, start);
    const std::string_view authority = text.substr(start, end - start);
    // The last '@' ends the user-info: passwords may contain a raw '@'.
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      const std::string_view userInfo = authority.substr(0, at);
      const std::size_t colon = userInfo.find(':');
      if (colon != std::string_view::npos) {
        out.append(userInfo.substr(0, colon));
        out.append(":***");
      } else {
        out.append(userInfo);
      }
      out.append(authority.substr(at));
    } else {
      out.append(authority);
    }
    pos = end;
  }
  return out;
}

std::string redactUrl(std::string_view url) { return redactCredentials(url); }

std::string urlWithCredentials(std::string_view url, std::string_view user,
                               std::string_view password) {
  if (user.empty()) {
    return std::string(url);
  }
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return std::string(url);
  }
  const std::size_t start = scheme + 3;
  const std::size_t end = authorityEnd(url, start);
  std::string_view hostPart = url.substr(start, end - start);
  const std::size_t at = hostPart.rfind('@');
  if (at != std::string_view::npos) {
    hostPart = hostPart.substr(at + 1);
  }
  std::string out(url.substr(0, start));
  out += percentEncode(user);
  if (!password.empty()) {
    out += ':';
    out += percentEncode(password);
  }
  out += '@';
  out += hostPart;
  out += url.substr(end);
  return out;
}

}  // namespace ccoc::video
