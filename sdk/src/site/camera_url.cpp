// Camera URLs: scheme, host and port, checked without echoing credentials (see camera_url.hpp).
#include "camera_url.hpp"

#include <array>
#include <cctype>

namespace ccoc::site::detail {

namespace {

constexpr std::array<std::string_view, 4> kNetworkSchemes{"rtsp", "rtsps", "http", "https"};

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

bool allDigits(std::string_view text) {
    if (text.empty()) {
        return false;
    }
    for (char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
            return false;
        }
    }
    return true;
}

// A host name or an IPv4 address: letters, digits, '-', '.', '_' (some cameras' mDNS names).
bool isHostName(std::string_view host) {
    for (char c : host) {
        const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return !host.empty();
}

bool isIpv6Literal(std::string_view host) {
    for (char c : host) {
        const bool ok = std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.' || c == '%';
        if (!ok) {
            return false;
        }
    }
    return host.find(':') != std::string_view::npos;
}

// The port text after the host; a number is quoted back (it cannot be a password's end, since the
// user information is cut off at its '@' first), anything else is not.
std::optional<std::string> portProblem(std::string_view port) {
    if (!allDigits(port)) {
        return std::string("its port is not a number");
    }
    // At most five digits are a port; a longer number is quoted cut short.
    const unsigned long value = port.size() <= 5 ? std::stoul(std::string(port)) : 0;
    if (value == 0 || value > 65535) {
        const std::string shown = port.size() > 12 ? std::string(port.substr(0, 12)) + "..." : std::string(port);
        return "its port " + shown + " is out of range";
    }
    return std::nullopt;
}

std::optional<std::string> authorityProblem(std::string_view authority) {
    // "user:password@host:port": what is before the last '@' is never looked at again.
    const size_t at = authority.rfind('@');
    const std::string_view hostPort = at == std::string_view::npos ? authority : authority.substr(at + 1);
    if (hostPort.empty()) {
        return std::string("it has no host");
    }
    if (hostPort.front() == '[') {
        const size_t close = hostPort.find(']');
        if (close == std::string_view::npos || !isIpv6Literal(hostPort.substr(1, close - 1))) {
            return std::string("its host in [brackets] is not an IPv6 address");
        }
        const std::string_view after = hostPort.substr(close + 1);
        if (after.empty()) {
            return std::nullopt;
        }
        if (after.front() != ':') {
            return std::string("what follows its IPv6 address is not :PORT");
        }
        return portProblem(after.substr(1));
    }
    const size_t colon = hostPort.find(':');
    const std::string_view host = hostPort.substr(0, colon);
    if (host.empty()) {
        return std::string("it has no host");
    }
    if (colon != std::string_view::npos && hostPort.find(':', colon + 1) != std::string_view::npos) {
        return std::string("its host has more than one ':' (an IPv6 address goes in [brackets])");
    }
    if (!isHostName(host)) {
        return std::string("its host has characters a host name cannot have");
    }
    return colon == std::string_view::npos ? std::nullopt : portProblem(hostPort.substr(colon + 1));
}

} // namespace

std::optional<std::string> cameraUrlProblem(std::string_view url) {
    const size_t sep = url.find("://");
    if (sep == std::string_view::npos) {
        if (!url.empty() && url.front() == '/') {
            return std::nullopt; // an absolute path: the reader opens it as a file
        }
        return std::string("it is neither a URL with a scheme nor an absolute file path");
    }
    const std::string scheme = lower(url.substr(0, sep));
    const std::string_view rest = url.substr(sep + 3);
    if (scheme == "file") {
        if (rest.size() < 2 || rest.front() != '/') {
            return std::string("a file URL is file:// followed by an absolute path (file:///PATH)");
        }
        return std::nullopt;
    }
    bool network = false;
    for (std::string_view known : kNetworkSchemes) {
        network = network || scheme == known;
    }
    if (!network) {
        const bool plainScheme = !scheme.empty() && isHostName(scheme) && scheme.size() <= 16;
        return plainScheme ? "its scheme '" + scheme + "' is not one the camera wall reads"
                           : std::string("it has no scheme the camera wall reads");
    }
    return authorityProblem(rest.substr(0, rest.find_first_of("/?#")));
}

std::string maskUrlCredentials(std::string_view url) {
    const size_t sep = url.find("://");
    if (sep == std::string_view::npos) {
        return std::string(url);
    }
    const size_t start = sep + 3;
    // Up to the last '@' before a query: a password with an unescaped '/' is masked too, at the
    // price of masking a path with an '@' in it.
    const size_t end = url.find_first_of("?#", start);
    const size_t at = url.substr(0, end).rfind('@');
    if (at == std::string_view::npos || at < start) {
        return std::string(url);
    }
    const std::string_view userInfo = url.substr(start, at - start);
    const size_t colon = userInfo.find(':');
    const bool plainUser = colon != std::string_view::npos && userInfo.substr(0, colon).find('/') == std::string_view::npos;
    const std::string shown = plainUser ? std::string(userInfo.substr(0, colon)) + ":***" : std::string("***");
    return std::string(url.substr(0, start)) + shown + std::string(url.substr(at));
}

} // namespace ccoc::site::detail
