// The TCP Pelco line to a serial server (see tcp_line.hpp).
#include "tcp_line.hpp"

#include "fd_io.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <memory>

namespace ccoc::pelco {

namespace {

using Clock = std::chrono::steady_clock;

struct AddressListDeleter {
    void operator()(addrinfo* list) const noexcept { ::freeaddrinfo(list); }
};

// Connects `fd` (non-blocking) to `address` by `deadline`: 0, or the errno (ETIMEDOUT on timeout).
int connectBy(int fd, const addrinfo& address, Clock::time_point deadline)
{
    if (::connect(fd, address.ai_addr, address.ai_addrlen) == 0) {
        return 0;
    }
    if (errno != EINPROGRESS) {
        return errno;
    }
    for (;;) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            return ETIMEDOUT;
        }
        pollfd entry{fd, POLLOUT, 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready < 0) {
            return errno;
        }
        if (ready == 0) {
            return ETIMEDOUT;
        }
        int error = 0;
        socklen_t length = sizeof error;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
            return errno;
        }
        return error;
    }
}

} // namespace

TcpLine::TcpLine(std::string host, int port, TcpLineOptions options)
    : host_(std::move(host)), port_(port), options_(options), backoff_(options.backoffInitial, options.backoffMax)
{
}

TcpLine::~TcpLine()
{
    closeFd(fd_);
}

std::string TcpLine::describe() const
{
    return "tcp " + host_ + ":" + std::to_string(port_);
}

void TcpLine::disconnect()
{
    if (fd_ >= 0) {
        closeFd(fd_);
        nextAttempt_ = Clock::now() + backoff_.afterFailure();
    }
}

Error TcpLine::failed(Error error)
{
    closeFd(fd_);
    const std::chrono::milliseconds delay = backoff_.afterFailure();
    nextAttempt_ = Clock::now() + delay;
    lastError_ = error.message;
    error.message += " (next attempt in " + std::to_string(delay.count()) + " ms)";
    return error;
}

Status TcpLine::connect()
{
    if (fd_ >= 0) {
        return okStatus();
    }
    const auto now = Clock::now();
    if (now < nextAttempt_) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(nextAttempt_ - now).count();
        return makeError(ErrorKind::NotConnected, describe() + ": not connected (" + lastError_ + "); next attempt in " +
                                                      std::to_string(left) + " ms");
    }
    return attempt();
}

Status TcpLine::attempt()
{
    if (port_ < 1 || port_ > 65535) {
        return failed(makeError(ErrorKind::InvalidArgument,
                                describe() + ": port " + std::to_string(port_) + " is out of range: expected 1 to 65535"));
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const int resolved = ::getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &found);
    if (resolved != 0) {
        return failed(makeError(ErrorKind::Io, describe() + ": cannot resolve the host: " + ::gai_strerror(resolved)));
    }
    const std::unique_ptr<addrinfo, AddressListDeleter> addresses(found);
    const auto deadline = Clock::now() + options_.connectTimeout;
    int lastErrno = 0;
    for (const addrinfo* address = addresses.get(); address != nullptr; address = address->ai_next) {
        int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address->ai_protocol);
        if (fd < 0) {
            lastErrno = errno;
            continue;
        }
        lastErrno = connectBy(fd, *address, deadline);
        if (lastErrno == 0) {
            // A Pelco frame is 7 or 8 bytes and a stop must leave at once, not wait for Nagle.
            const int on = 1;
            (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            fd_ = fd;
            ++connections_;
            backoff_.reset();
            lastError_.clear();
            return okStatus();
        }
        closeFd(fd);
        if (lastErrno == ETIMEDOUT) {
            break;
        }
    }
    if (lastErrno == ETIMEDOUT) {
        return failed(makeError(ErrorKind::Timeout, describe() + ": no answer within the connect timeout of " +
                                                        std::to_string(options_.connectTimeout.count()) + " ms"));
    }
    return failed(makeError(ErrorKind::Io, describe() + ": cannot connect: " + errorText(lastErrno)));
}

Status TcpLine::writeAll(std::span<const uint8_t> bytes, std::chrono::milliseconds timeout)
{
    if (Status status = connect(); !status) {
        return status;
    }
    Status written = writeWithin(fd_, FdKind::Socket, bytes, timeout, describe());
    if (!written) {
        // A frame cut short would garble the next one on the serial side: start a fresh connection.
        return failed(written.error());
    }
    return written;
}

Result<size_t> TcpLine::readSome(std::span<uint8_t> into, std::chrono::milliseconds timeout)
{
    if (Status status = connect(); !status) {
        return status.error();
    }
    Result<size_t> read = readWithin(fd_, FdKind::Socket, into, timeout, describe());
    if (!read) {
        return failed(read.error());
    }
    return read;
}

} // namespace ccoc::pelco
