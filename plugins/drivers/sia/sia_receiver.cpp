// The SIA receiver's network thread (see sia_receiver.hpp).
#include "sia_receiver.hpp"

#include "receiver_connection.hpp"
#include "receiver_sockets.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace ccoc::sia {

namespace {

constexpr uint64_t kWakeTag = 1;
constexpr uint64_t kListenTag = 2;
constexpr uint64_t kUdpTag = 3;
constexpr int kSweepMs = 200;

} // namespace

SiaReceiver::SiaReceiver(ReceiverOptions options, FrameFn onFrame, LogFn log)
    : options_(std::move(options)), onFrame_(std::move(onFrame)), log_(std::move(log))
{
}

SiaReceiver::~SiaReceiver()
{
    stop();
}

std::string SiaReceiver::start()
{
    if (thread_.joinable()) {
        return "already started";
    }
    std::string error = bindSockets();
    epollFd_ = epoll_create1(EPOLL_CLOEXEC);
    wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (error.empty() && (epollFd_ < 0 || wakeFd_ < 0)) {
        error = "cannot create epoll/eventfd: " + errorText(errno);
    }
    if (error.empty()) {
        const std::array<std::pair<int, uint64_t>, 3> watched = {{{wakeFd_, kWakeTag}, {listenFd_, kListenTag}, {udpFd_, kUdpTag}}};
        for (const auto& [fd, tag] : watched) {
            epoll_event event{};
            event.events = EPOLLIN;
            event.data.u64 = tag;
            epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &event);
        }
    }
    if (!error.empty()) {
        closeFd(listenFd_);
        closeFd(udpFd_);
        closeFd(epollFd_);
        closeFd(wakeFd_);
        return error;
    }
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
    return {};
}

void SiaReceiver::stop()
{
    if (!thread_.joinable()) {
        return;
    }
    {
        // Under the lock: answer() from a delivery thread never writes to a closed eventfd.
        std::lock_guard lock(answersMutex_);
        stopping_ = true;
        const uint64_t one = 1;
        [[maybe_unused]] const ssize_t written = ::write(wakeFd_, &one, sizeof one);
    }
    thread_.join();
    connections_.clear();
    connectionCount_ = 0;
    closeFd(listenFd_);
    closeFd(udpFd_);
    closeFd(epollFd_);
    std::lock_guard lock(answersMutex_);
    answers_.clear();
    closeFd(wakeFd_);
}

void SiaReceiver::answer(const FrameOrigin& origin, std::string bytes)
{
    std::lock_guard lock(answersMutex_);
    if (stopping_ || wakeFd_ < 0) {
        return;
    }
    answers_.push_back({origin, std::move(bytes)});
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wakeFd_, &one, sizeof one);
}

void SiaReceiver::run()
{
    std::array<epoll_event, 64> events{};
    while (!stopping_) {
        const int count = epoll_wait(epollFd_, events.data(), static_cast<int>(events.size()), kSweepMs);
        if (count < 0 && errno != EINTR) {
            log_(true, "epoll_wait failed: " + errorText(errno) + "; the receiver stops");
            return;
        }
        for (int i = 0; i < count && !stopping_; ++i) {
            const uint64_t tag = events[static_cast<size_t>(i)].data.u64;
            if (tag == kWakeTag) {
                uint64_t value = 0;
                [[maybe_unused]] const ssize_t got = ::read(wakeFd_, &value, sizeof value);
                deliverAnswers();
            } else if (tag == kListenTag) {
                acceptAll();
            } else if (tag == kUdpTag) {
                readUdp();
            } else {
                serviceConnection(tag, events[static_cast<size_t>(i)].events);
            }
        }
        sweepTimeouts();
    }
}

void SiaReceiver::acceptAll()
{
    for (;;) {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        const int fd = accept4(listenFd_, reinterpret_cast<sockaddr*>(&address), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                log_(true, "accept failed: " + errorText(errno));
            }
            return;
        }
        const std::string peer = peerText(address);
        if (connections_.size() >= static_cast<size_t>(options_.maxConnections)) {
            log_(true, "tcp " + peer + ": refused, already " + std::to_string(connections_.size()) +
                           " connections (max_connections)");
            ::close(fd);
            continue;
        }
        const uint64_t id = nextConnectionId_++;
        auto connection = std::make_unique<ReceiverConnection>(fd, id, peer, options_.maxFrameBytes);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = id;
        epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &event);
        connections_[id] = std::move(connection);
        connectionCount_ = connections_.size();
    }
}

