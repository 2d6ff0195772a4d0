// Encrypted SIA DC-09 frames ('*' before the id): the encrypted part of a frame read with the
// account's AES key, and the encrypted ACK. Layout (SIA DC-09, encryption):
//   "*SIA-DCS"<seq>[R<rcvr>]L<prefix>#<acct>[<hex of AES-CBC(IV 0, no padding) of the plain text>
//   plain text: <pad>|<data>]<[extended]...>_<HH:MM:SS,MM-DD-YYYY>
// The pad (random characters, none of '|', '[', ']') makes the plain text a multiple of 16 bytes;
// the CRC and length of the frame cover the transmitted hex text. The timestamp is mandatory.
// Thread: any; pure except for the random pad of encodeEncryptedAck.
#pragma once

#include "dc09_cipher.hpp"
#include "dc09_frame.hpp"

#include <cstdint>
#include <string>

namespace ccoc::sia {

// Reads the encrypted part of `outer` (parsed by parseFrame: frame.encrypted, no problem) with
// `key`: the data, extended blocks and timestamp, checked as in a plain frame. Problems:
// Undecryptable (not hex of whole blocks, or it does not decrypt to printable DC-09 text: a
// wrong key), Syntax (decrypts, but not to "<pad>|...]"), BadTimestamp (missing or malformed),
// StaleTimestamp (outside `window`). The detail never contains the key or the plain text's pad.
[[nodiscard]] FrameParse decryptFrame(FrameParse outer, const AesKey& key, const TimeWindow& window);

// The ACK of an encrypted frame: "*ACK"<seq>[R<rcvr>]L<prefix>#<acct>[<hex of <pad>|]_<now>>,
// encrypted with the same key (DC-09: the answer to an encrypted message is encrypted).
[[nodiscard]] std::string encodeEncryptedAck(const Dc09Frame& frame, const AesKey& key, int64_t nowUnix);

} // namespace ccoc::sia
