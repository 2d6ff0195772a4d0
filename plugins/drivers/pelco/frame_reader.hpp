// Splits a byte stream from a Pelco line into frames, resynchronising after junk, split frames
// and bad checksums. It never throws and never holds more than one frame's bytes: every byte is
// either part of a returned frame, part of a frame that was counted as unsupported, or counted
// as discarded.
//
// Resynchronising: bytes before a sync (D: FF; P: A0) are discarded. Once a frame's worth is
// buffered it is checked; when its ETX (P) or checksum is wrong, only its first byte is dropped
// and the search for a sync starts again at the second, so a real frame that began inside the bad
// one is still found.
//
// Pelco-D general responses (4 bytes, FF address alarms checksum) share the sync byte with the
// 7-byte frames: a 7-byte candidate whose checksum fails but whose first 4 bytes are a valid
// general response is read as one, and the reader goes on after it. A general response is thus
// known once 3 more bytes follow it, or when the line goes quiet (idle()). One in 256 corrupt
// 7-byte candidates passes for a general response.
// Thread: one owner.
#pragma once

#include "pelco_frame.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ccoc::pelco {

struct ReaderCounters {
    uint64_t frames = 0;          // frames decoded and returned (general responses included)
    uint64_t generalResponses = 0; // of them, Pelco-D 4-byte general responses
    uint64_t badChecksums = 0;    // candidate frames whose checksum was wrong
    uint64_t badFraming = 0;      // Pelco-P candidates without ETX AF in byte 7
    uint64_t unsupported = 0;     // well-formed frames with a checksum but a meaning this layer rejects
    uint64_t discardedBytes = 0;  // bytes that were not part of any frame (junk, resync)

    friend bool operator==(const ReaderCounters&, const ReaderCounters&) = default;
};

class FrameReader {
public:
    explicit FrameReader(Protocol protocol) noexcept : protocol_(protocol) {}

    // Feeds the next bytes of the stream (any length, frames may be split anywhere); returns the
    // frames they complete, in order.
    std::vector<Message> feed(std::span<const uint8_t> bytes);
    // The line has been quiet for longer than a frame takes (a read timed out): returns a
    // Pelco-D general response that was held, and discards any other partial frame, which will
    // never be completed and must not be glued to the next bytes.
    std::vector<Message> idle();

    [[nodiscard]] const ReaderCounters& counters() const noexcept { return counters_; }
    // What was wrong with the last rejected frame ("" when none yet): for a rate-limited log line.
    [[nodiscard]] const std::string& lastProblem() const noexcept { return lastProblem_; }
    // Bytes held for an incomplete frame.
    [[nodiscard]] size_t pending() const noexcept { return size_; }
    [[nodiscard]] Protocol protocol() const noexcept { return protocol_; }

private:
    void push(uint8_t byte, std::vector<Message>& out);
    // Drops the first buffered byte (counted as discarded), then everything up to the next sync.
    void resync();
    // Drops the first `count` buffered bytes (a frame), then discards everything up to the next sync.
    void shiftToSync(size_t count);
    // The first 4 buffered bytes, decoded as a Pelco-D general response, when they are one.
    std::optional<Message> generalResponse() const;
    [[nodiscard]] uint8_t syncByte() const noexcept { return protocol_ == Protocol::D ? kSyncD : kStxP; }

    Protocol protocol_;
    std::array<uint8_t, kFrameSizeP> buffer_{};
    size_t size_ = 0;
    ReaderCounters counters_;
    std::string lastProblem_;
};

} // namespace ccoc::pelco
