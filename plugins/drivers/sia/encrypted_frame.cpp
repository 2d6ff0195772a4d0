// Encrypted DC-09 frames (see encrypted_frame.hpp).
#include "encrypted_frame.hpp"

namespace ccoc::sia {

namespace {

FrameParse fail(FrameParse parse, FrameProblem problem, std::string detail)
{
    parse.problem = problem;
    parse.detail = std::move(detail);
    return parse;
}

bool printableAscii(std::string_view text) noexcept
{
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7E) {
            return false;
        }
    }
    return true;
}

} // namespace

FrameParse decryptFrame(FrameParse outer, const AesKey& key, const TimeWindow& window)
{
    Dc09Frame& frame = outer.frame;
    const std::string what = "encrypted \"*" + frame.id + "\" seq " + frame.seq + " of account " + frame.account;
    const Decrypted decrypted = decryptHex(frame.cipherHex, key);
    if (!decrypted.error.empty()) {
        return fail(std::move(outer), FrameProblem::Undecryptable, what + ": " + decrypted.error);
    }
    // Random bytes (a wrong key) are printable text with a chance of (95/256)^16 per block.
    if (!printableAscii(decrypted.plain)) {
        return fail(std::move(outer), FrameProblem::Undecryptable,
                    what + " does not decrypt to text with the account's AES-" + std::to_string(key.bits()) +
                        " key (a wrong key on the panel or here?)");
    }
    const std::string_view plain = decrypted.plain;
    const size_t bar = plain.find('|');
    const size_t close = plain.find(']');
    size_t dataStart = 0;
    if (bar != std::string_view::npos && (close == std::string_view::npos || bar < close)) {
        dataStart = bar + 1;
    } else if (frame.id == "NULL" && close != std::string_view::npos) {
        // Some senders write a link test's pad straight before the ']' of its empty data.
        dataStart = close;
    } else {
        return fail(std::move(outer), FrameProblem::Undecryptable,
                    what + " decrypts to text without the '|' that ends the pad (a wrong key on the panel or here?)");
    }
    std::string blocks = "[" + std::string(plain.substr(dataStart));
    FrameParse parse = parseBlocks(std::move(outer), blocks, window);
    if (parse.problem == FrameProblem::None && parse.frame.timestampText.empty()) {
        return fail(std::move(parse), FrameProblem::BadTimestamp,
                    what + " has no timestamp; encrypted frames must carry one (_HH:MM:SS,MM-DD-YYYY)");
    }
    if (parse.problem != FrameProblem::None) {
        parse.detail = what + ": " + parse.detail;
    }
    return parse;
}

std::string encodeEncryptedAck(const Dc09Frame& frame, const AesKey& key, int64_t nowUnix)
{
    std::string body = "\"*ACK\"" + frame.seq;
    if (!frame.receiver.empty()) {
        body += "R" + frame.receiver;
    }
    body += "L" + frame.prefix + "#" + frame.account + "[";
    body += encryptToHex(padForEncryption("]_" + formatTimestamp(nowUnix)), key);
    return encodeFrame(body);
}

} // namespace ccoc::sia
