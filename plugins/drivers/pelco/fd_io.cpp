// Deadline-bounded reads and writes on non-blocking descriptors (see fd_io.hpp).
#include "fd_io.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ccoc::pelco {

namespace {

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline`, for poll (0 once it passed).
int msLeft(Clock::time_point deadline)
{
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

bool isGone(int error)
{
    // EIO: a tty whose device vanished or a pty whose master closed; the rest: a TCP peer gone.
    return error == EIO || error == ENXIO || error == ENODEV || error == EPIPE || error == ECONNRESET ||
           error == ENOTCONN || error == ETIMEDOUT || error == EHOSTUNREACH;
}

Error gone(const std::string& what, const std::string& why)
{
    return makeError(ErrorKind::Closed, what + " went away: " + why);
}

} // namespace

std::string errorText(int error)
{
    return std::strerror(error);
}

void closeFd(int& fd) noexcept
{
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

Result<size_t> readWithin(int fd, FdKind kind, std::span<uint8_t> into, std::chrono::milliseconds timeout,
                          const std::string& what)
{
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        pollfd entry{fd, POLLIN, 0};
        const int ready = ::poll(&entry, 1, msLeft(deadline));
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            return makeError(ErrorKind::Io, what + ": poll failed: " + errorText(errno));
        }
        if (ready == 0) {
            return size_t{0};
        }
        if ((entry.revents & POLLNVAL) != 0) {
            return makeError(ErrorKind::Io, what + ": the descriptor is not open");
        }
        // Read even on POLLHUP: bytes sent just before the hang-up are still delivered first.
        const ssize_t count = kind == FdKind::Socket ? ::recv(fd, into.data(), into.size(), 0)
                                                     : ::read(fd, into.data(), into.size());
        if (count > 0) {
            return static_cast<size_t>(count);
        }
        if (count == 0) {
            return gone(what, kind == FdKind::Socket ? "the peer closed the connection" : "end of file (hang-up)");
        }
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
            if ((entry.revents & (POLLHUP | POLLERR)) != 0) {
                return gone(what, "hang-up");
            }
            if (msLeft(deadline) == 0) {
                return size_t{0};
            }
            continue;
        }
        if (isGone(errno)) {
            return gone(what, errorText(errno));
        }
        return makeError(ErrorKind::Io, what + ": read failed: " + errorText(errno));
    }
}

Status writeWithin(int fd, FdKind kind, std::span<const uint8_t> bytes, std::chrono::milliseconds timeout,
                   const std::string& what)
{
    const auto deadline = Clock::now() + timeout;
    size_t written = 0;
    while (written < bytes.size()) {
        const uint8_t* data = bytes.data() + written;
        const size_t left = bytes.size() - written;
        const ssize_t count = kind == FdKind::Socket ? ::send(fd, data, left, MSG_NOSIGNAL) : ::write(fd, data, left);
        if (count > 0) {
            written += static_cast<size_t>(count);
            continue;
        }
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            if (isGone(errno)) {
                return gone(what, errorText(errno));
            }
            return makeError(ErrorKind::Io, what + ": write failed: " + errorText(errno));
        }
        pollfd entry{fd, POLLOUT, 0};
        const int ready = ::poll(&entry, 1, msLeft(deadline));
        if (ready < 0 && errno != EINTR) {
            return makeError(ErrorKind::Io, what + ": poll failed: " + errorText(errno));
        }
        if (ready > 0 && (entry.revents & (POLLHUP | POLLERR)) != 0) {
            return gone(what, "hang-up");
        }
        if (ready == 0) {
            return makeError(ErrorKind::Timeout, what + ": " + std::to_string(written) + " of " +
                                                     std::to_string(bytes.size()) + " bytes written in " +
                                                     std::to_string(timeout.count()) + " ms");
        }
    }
    return okStatus();
}

} // namespace ccoc::pelco
