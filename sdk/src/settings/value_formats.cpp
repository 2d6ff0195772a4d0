// value_formats.cpp: URLs, listen addresses and env-var names as declared settings take them.
#include "value_formats.hpp"

#include "ccoc/env_name.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>

namespace ccoc::settings::detail {
namespace {

// "" when `digits` is a port within [least, 65535], else why not.
std::string portProblem(std::string_view digits, int least)
{
    if (digits.empty() || digits.size() > 5 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
        return "the port is not a number";
    }
    const int port = std::stoi(std::string(digits));
    if (port < least || port > 65535) {
        return "the port " + std::to_string(port) + " is outside " + std::to_string(least) + "..65535";
    }
    return {};
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

std::string urlProblem(std::string_view text, const std::vector<std::string>& schemes)
{
    const size_t colon = text.find("://");
    if (colon == std::string_view::npos || colon == 0) {
        return "it has no SCHEME:// in front";
    }
    const std::string scheme = lower(text.substr(0, colon));
    if (!schemes.empty() && std::find(schemes.begin(), schemes.end(), scheme) == schemes.end()) {
        return "its scheme '" + scheme + "' is not one of the schemes it may have";
    }
    std::string_view rest = text.substr(colon + 3);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
        authority = authority.substr(at + 1);  // user:password@ is the camera's business
    }
    if (scheme == "file") {
        return {};
    }
    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        const size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return "its IPv6 host has no closing ]";
        }
        host = authority.substr(0, close + 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') {
                return "something other than :PORT follows its IPv6 host";
            }
            port = authority.substr(close + 2);
            if (port.empty()) {
                return "the port after ':' is missing";
            }
        }
    } else if (const size_t at = authority.rfind(':'); at != std::string_view::npos) {
        host = authority.substr(0, at);
        port = authority.substr(at + 1);
        if (port.empty()) {
            return "the port after ':' is missing";
        }
    }
    if (host.empty()) {
        return "it has no host";
    }
    return port.empty() ? std::string() : portProblem(port, 1);
}

std::string ipAddressProblem(std::string_view text)
{
    const std::string address(text);
    in6_addr parsed{};
    if (inet_pton(AF_INET, address.c_str(), &parsed) == 1 || inet_pton(AF_INET6, address.c_str(), &parsed) == 1) {
        return {};
    }
    if (address.find(':') != std::string::npos && address.find('.') != std::string::npos &&
        address.rfind(':') > address.rfind('.')) {
        return "it is not a numeric address (a port goes in a setting of its own)";
    }
    return "it is not a numeric IPv4 or IPv6 address (a host name is not resolved here)";
}

std::string listenAddressProblem(std::string_view text)
{
    if (text.empty()) {
        return "it is empty";
    }
    std::string_view port;
    if (text.front() == '[') {
        const size_t close = text.find("]:");
        if (close == std::string_view::npos) {
            return "an IPv6 host must be followed by ]:PORT";
        }
        port = text.substr(close + 2);
    } else {
        const size_t colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return "it has no ':PORT'";
        }
        if (text.substr(0, colon).find(':') != std::string_view::npos) {
            return "an IPv6 host must be written in [brackets]";
        }
        port = text.substr(colon + 1);
    }
    return portProblem(port, 0);
}

bool isEnvName(std::string_view text)
{
    // One rule for the site loader, the drivers and the declarations: ccoc/env_name.hpp.
    return ccoc::isEnvName(text);
}

} // namespace ccoc::settings::detail
