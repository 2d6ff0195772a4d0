// A simulated alarm panel for the end-to-end tests: DC-09 frames over a real TCP connection or
// real UDP datagrams to the receiver, answers read back with a timeout.
#pragma once

#include "dc09_frame.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <string>

namespace ccoc::siatest {

inline int64_t nowUnix()
{
    return static_cast<int64_t>(std::time(nullptr));
}

// A whole frame (LF ... CR) of `body`, with "_<now>" appended when `stamp`.
inline std::string frameOf(const std::string& body, bool stamp = true)
{
    return sia::encodeFrame(stamp ? body + "_" + sia::formatTimestamp(nowUnix()) : body);
}

inline sockaddr_in loopback(int port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// One TCP connection to the receiver, as a panel keeps it.
class TcpPanel {
public:
    explicit TcpPanel(int port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0))
    {
        const sockaddr_in address = loopback(port);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            throw std::runtime_error("cannot connect to the receiver on port " + std::to_string(port));
        }
    }
    ~TcpPanel() { ::close(fd_); }
    TcpPanel(const TcpPanel&) = delete;
    TcpPanel& operator=(const TcpPanel&) = delete;
    TcpPanel(TcpPanel&&) = delete;
    TcpPanel& operator=(TcpPanel&&) = delete;

    bool send(const std::string& bytes)
    {
        size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t sent = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
            if (sent <= 0) {
                return false;
            }
            done += static_cast<size_t>(sent);
        }
        return true;
    }

    // The next answer frame (LF ... CR), or nullopt on timeout or a closed connection.
    std::optional<std::string> answer(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000))
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (const size_t cr = buffer_.find('\r'); cr != std::string::npos) {
                std::string frame = buffer_.substr(0, cr + 1);
                buffer_.erase(0, cr + 1);
                return frame;
            }
            if (!readSome(deadline)) {
                return std::nullopt;
            }
        }
    }

    // True when the receiver closes the connection before the timeout.
    bool closedByReceiver(std::chrono::milliseconds timeout)
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (readSome(deadline)) {
        }
        return closed_;
    }

private:
    bool readSome(std::chrono::steady_clock::time_point deadline)
    {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || closed_) {
            return false;
        }
        pollfd watch{fd_, POLLIN, 0};
        if (::poll(&watch, 1, static_cast<int>(left.count())) <= 0) {
            return false;
        }
        char chunk[1024];
        const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
        if (got <= 0) {
            closed_ = true;
            return false;
        }
        buffer_.append(chunk, static_cast<size_t>(got));
        return true;
    }

    int fd_;
    std::string buffer_;
    bool closed_ = false;
};

// A panel sending over UDP: one frame a datagram, one answer a datagram.
class UdpPanel {
public:
    explicit UdpPanel(int port) : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)), address_(loopback(port))
    {
        if (fd_ < 0) {
            throw std::runtime_error("cannot create a UDP socket");
        }
    }
    ~UdpPanel() { ::close(fd_); }
    UdpPanel(const UdpPanel&) = delete;
    UdpPanel& operator=(const UdpPanel&) = delete;
    UdpPanel(UdpPanel&&) = delete;
    UdpPanel& operator=(UdpPanel&&) = delete;

    bool send(const std::string& bytes)
    {
        return ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&address_),
                        sizeof address_) == static_cast<ssize_t>(bytes.size());
    }

    std::optional<std::string> answer(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000))
    {
        pollfd watch{fd_, POLLIN, 0};
        if (::poll(&watch, 1, static_cast<int>(timeout.count())) <= 0) {
            return std::nullopt;
        }
        char datagram[2048];
        const ssize_t got = ::recv(fd_, datagram, sizeof datagram, 0);
        return got > 0 ? std::optional<std::string>(std::string(datagram, static_cast<size_t>(got))) : std::nullopt;
    }

private:
    int fd_;
    sockaddr_in address_;
};

} // namespace ccoc::siatest