void SiaReceiver::readUdp()
{
    std::array<char, 8192> buffer{};
    for (;;) {
        FrameOrigin origin;
        origin.transport = Transport::Udp;
        origin.addressLength = sizeof origin.address;
        const ssize_t got = recvfrom(udpFd_, buffer.data(), buffer.size(), MSG_DONTWAIT,
                                     reinterpret_cast<sockaddr*>(&origin.address), &origin.addressLength);
        if (got < 0) {
            return; // EAGAIN: all read (UDP errors are per datagram and not worth a line)
        }
        origin.peer = peerText(origin.address);
        // One datagram carries one frame (or more, each LF ... CR).
        FrameSplitter splitter(buffer.size());
        splitter.append(std::string_view(buffer.data(), static_cast<size_t>(got)));
        bool any = false;
        while (auto piece = splitter.next()) {
            if (!piece->problem.empty()) {
                log_(true, "udp " + origin.peer + ": " + piece->problem);
            }
            if (piece->isFrame) {
                any = true;
                onFrame_(std::move(piece->line), origin);
            }
        }
        if (!any) {
            log_(true, "udp " + origin.peer + ": datagram of " + std::to_string(got) +
                           " bytes holds no LF...CR frame; dropped");
        }
    }
}

void SiaReceiver::serviceConnection(uint64_t id, uint32_t events)
{
    const auto found = connections_.find(id);
    if (found == connections_.end()) {
        return;
    }
    ReceiverConnection& connection = *found->second;
    if ((events & EPOLLERR) != 0 || ((events & EPOLLHUP) != 0 && connection.peerClosed())) {
        // Reset, or gone both ways: nothing can be answered any more (no busy loop on HUP).
        closeConnection(id, connection.awaitingAnswer ? "connection lost before the answer" : "", false);
        return;
    }
    if ((events & EPOLLOUT) != 0 && !connection.flush()) {
        closeConnection(id, "write failed: " + errorText(errno), false);
        return;
    }
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0 && !connection.peerClosed()) {
        const auto result = connection.readAvailable();
        if (result == ReceiverConnection::ReadResult::Error) {
            closeConnection(id, "read failed: " + errorText(errno), false);
            return;
        }
        if (result == ReceiverConnection::ReadResult::Overlong) {
            closeConnection(id, "more than " + std::to_string(options_.maxFrameBytes) +
                                    " bytes without a CR, or more than 16 frames' worth waiting: not DC-09; closed",
                            true);
            return;
        }
    }
    takeFrames(connection);
}

// Hands on the next frame unless one is still waiting for its answer; closes a connection that
// sent too many pieces that were not frames, or that has closed and has nothing left to answer.
void SiaReceiver::takeFrames(ReceiverConnection& connection)
{
    const uint64_t id = connection.id();
    while (!connection.awaitingAnswer) {
        auto piece = connection.splitter().next();
        if (!piece) {
            break;
        }
        if (!piece->problem.empty()) {
            if (!connection.garbageLogged) {
                connection.garbageLogged = true;
                log_(true, "tcp " + connection.peer() + ": " + piece->problem + " (" + std::to_string(piece->droppedBytes) +
                               " bytes; expected DC-09 frames, LF ... CR; further garbage on this connection is counted "
                               "and logged when it closes)");
            } else {
                ++connection.garbageUnlogged;
                connection.garbageUnloggedBytes += piece->droppedBytes;
            }
        }
        if (!piece->isFrame) {
            if (!piece->problem.empty() && ++connection.badPieces > options_.maxBadPieces) {
                closeConnection(id, std::to_string(connection.badPieces) + " pieces that are not frames; closed", true);
                return;
            }
            continue;
        }
        connection.awaitingAnswer = true;
        connection.lastProgress = ReceiverConnection::Clock::now();
        FrameOrigin origin;
        origin.transport = Transport::Tcp;
        origin.connection = id;
        origin.peer = connection.peer();
        onFrame_(std::move(piece->line), origin);
    }
    if (connection.peerClosed() && !connection.awaitingAnswer && !connection.wantsWrite()) {
        closeConnection(id, "", false);
        return;
    }
    updateInterest(connection);
}

