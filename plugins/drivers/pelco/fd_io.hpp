// poll-based reads and writes with a deadline on a non-blocking descriptor, shared by the serial
// and TCP lines. Internal to ccoc_pelco. Thread: any (only the descriptor given is touched).
#pragma once

#include "pelco_result.hpp"

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

namespace ccoc::pelco {

enum class FdKind { Terminal, Socket };

// Reads what arrives on `fd` within `timeout` (see ByteLine::readSome). A hang-up, EOF, EIO (a
// pty whose other end closed, an unplugged USB adapter) or a connection reset is Closed. `what`
// names the line in messages.
[[nodiscard]] Result<size_t> readWithin(int fd, FdKind kind, std::span<uint8_t> into, std::chrono::milliseconds timeout,
                                        const std::string& what);
// Writes all of `bytes` within `timeout` (see ByteLine::writeAll). Sockets are written with
// MSG_NOSIGNAL, so a closed peer is an EPIPE error value rather than a SIGPIPE.
[[nodiscard]] Status writeWithin(int fd, FdKind kind, std::span<const uint8_t> bytes, std::chrono::milliseconds timeout,
                                 const std::string& what);
// strerror(error) as a string.
[[nodiscard]] std::string errorText(int error);
// Closes fd when open and sets it to -1.
void closeFd(int& fd) noexcept;

} // namespace ccoc::pelco
