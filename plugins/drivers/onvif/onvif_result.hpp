// Errors of the ONVIF client layer as values: every request returns a Result, so a camera that
// refuses a password, answers a SOAP fault or never answers is something the driver reports in
// words, never an exception that crosses into its caller. Thread: any (plain values).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ccoc::onvif {

enum class ErrorKind {
    InvalidArgument, // a value the request cannot carry: nothing was sent
    Transport,       // no connection (refused, unreachable, DNS)
    Timeout,         // the camera did not answer within the timeout
    Http,            // an HTTP status other than 200 with no SOAP fault in the body
    Fault,           // a SOAP fault: see Error::code, subcode, reason
    Malformed,       // an answer that is not the XML or the envelope expected
};

struct Error {
    ErrorKind kind = ErrorKind::Transport;
    std::string message; // what, where and what was expected, in words for a log line
    long httpStatus = 0; // the HTTP status when there was one
    std::string code;    // SOAP fault Code value, e.g. "env:Sender"
    std::string subcode; // SOAP fault Subcode value, e.g. "ter:NotAuthorized"
    std::string reason;  // SOAP fault Reason text
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
    // The error; only when !ok().
    [[nodiscard]] const Error& error() const { return std::get<Error>(state_); }

private:
    std::variant<T, Error> state_;
};

using Status = Result<std::monostate>;

[[nodiscard]] inline Status okStatus() { return Status(std::monostate{}); }
[[nodiscard]] inline Error makeError(ErrorKind kind, std::string message)
{
    Error error;
    error.kind = kind;
    error.message = std::move(message);
    return error;
}

} // namespace ccoc::onvif
