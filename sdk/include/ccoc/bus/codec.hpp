// Encoding and decoding of bus messages (sdk/docs/bus-protocol.md sections 2-4, 11).
// decodeMessage is a pure function with limits: it never throws, never allocates more than the
// input's size in total, and says why it refused a message.
//
// Thread: any; no shared state.
#pragma once

#include "ccoc/bus/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::bus {

// The envelope (frame 1). Absent optional integers are 0, absent strings empty.
struct Envelope {
    int version = kProtocolVersion;
    std::string id;
    std::string type;        // "state/1"
    std::string source;
    std::string session;
    uint64_t seq = 0;
    int64_t acquiredUs = 0;
    int64_t sentUs = 0;
    int64_t receivedUs = 0;
    std::string corr;
    int64_t ttlMs = 0;
    int64_t deadmanMs = 0;
    // command only, set by the broker: when the command expires, in the broker's wall clock
    // (its receipt time + ttl_ms; protocol section 7)
    int64_t deadlineUs = 0;
    bool reliable = false;
    uint64_t brokerSeq = 0;
    std::string epoch;
    uint64_t eventSeq = 0;
    std::string journal;
    bool stale = false;
    bool removed = false;    // state only: the key was removed (protocol section 6)
};

// A decoded message: the frames, checked.
struct Decoded {
    std::string topic;
    Envelope envelope;
    std::string payload;                  // JSON text, validated
    std::vector<std::string> attachments;
};

// Why decoding failed: a short machine code and a sentence for the log.
struct DecodeError {
    std::string code;    // "frames", "size", "topic", "envelope", "payload", "utf8", "depth"
    std::string message; // "frame 1 (envelope): field 'seq' must be an integer"
};

struct DecodeResult {
    std::optional<Decoded> message;
    DecodeError error; // set when message is empty
    [[nodiscard]] bool ok() const noexcept { return message.has_value(); }
};

// Decodes the frames of one message. `frames` are views into the received data.
[[nodiscard]] DecodeResult decodeMessage(const std::vector<std::string_view>& frames, const Limits& limits);

// Encodes an envelope as flat JSON (fields with their default value are left out, except v, id,
// type, src, session, seq, sent_us).
[[nodiscard]] std::string encodeEnvelope(const Envelope& envelope);

// Checks a wire topic ("state/cam-1/x/") against the grammar; empty string when valid,
// otherwise the reason.
[[nodiscard]] std::string checkTopic(std::string_view topic, const Limits& limits);
// Checks one segment ("cam-1").
[[nodiscard]] bool isValidSegment(std::string_view segment) noexcept;
// Wire topic from kind name and path: ("state", "cam-1/x") -> "state/cam-1/x/".
[[nodiscard]] std::string makeTopic(std::string_view kind, std::string_view path);
// Wire prefix from an SDK prefix: "event/cam-1" -> "event/cam-1/", "" -> "".
[[nodiscard]] std::string makePrefix(std::string_view prefix);

// Checks JSON text: syntax, UTF-8, nesting depth. Empty string when valid, else the reason.
[[nodiscard]] std::string checkJson(std::string_view json, size_t maxDepth);
// Checks UTF-8 only.
[[nodiscard]] bool isValidUtf8(std::string_view text) noexcept;

} // namespace ccoc::bus
