// A line to Pelco receivers: the bytes of frames go out, the bytes of answers come in. A serial
// port (serial_line.hpp) and a TCP connection to a serial server (tcp_line.hpp) are lines.
// Thread: one owner per line (a driver's I/O thread); no call blocks longer than its timeout.
#pragma once

#include "pelco_result.hpp"

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

namespace ccoc::pelco {

class ByteLine {
public:
    virtual ~ByteLine() = default;
    ByteLine() = default;
    ByteLine(const ByteLine&) = delete;
    ByteLine& operator=(const ByteLine&) = delete;
    ByteLine(ByteLine&&) = delete;
    ByteLine& operator=(ByteLine&&) = delete;

    // Writes all of `bytes` within `timeout`. Errors: Timeout (the line did not take them all in
    // time: some may have gone out), Closed (the device or peer went away), NotConnected, Io.
    virtual Status writeAll(std::span<const uint8_t> bytes, std::chrono::milliseconds timeout) = 0;
    // Waits up to `timeout` for bytes and reads what is there, at most into.size(). Returns the
    // count, 0 when nothing arrived in time (not an error: receivers often do not answer).
    // Errors: Closed, NotConnected, Io.
    virtual Result<size_t> readSome(std::span<uint8_t> into, std::chrono::milliseconds timeout) = 0;
    // "serial /dev/ttyUSB0 at 9600 8N1", "tcp 192.0.2.10:4001": for log lines.
    [[nodiscard]] virtual std::string describe() const = 0;
};

} // namespace ccoc::pelco
