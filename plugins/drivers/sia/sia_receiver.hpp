// The SIA receiver's network side: a TCP listener and a UDP socket on one port, served by one
// thread with epoll (a stop/wake eventfd, many connections at once, bounded frame length,
// stalled and garbage-sending connections closed). It only splits bytes into frames and writes
// answers; what a frame means is decided by the FrameFn (see FrameProcessor).
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace ccoc::sia {

class ReceiverConnection;

enum class Transport { Tcp, Udp };

// Where a frame came from, and where its answer goes.
struct FrameOrigin {
    Transport transport = Transport::Tcp;
    uint64_t connection = 0;       // TCP: the connection's id
    sockaddr_storage address{};    // UDP: the sender
    socklen_t addressLength = 0;
    std::string peer;              // "192.0.2.7:5001", "[2001:db8::1]:5001"
};

struct ReceiverOptions {
    std::string listen = "0.0.0.0";
    int port = 0;                      // 0: picked by the system (the same for TCP and UDP)
    int connectionTimeoutMs = 60000;   // no complete frame this long: the connection is closed
    size_t maxFrameBytes = 4200;       // DC-09 bodies are at most 0xFFF bytes, plus the header
    int maxConnections = 256;
    int maxBadPieces = 8;              // pieces that are not frames before a connection is closed
};

class SiaReceiver {
public:
    // [network-thread] A frame (without LF and CR). Must not block: answer it later, from any
    // thread, with answer(origin, bytes).
    using FrameFn = std::function<void(std::string line, const FrameOrigin& origin)>;
    // [any-thread] A log line; warning = true for bad input and failures.
    using LogFn = std::function<void(bool warning, const std::string& line)>;

    SiaReceiver(ReceiverOptions options, FrameFn onFrame, LogFn log);
    ~SiaReceiver(); // stops
    SiaReceiver(const SiaReceiver&) = delete;
    SiaReceiver& operator=(const SiaReceiver&) = delete;
    SiaReceiver(SiaReceiver&&) = delete;
    SiaReceiver& operator=(SiaReceiver&&) = delete;

    // [driver-thread] Binds TCP and UDP and starts the network thread. Returns "" or what failed
    // ("cannot bind 0.0.0.0:9000/tcp: Address already in use").
    std::string start();
    // [driver-thread] Stops the thread and closes every socket. Idempotent.
    void stop();

    // [any-thread] Sends the answer to a frame; empty `bytes`: no answer (the TCP connection
    // takes its next frame). An answer for a connection that has gone is dropped.
    void answer(const FrameOrigin& origin, std::string bytes);

    [[nodiscard]] int port() const noexcept { return port_.load(); }
    [[nodiscard]] size_t connectionCount() const noexcept { return connectionCount_.load(); }
    [[nodiscard]] uint64_t connectionsClosedForBadInput() const noexcept { return closedBad_.load(); }

private:
    struct PendingAnswer {
        FrameOrigin origin;
        std::string bytes;
    };

    std::string bindSockets();
    void run();
    void acceptAll();
    void readUdp();
    void serviceConnection(uint64_t id, uint32_t events);
    void takeFrames(ReceiverConnection& connection);
    void deliverAnswers();
    void updateInterest(ReceiverConnection& connection);
    void closeConnection(uint64_t id, const std::string& why, bool badInput);
    void sweepTimeouts();

    ReceiverOptions options_;
    FrameFn onFrame_;
    LogFn log_;
    int epollFd_ = -1;
    int wakeFd_ = -1;
    int listenFd_ = -1;
    int udpFd_ = -1;
    std::atomic<int> port_{0};
    std::atomic<bool> stopping_{false};
    std::atomic<size_t> connectionCount_{0};
    std::atomic<uint64_t> closedBad_{0};
    std::thread thread_;
    std::mutex answersMutex_;
    std::deque<PendingAnswer> answers_; // guarded by answersMutex_
    // Network thread only:
    std::map<uint64_t, std::unique_ptr<ReceiverConnection>> connections_;
    uint64_t nextConnectionId_ = 16;
};

} // namespace ccoc::sia
