// Value types of the bus shared by the client, the broker and the codec (see
// sdk/docs/bus-protocol.md). Plain data; no sockets. Thread: any.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::bus {

// Revision of sdk/docs/bus-protocol.md that this SDK speaks (the envelope's "v").
inline constexpr int kProtocolVersion = 1;

// Result of an operation a caller can get wrong. `ok()` or a message that says what, where and
// what was expected.
struct Status {
    std::string error; // empty when ok
    [[nodiscard]] bool ok() const noexcept { return error.empty(); }
    static Status success() { return {}; }
    static Status failure(std::string message) { return Status{std::move(message)}; }
};

// What a published message is (the topic's first segment).
enum class Kind { State, Event, Telemetry };

// "state", "event", "telemetry".
[[nodiscard]] std::string_view kindName(Kind kind) noexcept;

// The one answer every command gets (protocol section 7).
enum class CommandStatus { Ok, Error, Busy, Rejected, Timeout, Unavailable };

// "ok", "error", "busy", "rejected", "timeout", "unavailable".
[[nodiscard]] std::string_view commandStatusName(CommandStatus status) noexcept;
// Parses a name made by commandStatusName; nullopt for anything else.
[[nodiscard]] std::optional<CommandStatus> parseCommandStatus(std::string_view name) noexcept;

// A state update, event or telemetry sample as a subscriber receives it.
struct Message {
    Kind kind = Kind::State;
    std::string topic;     // wire topic, "state/cam-1/ptz/position/"
    std::string path;      // topic without kind and trailing slash: "cam-1/ptz/position"
    std::string device;    // "cam-1"
    std::string payload;   // JSON text, UTF-8
    std::string messageId; // envelope "id"
    std::string source;    // envelope "src"
    std::string session;   // envelope "session"
    uint64_t seq = 0;      // sender's sequence number in its session
    int64_t acquiredUs = 0;
    int64_t sentUs = 0;
    int64_t receivedUs = 0; // set by the broker
    uint64_t brokerSeq = 0; // state only
    uint64_t eventSeq = 0;  // reliable events only: position in the broker's journal
    std::string journal;    // reliable events only: the broker journal's id
    bool reliable = false;
    bool stale = false;     // state only: the owning driver went silent
    bool removed = false;   // state only: the key was removed (Client::removeState)
    std::vector<std::string> attachments; // binary frames 3..
};

// One retained state value, as kept by a client's state mirror.
struct StateEntry {
    std::string path;     // "cam-1/ptz/position"
    std::string value;    // JSON text
    std::string source;
    std::string session;
    int64_t acquiredUs = 0;
    uint64_t brokerSeq = 0;
    bool stale = false;
};

// A command a console sends (protocol section 7).
struct Command {
    std::string device;        // "cam-1"
    std::string action;        // "ptz.move" (one topic segment)
    std::string argsJson = "null";
    int ttlMs = 2000;          // 1..600000
    int deadmanMs = 0;         // > 0 for a continuous action, repeated by the caller
};

// The answer to a command.
struct Reply {
    CommandStatus status = CommandStatus::Ok;
    std::string message;          // human-readable reason; may be empty for ok
    std::string resultJson = "null";
};

// A command as the driver that owns the device receives it.
struct IncomingCommand {
    std::string messageId;
    std::string source;   // who sent it
    std::string device;
    std::string action;
    std::string argsJson;
    int64_t deadlineSteadyUs = 0; // steady_clock microseconds after which it must not be executed
    int deadmanMs = 0;
};

// Limits of the decoder (protocol section 11). Defaults are the protocol's.
struct Limits {
    size_t maxMessageBytes = 1u << 20;
    size_t maxFrames = 8;
    size_t maxTopicBytes = 256;
    size_t maxTopicSegments = 16;
    size_t maxEnvelopeBytes = 4096;
    size_t maxDepth = 32;
};

} // namespace ccoc::bus
