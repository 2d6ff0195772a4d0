// SIA DC-09 frame parser and encoder (see dc09_frame.hpp).
#include "dc09_frame.hpp"

#include <array>
#include <cstdio>

namespace ccoc::sia {

namespace {

bool isHex(char c) noexcept
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

bool isDigit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

std::optional<unsigned> hexValue(std::string_view text) noexcept
{
    unsigned value = 0;
    for (char c : text) {
        if (!isHex(c)) {
            return std::nullopt;
        }
        value = value * 16 + static_cast<unsigned>(isDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return value;
}

std::string hex4(unsigned value)
{
    std::array<char, 8> text{};
    std::snprintf(text.data(), text.size(), "%04X", value & 0xFFFFu);
    return text.data();
}


// Reads `prefix` then 1..maxLen hex digits at `at`; empty optional when the prefix is absent.
std::optional<std::string> takeHexField(std::string_view body, size_t& at, char prefix, size_t maxLen)
{
    if (at >= body.size() || body[at] != prefix) {
        return std::nullopt;
    }
    size_t end = at + 1;
    while (end < body.size() && isHex(body[end]) && end - at - 1 < maxLen) {
        ++end;
    }
    std::string value(body.substr(at + 1, end - at - 1));
    at = end;
    return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t daysFromCivil(int64_t year, unsigned month, unsigned day) noexcept
{
    year -= month <= 2 ? 1 : 0;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yearOfEra = static_cast<unsigned>(year - era * 400);
    const unsigned dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + static_cast<int64_t>(dayOfEra) - 719468;
}

FrameParse fail(FrameParse parse, FrameProblem problem, std::string detail)
{
    parse.problem = problem;
    parse.detail = std::move(detail);
    return parse;
}

} // namespace

std::string printable(std::string_view bytes)
{
    std::string out;
    for (size_t i = 0; i < bytes.size() && i < 80; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
        } else {
            std::array<char, 8> escaped{};
            std::snprintf(escaped.data(), escaped.size(), "\\x%02X", c);
            out += escaped.data();
        }
    }
    return bytes.size() > 80 ? out + "..." : out;
}

std::string_view problemName(FrameProblem problem) noexcept
{
    switch (problem) {
    case FrameProblem::None: return "none";
    case FrameProblem::Framing: return "framing";
    case FrameProblem::Length: return "length";
    case FrameProblem::Crc: return "crc";
    case FrameProblem::BadTimestamp: return "bad-timestamp";
    case FrameProblem::StaleTimestamp: return "stale-timestamp";
    case FrameProblem::Syntax: return "syntax";
    case FrameProblem::UnknownId: return "unknown-id";
    case FrameProblem::Encrypted: return "encrypted";
    case FrameProblem::Undecryptable: return "undecryptable";
    case FrameProblem::EncryptionRequired: return "encryption-required";
    }
    return "unknown";
}

uint16_t crc16Arc(std::string_view bytes) noexcept
{
    uint16_t crc = 0;
    for (char c : bytes) {
        crc ^= static_cast<uint8_t>(c);
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 1u) != 0 ? static_cast<uint16_t>((crc >> 1) ^ 0xA001u) : static_cast<uint16_t>(crc >> 1);
        }
    }
    return crc;
}

std::optional<int64_t> parseTimestamp(std::string_view text) noexcept
{
    // HH:MM:SS,MM-DD-YYYY
    constexpr std::string_view kShape = "dd:dd:dd,dd-dd-dddd";
    if (text.size() != kShape.size()) {
        return std::nullopt;
    }
    for (size_t i = 0; i < kShape.size(); ++i) {
        if (kShape[i] == 'd' ? !isDigit(text[i]) : text[i] != kShape[i]) {
            return std::nullopt;
        }
    }
    const auto number = [&](size_t at, size_t len) {
        int value = 0;
        for (size_t i = at; i < at + len; ++i) {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const int hour = number(0, 2);
    const int minute = number(3, 2);
    const int second = number(6, 2);
    const int month = number(9, 2);
    const int day = number(12, 2);
    const int year = number(15, 4);
    static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (hour > 23 || minute > 59 || second > 59 || month < 1 || month > 12 || day < 1 || day > kDays[month - 1] ||
        year < 1970) {
        return std::nullopt;
    }
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29 && !leap) {
        return std::nullopt;
    }
    const int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return days * 86400 + hour * 3600 + minute * 60 + second;
}

std::string formatTimestamp(int64_t unixSec)
{
    // civil_from_days (Howard Hinnant's algorithm).
    const int64_t days = unixSec >= 0 ? unixSec / 86400 : (unixSec - 86399) / 86400;
    const int64_t secondsOfDay = unixSec - days * 86400;
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto dayOfEra = static_cast<unsigned>(z - era * 146097);
    const unsigned yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const unsigned mp = (5 * dayOfYear + 2) / 153;
    const unsigned day = dayOfYear - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    const int64_t year = static_cast<int64_t>(yearOfEra) + era * 400 + (month <= 2 ? 1 : 0);
    std::array<char, 64> text{};
    std::snprintf(text.data(), text.size(), "%02d:%02d:%02d,%02u-%02u-%04lld", static_cast<int>(secondsOfDay / 3600),
                  static_cast<int>(secondsOfDay / 60 % 60), static_cast<int>(secondsOfDay % 60), month, day,
                  static_cast<long long>(year));
    return text.data();
}

FrameParse parseFrame(std::string_view line, const TimeWindow& window)
{
    FrameParse parse;
    if (line.size() < 8) {
        return fail(parse, FrameProblem::Framing,
                    "frame of " + std::to_string(line.size()) +
                        " bytes is shorter than the 8-character CRC and length header: '" + printable(line) + "'");
    }
    const std::string_view crcText = line.substr(0, 4);
    const std::string_view lengthText = line.substr(4, 4);
    const std::string_view body = line.substr(8);
    const auto crcField = hexValue(crcText);
    if (!crcField) {
        return fail(parse, FrameProblem::Framing, "CRC field '" + printable(crcText) + "' is not 4 hex digits");
    }
    const auto lengthField = hexValue(lengthText.substr(1));
    if (lengthText[0] != '0' || !lengthField) {
        return fail(parse, FrameProblem::Framing,
                    "length field '" + printable(lengthText) + "' is not '0' followed by 3 hex digits");
    }
    if (*lengthField != body.size()) {
        return fail(parse, FrameProblem::Length,
                    "length mismatch: the length field says " + std::to_string(*lengthField) + " bytes (0x" +
                        std::string(lengthText) + "), the body has " + std::to_string(body.size()));
    }
    const uint16_t computed = crc16Arc(body);
    if (computed != *crcField) {
        return fail(parse, FrameProblem::Crc,
                    "CRC mismatch: expected " + hex4(computed) + " got " + hex4(*crcField) + " over '" +
                        printable(body) + "'");
    }

    // "<id>"
    if (body.empty() || body[0] != '"') {
        return fail(parse, FrameProblem::Syntax, "the body does not start with a quoted id: '" + printable(body) + "'");
    }
    const size_t idEnd = body.find('"', 1);
    if (idEnd == std::string_view::npos || idEnd == 1) {
        return fail(parse, FrameProblem::Syntax, "the id token is empty or not closed by a quote: '" + printable(body) + "'");
    }
    Dc09Frame& frame = parse.frame;
    std::string_view id = body.substr(1, idEnd - 1);
    frame.encrypted = id.front() == '*';
    frame.id = std::string(frame.encrypted ? id.substr(1) : id);

    // <seq>[R<rcvr>]L<prefix>#<acct>
    size_t at = idEnd + 1;
    if (body.size() < at + 4 || !isDigit(body[at]) || !isDigit(body[at + 1]) || !isDigit(body[at + 2]) ||
        !isDigit(body[at + 3])) {
        return fail(parse, FrameProblem::Syntax,
                    "expected a 4-digit sequence number after \"" + std::string(id) + "\", got '" +
                        printable(body.substr(at, 4)) + "'");
    }
    frame.seq = std::string(body.substr(at, 4));
    at += 4;
    if (auto receiver = takeHexField(body, at, 'R', 6)) {
        if (receiver->empty()) {
            return fail(parse, FrameProblem::Syntax, "'R' is not followed by 1-6 hex digits (receiver number)");
        }
        frame.receiver = *receiver;
    }
    auto prefix = takeHexField(body, at, 'L', 6);
    if (!prefix || prefix->empty()) {
        return fail(parse, FrameProblem::Syntax,
                    "expected 'L' and 1-6 hex digits (account prefix) at byte " + std::to_string(at) + ", got '" +
                        printable(body.substr(at, 8)) + "'");
    }
    frame.prefix = *prefix;
    auto account = takeHexField(body, at, '#', 16);
    if (!account || account->empty()) {
        return fail(parse, FrameProblem::Syntax,
                    "expected '#' and 1-16 hex digits (account) at byte " + std::to_string(at) + ", got '" +
                        printable(body.substr(at, 8)) + "'");
    }
    frame.account = *account;
    parse.headerParsed = true;

    if (frame.id != "SIA-DCS" && frame.id != "ADM-CID" && frame.id != "NULL") {
        return fail(parse, FrameProblem::UnknownId,
                    "unsupported id token \"" + printable(id) + "\" (expected SIA-DCS, ADM-CID or NULL, each may follow a '*')");
    }
    if (at >= body.size() || body[at] != '[') {
        return fail(parse, FrameProblem::Syntax, "expected '[' (data) after account " + frame.account);
    }
    if (frame.encrypted) {
        frame.cipherHex = std::string(body.substr(at + 1));
        return parse;
    }
    return parseBlocks(std::move(parse), body.substr(at), window);
}

FrameParse parseBlocks(FrameParse parse, std::string_view blocks, const TimeWindow& window)
{
    Dc09Frame& frame = parse.frame;
    size_t at = 0;
    if (blocks.empty() || blocks[0] != '[') {
        return fail(parse, FrameProblem::Syntax, "expected '[' (data) after account " + frame.account);
    }
    bool first = true;
    while (at < blocks.size() && blocks[at] == '[') {
        const size_t close = blocks.find(']', at);
        if (close == std::string_view::npos) {
            return fail(parse, FrameProblem::Syntax, "data block at byte " + std::to_string(at) + " has no ']'");
        }
        std::string block(blocks.substr(at + 1, close - at - 1));
        if (first) {
            frame.data = std::move(block);
            first = false;
        } else {
            frame.extended.push_back(std::move(block));
        }
        at = close + 1;
    }
    if (at < blocks.size()) {
        if (blocks[at] != '_') {
            return fail(parse, FrameProblem::Syntax,
                        "unexpected '" + printable(blocks.substr(at)) + "' after the data (expected '_' and a timestamp)");
        }
        frame.timestampText = std::string(blocks.substr(at + 1));
        frame.timestampUnix = parseTimestamp(frame.timestampText);
        if (!frame.timestampUnix) {
            return fail(parse, FrameProblem::BadTimestamp,
                        "timestamp '" + printable(frame.timestampText) + "' is not HH:MM:SS,MM-DD-YYYY (UTC)");
        }
        const int64_t ahead = *frame.timestampUnix - window.nowUnix;
        if (ahead > window.futureSec || -ahead > window.pastSec) {
            return fail(parse, FrameProblem::StaleTimestamp,
                        "timestamp " + frame.timestampText + " is " + std::to_string(ahead < 0 ? -ahead : ahead) +
                            " s " + (ahead < 0 ? "behind" : "ahead of") + " the receiver's clock " +
                            formatTimestamp(window.nowUnix) + " (allowed: +" + std::to_string(window.futureSec) +
                            "/-" + std::to_string(window.pastSec) + " s)");
        }
    }
    return parse;
}

std::string encodeFrame(std::string_view body)
{
    std::array<char, 8> length{};
    std::snprintf(length.data(), length.size(), "0%03X", static_cast<unsigned>(body.size() & 0xFFFu));
    std::string out = "\n" + hex4(crc16Arc(body)) + length.data();
    out += body;
    out += '\r';
    return out;
}

namespace {

std::string echoedHeader(std::string_view token, const Dc09Frame& frame)
{
    std::string body = "\"" + std::string(token) + "\"" + frame.seq;
    if (!frame.receiver.empty()) {
        body += "R" + frame.receiver;
    }
    return body + "L" + frame.prefix + "#" + frame.account + "[]";
}

} // namespace

std::string encodeAck(const Dc09Frame& frame)
{
    return encodeFrame(echoedHeader("ACK", frame));
}

std::string encodeDuh(const Dc09Frame& frame)
{
    return encodeFrame(echoedHeader("DUH", frame));
}

std::string encodeBareDuh(std::string_view receiver, std::string_view prefix)
{
    return encodeFrame("\"DUH\"0000R" + std::string(receiver) + "L" + std::string(prefix) + "A0[]");
}

std::string encodeNak(std::string_view receiver, std::string_view prefix, int64_t nowUnix)
{
    return encodeFrame("\"NAK\"0000R" + std::string(receiver) + "L" + std::string(prefix) + "A0[]_" +
                       formatTimestamp(nowUnix));
}

bool FrameSplitter::append(std::string_view bytes)
{
    buffer_.append(bytes);
    const size_t lastCr = buffer_.rfind('\r');
    const size_t tail = lastCr == std::string::npos ? buffer_.size() : buffer_.size() - lastCr - 1;
    return tail <= maxFrameBytes_ && buffer_.size() <= 16 * maxFrameBytes_;
}

std::optional<FrameSplitter::Piece> FrameSplitter::next()
{
    const size_t cr = buffer_.find('\r');
    if (cr == std::string::npos) {
        return std::nullopt;
    }
    Piece piece;
    const std::string_view segment(buffer_.data(), cr);
    const size_t lf = segment.rfind('\n');
    if (lf == std::string_view::npos) {
        const bool blank = segment.find_first_not_of(" \t") == std::string_view::npos;
        piece.problem = blank ? "" : "no LF before the CR: '" + printable(segment) + "' dropped";
        piece.droppedBytes = blank ? 0 : segment.size() + 1;
    } else {
        if (lf > 0 && segment.substr(0, lf).find_first_not_of("\n ") != std::string_view::npos) {
            piece.problem = std::to_string(lf) + " bytes before the frame's LF dropped: '" +
                            printable(segment.substr(0, lf)) + "'";
            piece.droppedBytes = lf;
        }
        piece.line = std::string(segment.substr(lf + 1));
        piece.isFrame = true;
    }
    buffer_.erase(0, cr + 1);
    return piece;
}

} // namespace ccoc::sia
