// A serial port as a Pelco line: termios raw mode, 8 data bits, no parity, 1 stop bit (8N1), no
// flow control, at 2400, 4800, 9600 or 19200 baud; non-blocking, every wait bounded by poll.
// A port that vanishes (USB adapter unplugged, pty closed) makes reads and writes return Closed;
// the line is then dead and the driver opens it again.
// Thread: one owner.
#pragma once

#include "byte_line.hpp"

#include <memory>
#include <utility>
#include <string>

namespace ccoc::pelco {

class SerialLine final : public ByteLine {
public:
    // Opens `path` ("/dev/ttyUSB0") at `baud`. InvalidArgument for another baud rate (the message
    // lists the four), Io when the port cannot be opened or is not a terminal (with the reason).
    [[nodiscard]] static Result<std::unique_ptr<SerialLine>> open(const std::string& path, int baud);
    ~SerialLine() override;

    Status writeAll(std::span<const uint8_t> bytes, std::chrono::milliseconds timeout) override;
    Result<size_t> readSome(std::span<uint8_t> into, std::chrono::milliseconds timeout) override;
    [[nodiscard]] std::string describe() const override;

    [[nodiscard]] int baud() const noexcept { return baud_; }

private:
    SerialLine(int fd, std::string path, int baud) : fd_(fd), path_(std::move(path)), baud_(baud) {}

    int fd_;
    std::string path_;
    int baud_;
};

} // namespace ccoc::pelco
