// A TCP connection to a serial server (a box that bridges a TCP port to an RS-485/RS-232 line,
// "raw TCP" mode) as a Pelco line. Connects without blocking past the connect timeout; after the
// connection fails or drops it waits a backoff (reconnect_backoff.hpp) before the next attempt,
// which is made by the next write or read; meanwhile those return NotConnected at once.
// Host names are resolved with getaddrinfo, which the timeout does not bound: give serial
// servers numeric addresses.
// Thread: one owner.
#pragma once

#include "byte_line.hpp"
#include "reconnect_backoff.hpp"

#include <chrono>
#include <string>

namespace ccoc::pelco {

struct TcpLineOptions {
    std::chrono::milliseconds connectTimeout{2000};
    std::chrono::milliseconds backoffInitial{250};
    std::chrono::milliseconds backoffMax{8000};
};

class TcpLine final : public ByteLine {
public:
    // Nothing is connected yet: the first write or read (or connect()) does it.
    TcpLine(std::string host, int port, TcpLineOptions options = {});
    ~TcpLine() override;

    // Connects now if not connected and the backoff allows it. NotConnected while the backoff
    // runs (with the last error and the time left), Timeout when the server did not answer within
    // the connect timeout, Io when it refused or the address is invalid.
    Status connect();
    [[nodiscard]] bool connected() const noexcept { return fd_ >= 0; }
    // Drops the connection (the next attempt waits the backoff).
    void disconnect();

    Status writeAll(std::span<const uint8_t> bytes, std::chrono::milliseconds timeout) override;
    Result<size_t> readSome(std::span<uint8_t> into, std::chrono::milliseconds timeout) override;
    [[nodiscard]] std::string describe() const override;

    // Connections made so far (the first and every reconnect).
    [[nodiscard]] int connections() const noexcept { return connections_; }

private:
    Status attempt();
    // Records a failure: closes, and schedules the next attempt after the backoff.
    Error failed(Error error);

    std::string host_;
    int port_;
    TcpLineOptions options_;
    ReconnectBackoff backoff_;
    int fd_ = -1;
    int connections_ = 0;
    std::chrono::steady_clock::time_point nextAttempt_{};
    std::string lastError_;
};

} // namespace ccoc::pelco
