// One TCP connection of the SIA receiver (see receiver_connection.hpp).
#include "receiver_connection.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace ccoc::sia {

ReceiverConnection::ReceiverConnection(int fd, uint64_t id, std::string peer, size_t maxFrameBytes)
    : fd_(fd), id_(id), peer_(std::move(peer)), splitter_(maxFrameBytes)
{
}

ReceiverConnection::~ReceiverConnection()
{
    ::close(fd_);
}

ReceiverConnection::ReadResult ReceiverConnection::readAvailable()
{
    std::array<char, 4096> buffer{};
    for (;;) {
        const ssize_t got = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (got > 0) {
            if (!splitter_.append(std::string_view(buffer.data(), static_cast<size_t>(got)))) {
                return ReadResult::Overlong;
            }
            continue;
        }
        if (got == 0) {
            peerClosed_ = true;
            return ReadResult::PeerClosed;
        }
        if (errno == EINTR) {
            continue;
        }
        return errno == EAGAIN || errno == EWOULDBLOCK ? ReadResult::Open : ReadResult::Error;
    }
}

bool ReceiverConnection::flush()
{
    while (!output_.empty()) {
        const ssize_t sent = ::send(fd_, output_.data(), output_.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent > 0) {
            output_.erase(0, static_cast<size_t>(sent));
            continue;
        }
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        return sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    return true;
}

} // namespace ccoc::sia
