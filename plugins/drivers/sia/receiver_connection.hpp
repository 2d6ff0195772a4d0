// One TCP connection of the SIA receiver: its socket, the bytes not yet split into frames, the
// answers not yet written, and the timers that close a stalled or garbage-sending peer.
// Thread: the receiver's network thread only.
#pragma once

#include "dc09_frame.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace ccoc::sia {

class ReceiverConnection {
public:
    using Clock = std::chrono::steady_clock;

    // Takes ownership of the connected, non-blocking socket `fd`.
    ReceiverConnection(int fd, uint64_t id, std::string peer, size_t maxFrameBytes);
    ~ReceiverConnection(); // closes the socket
    ReceiverConnection(const ReceiverConnection&) = delete;
    ReceiverConnection& operator=(const ReceiverConnection&) = delete;
    ReceiverConnection(ReceiverConnection&&) = delete;
    ReceiverConnection& operator=(ReceiverConnection&&) = delete;

    enum class ReadResult { Open, PeerClosed, Error, Overlong };
    // Reads what is there (non-blocking) into the frame splitter.
    ReadResult readAvailable();
    // Writes as much of the queued answers as the socket takes; false on a socket error.
    bool flush();
    void queueAnswer(const std::string& bytes) { output_ += bytes; }

    [[nodiscard]] int fd() const noexcept { return fd_; }
    [[nodiscard]] uint64_t id() const noexcept { return id_; }
    [[nodiscard]] const std::string& peer() const noexcept { return peer_; }
    [[nodiscard]] bool wantsWrite() const noexcept { return !output_.empty(); }
    [[nodiscard]] FrameSplitter& splitter() noexcept { return splitter_; }
    [[nodiscard]] bool peerClosed() const noexcept { return peerClosed_; }

    // One frame handed on; no further frame is taken from this connection until it is answered,
    // so answers keep the order of the frames.
    bool awaitingAnswer = false;
    Clock::time_point lastProgress = Clock::now(); // accept, or the last complete frame
    int badPieces = 0;                              // pieces that were not frames
    // Garbage is logged once per connection (a panel of another protocol would fill the log):
    // the first piece when it comes, the rest as a count when the connection closes.
    bool garbageLogged = false;
    int garbageUnlogged = 0;        // pieces after the first
    size_t garbageUnloggedBytes = 0;

private:
    int fd_;
    uint64_t id_;
    std::string peer_;
    FrameSplitter splitter_;
    std::string output_;
    bool peerClosed_ = false;
};

} // namespace ccoc::sia
