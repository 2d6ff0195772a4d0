// Socket helpers of the SIA receiver, and its binding of TCP and UDP to one port.
#include "receiver_sockets.hpp"

#include "sia_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace ccoc::sia {

std::string errorText(int error)
{
    return std::strerror(error);
}

std::string peerText(const sockaddr_storage& address)
{
    std::array<char, INET6_ADDRSTRLEN> host{};
    if (address.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
        inet_ntop(AF_INET, &v4.sin_addr, host.data(), host.size());
        return std::string(host.data()) + ":" + std::to_string(ntohs(v4.sin_port));
    }
    if (address.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
        inet_ntop(AF_INET6, &v6.sin6_addr, host.data(), host.size());
        return "[" + std::string(host.data()) + "]:" + std::to_string(ntohs(v6.sin6_port));
    }
    return "?";
}

// The listen address with `port`; false when it is not a numeric IPv4 or IPv6 address.
bool makeAddress(const std::string& listen, int port, sockaddr_storage& out, socklen_t& length)
{
    std::memset(&out, 0, sizeof out);
    auto& v4 = reinterpret_cast<sockaddr_in&>(out);
    if (inet_pton(AF_INET, listen.c_str(), &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(static_cast<uint16_t>(port));
        length = sizeof(sockaddr_in);
        return true;
    }
    auto& v6 = reinterpret_cast<sockaddr_in6&>(out);
    if (inet_pton(AF_INET6, listen.c_str(), &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(static_cast<uint16_t>(port));
        length = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

int boundPort(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return 0;
    }
    return address.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in&>(address).sin_port)
                                        : ntohs(reinterpret_cast<sockaddr_in6&>(address).sin6_port);
}

void closeFd(int& fd)
{
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

std::string SiaReceiver::bindSockets()
{
    sockaddr_storage address{};
    socklen_t length = 0;
    if (!makeAddress(options_.listen, options_.port, address, length)) {
        return "listen: '" + options_.listen + "' is not a numeric IPv4 or IPv6 address";
    }
    const int family = address.ss_family;
    // With port 0 the system picks the TCP port; UDP then takes the same number, which another
    // program may hold: try a few times.
    for (int attempt = 0; attempt < 20; ++attempt) {
        listenFd_ = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        udpFd_ = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (listenFd_ < 0 || udpFd_ < 0) {
            return "cannot create sockets: " + errorText(errno);
        }
        const int yes = 1;
        setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        makeAddress(options_.listen, options_.port, address, length);
        if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), length) != 0) {
            return "cannot bind " + options_.listen + ":" + std::to_string(options_.port) + "/tcp: " + errorText(errno);
        }
        if (::listen(listenFd_, 64) != 0) {
            return "cannot listen on " + options_.listen + ":" + std::to_string(options_.port) + ": " + errorText(errno);
        }
        const int port = boundPort(listenFd_);
        makeAddress(options_.listen, port, address, length);
        if (::bind(udpFd_, reinterpret_cast<sockaddr*>(&address), length) == 0) {
            port_ = port;
            return {};
        }
        const int error = errno;
        closeFd(listenFd_);
        closeFd(udpFd_);
        if (options_.port != 0 || error != EADDRINUSE) {
            return "cannot bind " + options_.listen + ":" + std::to_string(port) + "/udp: " + errorText(error);
        }
    }
    return "cannot find a port free for both TCP and UDP on " + options_.listen;
}

} // namespace ccoc::sia
