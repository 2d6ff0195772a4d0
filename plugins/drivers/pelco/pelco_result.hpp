// Errors of the Pelco layer as values: every encoder, decoder and line returns a Result, so a bad
// preset number or a vanished serial port is something the driver reports, never an exception
// that crosses into its caller. Thread: any (plain values).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ccoc::pelco {

enum class ErrorKind {
    InvalidArgument, // a value out of its range (address, speed, preset, baud): nothing was sent
    Malformed,       // bytes that are not a frame this layer understands
    Timeout,         // the line did not take or give the bytes in time
    Closed,          // the device or peer went away (pty closed, adapter unplugged, peer closed)
    NotConnected,    // a TCP line waiting for its next reconnect attempt
    Io,              // any other system error (open, termios, socket)
};

struct Error {
    ErrorKind kind = ErrorKind::Io;
    std::string message; // what, where and what was expected, in words for a log line
};

// A value or an Error. Thread: any; the usual value semantics.
template <class T>
class Result {
public:
    Result(T value) : state_(std::move(value)) {} // NOLINT(google-explicit-constructor)
    Result(Error error) : state_(std::move(error)) {} // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const noexcept { return std::holds_alternative<T>(state_); }
    explicit operator bool() const noexcept { return ok(); }
    // The value; only when ok().
    [[nodiscard]] const T& value() const& { return std::get<T>(state_); }
    [[nodiscard]] T& value() & { return std::get<T>(state_); }
    [[nodiscard]] T&& value() && { return std::get<T>(std::move(state_)); }
    // The error; only when !ok().
    [[nodiscard]] const Error& error() const { return std::get<Error>(state_); }

private:
    std::variant<T, Error> state_;
};

// A Result with no value: done, or why not.
using Status = Result<std::monostate>;

[[nodiscard]] inline Status okStatus() { return Status(std::monostate{}); }
[[nodiscard]] inline Error makeError(ErrorKind kind, std::string message)
{
    return Error{kind, std::move(message)};
}

} // namespace ccoc::pelco
