// Splits a byte stream from a Pelco line into frames, resynchronising after junk, split frames
// and bad checksums. It never throws and never holds more than one frame's bytes: every byte is
// either part of a returned frame, part of a frame that was counted as unsupported, or counted
// as discarded.
//
// Resynchronising: bytes before a sync (D: FF; P: A0) are discarded. Once a frame's worth is
// buffered it is checked; when its ETX (P) or checksum is wrong, only its first byte is dropped
// and the search for a sync starts again at the second, so a real frame that began inside the bad
// one is still found.
// Thread: one owner.
#pragma once

#include "pelco_frame.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ccoc::pelco {

struct ReaderCounters {
    uint64_t frames = 0;          // frames decoded and returned
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

    [[nodiscard]] const ReaderCounters& counters() const noexcept { return counters_; }
    // What was wrong with the last rejected frame ("" when none yet): for a rate-limited log line.
    [[nodiscard]] const std::string& lastProblem() const noexcept { return lastProblem_; }
    // Bytes held for an incomplete frame.
    [[nodiscard]] size_t pending() const noexcept { return size_; }
    [[nodiscard]] Protocol protocol() const noexcept { return protocol_; }

private:
    void push(uint8_t byte, std::vector<Message>& out);
    // Drops the first buffered byte, then everything up to the next sync.
    void resync();
    [[nodiscard]] uint8_t syncByte() const noexcept { return protocol_ == Protocol::D ? kSyncD : kStxP; }

    Protocol protocol_;
    std::array<uint8_t, kFrameSizeP> buffer_{};
    size_t size_ = 0;
    ReaderCounters counters_;
    std::string lastProblem_;
};

} // namespace ccoc::pelco
