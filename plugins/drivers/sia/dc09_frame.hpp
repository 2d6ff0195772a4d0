// SIA DC-09 frames: a pure parser and encoder (no sockets, no clock; "now" is passed in).
//
// A frame on the wire:
//   <LF><crc: 4 hex><0LLL: length, 4 hex>"<id>"<seq: 4 digits>[R<rcvr>]L<prefix>#<acct>[<data>][<x>...][_<time>]<CR>
// The CRC (CRC-16/ARC) and the length cover everything from the first quote to before the CR.
// An encrypted frame ("*<id>") carries hex text after its '[' instead (encrypted_frame.hpp).
// Thread: any; every function here is pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::sia {

// What was wrong with a frame; decides the answer (see FrameProcessor).
enum class FrameProblem {
    None,
    Framing,        // not "<crc 4 hex><0LLL>"... : NAK
    Length,         // the length field does not match the body: NAK
    Crc,            // the CRC field does not match the body: NAK
    BadTimestamp,   // "_HH:MM:SS,MM-DD-YYYY" malformed: NAK
    StaleTimestamp, // outside the time window: NAK (with the receiver's time)
    Syntax,         // CRC good, but the body is not DC-09: DUH
    UnknownId,      // an id token this receiver does not handle: DUH
    Encrypted,      // "*SIA-DCS", "*ADM-CID" for an account with no AES key: DUH
    Undecryptable,  // encrypted, but it does not decrypt to DC-09 text with the account's key: NAK
    EncryptionRequired, // a plain frame from an account that must encrypt: DUH
};

// "framing", "length", "crc", ...: for logs and counters.
[[nodiscard]] std::string_view problemName(FrameProblem problem) noexcept;

// One DC-09 message, as parsed.
struct Dc09Frame {
    std::string id;        // "SIA-DCS", "ADM-CID", "NULL" (without '*')
    bool encrypted = false;
    std::string seq;       // 4 digits, "0042"
    std::string receiver;  // hex digits after 'R', empty when absent
    std::string prefix;    // hex digits after 'L'
    std::string account;   // hex digits after '#'
    std::string data;      // between the first '[' and its ']'
    std::string cipherHex; // encrypted frames: the hex text after the '[' (parseFrame leaves data empty)
    std::vector<std::string> extended; // further [...] blocks (extended data), without brackets
    std::string timestampText;          // "14:12:04,09-25-2019", empty when absent
    std::optional<int64_t> timestampUnix; // seconds since 1970 UTC
};

struct FrameParse {
    Dc09Frame frame;
    FrameProblem problem = FrameProblem::None;
    std::string detail;        // what was wrong, where, what was expected ("" when fine)
    bool headerParsed = false; // seq, receiver, prefix and account are valid (a DUH can echo them)
};

// The time window: a frame's timestamp may be at most futureSec ahead of the receiver's clock
// and at most pastSec behind it (DC-09: +20 / -40 s).
struct TimeWindow {
    int64_t nowUnix = 0;
    int futureSec = 20;
    int pastSec = 40;
};

// CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0, no final xor) of `bytes`.
[[nodiscard]] uint16_t crc16Arc(std::string_view bytes) noexcept;

// Parses one frame given WITHOUT its LF and CR ("<crc><len>\"SIA-DCS\"..."). Never throws.
// An encrypted frame ('*' id) is parsed up to its '[': the rest goes to frame.cipherHex, and
// decryptFrame (encrypted_frame.hpp) reads it with the account's key.
[[nodiscard]] FrameParse parseFrame(std::string_view line, const TimeWindow& window);

// The part of a frame after the account: "[<data>][<extended>]...[_<timestamp>]", into
// parse.frame's data, extended and timestamp fields; sets parse.problem and detail when it is
// not that shape or the timestamp is malformed or outside `window`. Returns `parse`.
[[nodiscard]] FrameParse parseBlocks(FrameParse parse, std::string_view blocks, const TimeWindow& window);

// "HH:MM:SS,MM-DD-YYYY" (UTC) to seconds since 1970; nullopt when malformed or out of range.
[[nodiscard]] std::optional<int64_t> parseTimestamp(std::string_view text) noexcept;
// Seconds since 1970 to "HH:MM:SS,MM-DD-YYYY" (UTC).
[[nodiscard]] std::string formatTimestamp(int64_t unixSec);

// Wraps a body ("\"ACK\"0042L0#1234[]") as a frame: LF, CRC, length, body, CR.
[[nodiscard]] std::string encodeFrame(std::string_view body);
// The ACK of a frame: "ACK" with its seq, R (when it had one), L and account, empty data.
[[nodiscard]] std::string encodeAck(const Dc09Frame& frame);
// The DUH of a frame whose header was parsed (same fields as the ACK); `bare` (header unknown):
// "DUH"0000R<rcvr>L<prefix>A0[].
[[nodiscard]] std::string encodeDuh(const Dc09Frame& frame);
[[nodiscard]] std::string encodeBareDuh(std::string_view receiver, std::string_view prefix);
// The NAK: "NAK"0000R<rcvr>L<prefix>A0[]_<receiver's time>.
[[nodiscard]] std::string encodeNak(std::string_view receiver, std::string_view prefix, int64_t nowUnix);

// Printable form of untrusted bytes for a log line (at most 80 of them, the rest as "...").
[[nodiscard]] std::string printable(std::string_view bytes);

// Splits a byte stream into frames: each frame ends with CR and starts at the last LF before it.
// Thread: one owner.
class FrameSplitter {
public:
    // At most maxFrameBytes after the last CR, and 16 times that in all (frames waiting while
    // an earlier one is being answered).
    explicit FrameSplitter(size_t maxFrameBytes) : maxFrameBytes_(maxFrameBytes) {}

    struct Piece {
        std::string line;       // the frame without LF and CR
        std::string problem;    // non-empty: the piece is not a frame (no LF) or junk preceded it
        bool isFrame = false;   // line is usable
        size_t droppedBytes = 0; // bytes of garbage the problem is about
    };

    // Appends bytes. false when more than maxFrameBytes follow the last CR, or more than 16
    // frames' worth wait (the sender is not speaking DC-09, or floods: close the connection).
    bool append(std::string_view bytes);
    // The next complete piece, if any.
    std::optional<Piece> next();
    [[nodiscard]] size_t buffered() const noexcept { return buffer_.size(); }
    // The bytes not yet split (an incomplete frame, or garbage without a CR).
    [[nodiscard]] std::string_view pending() const noexcept { return buffer_; }

private:
    size_t maxFrameBytes_;
    std::string buffer_;
};

} // namespace ccoc::sia