void SiaReceiver::updateInterest(ReceiverConnection& connection)
{
    epoll_event event{};
    event.events = (connection.peerClosed() ? 0u : static_cast<uint32_t>(EPOLLIN)) |
                   (connection.wantsWrite() ? static_cast<uint32_t>(EPOLLOUT) : 0u);
    event.data.u64 = connection.id();
    epoll_ctl(epollFd_, EPOLL_CTL_MOD, connection.fd(), &event);
}

void SiaReceiver::deliverAnswers()
{
    std::deque<PendingAnswer> ready;
    {
        std::lock_guard lock(answersMutex_);
        ready.swap(answers_);
    }
    for (auto& pending : ready) {
        if (pending.origin.transport == Transport::Udp) {
            if (!pending.bytes.empty()) {
                sendto(udpFd_, pending.bytes.data(), pending.bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                       reinterpret_cast<const sockaddr*>(&pending.origin.address), pending.origin.addressLength);
            }
            continue;
        }
        const auto found = connections_.find(pending.origin.connection);
        if (found == connections_.end()) {
            continue; // the panel hung up before its answer was ready
        }
        ReceiverConnection& connection = *found->second;
        connection.awaitingAnswer = false;
        connection.lastProgress = ReceiverConnection::Clock::now();
        connection.queueAnswer(pending.bytes);
        if (!connection.flush()) {
            closeConnection(connection.id(), "write failed: " + errorText(errno), false);
            continue;
        }
        takeFrames(connection);
    }
}

void SiaReceiver::closeConnection(uint64_t id, const std::string& why, bool badInput)
{
    const auto found = connections_.find(id);
    if (found == connections_.end()) {
        return;
    }
    ReceiverConnection& connection = *found->second;
    if (!why.empty()) {
        log_(badInput, "tcp " + connection.peer() + ": " + why);
    }
    // What the connection left unsaid: garbage counted but not logged, and bytes without a CR
    // (a peer that sent something else and hung up would otherwise leave no trace).
    const std::string_view pending = connection.splitter().pending();
    const bool pendingGarbage = pending.find_first_not_of(" \t\r\n") != std::string_view::npos;
    if (connection.garbageUnlogged > 0 || (pendingGarbage && why.empty())) {
        std::string line = "tcp " + connection.peer() + ": closed";
        if (connection.garbageUnlogged > 0) {
            line += "; it also sent " + std::to_string(connection.garbageUnlogged) + " more pieces (" +
                    std::to_string(connection.garbageUnloggedBytes) + " bytes) that were not DC-09 frames";
        }
        if (pendingGarbage && why.empty()) {
            line += "; " + std::to_string(pending.size()) + " bytes without a closing CR were left: '" + printable(pending) +
                    "' (expected DC-09 frames, LF ... CR)";
        }
        log_(true, line);
    }
    if (badInput) {
        ++closedBad_;
    }
    epoll_ctl(epollFd_, EPOLL_CTL_DEL, connection.fd(), nullptr);
    connections_.erase(found);
    connectionCount_ = connections_.size();
}

void SiaReceiver::sweepTimeouts()
{
    const auto now = ReceiverConnection::Clock::now();
    const auto limit = std::chrono::milliseconds(options_.connectionTimeoutMs);
    std::vector<std::pair<uint64_t, bool>> expired;
    for (const auto& [id, connection] : connections_) {
        if (!connection->awaitingAnswer && now - connection->lastProgress > limit) {
            expired.emplace_back(id, connection->splitter().buffered() > 0);
        }
    }
    for (const auto& [id, partial] : expired) {
        closeConnection(id,
                        std::string(partial ? "stalled inside a frame" : "idle") + ": no complete frame for " +
                            std::to_string(options_.connectionTimeoutMs) + " ms; closed",
                        partial);
    }
}

} // namespace ccoc::sia
