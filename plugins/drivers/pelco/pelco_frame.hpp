// Pelco-D and Pelco-P frames: encoders from a Command and decoders back to a Message.
//
// Pelco-D, 7 bytes:  FF  address  command1  command2  data1  data2  checksum
//   address 1..254; checksum = (address + command1 + command2 + data1 + data2) mod 256.
//   command1: bit 2 iris close, bit 1 iris open, bit 0 focus near.
//   command2: bit 7 focus far, bit 6 zoom wide, bit 5 zoom tele, bit 4 tilt down, bit 3 tilt up,
//             bit 2 pan left, bit 1 pan right, bit 0 = 1 for an extended command (then command1
//             is 0 and command2 says which: 03 set preset, 05 clear, 07 go to, 09 aux on, 0B aux
//             off, 4B/4D/4F set position, 51/53/55 query position, 59/5B/5D position response).
//   data1: pan speed 00..3F, FF turbo; data2: tilt speed 00..3F (preset, aux: the number in data2;
//          positions: data1 high byte, data2 low byte).
// Pelco-D general response, 4 bytes, receiver to controller:  FF  address  alarms  checksum
//   checksum = (address + alarms) mod 256.
//
// Pelco-P, 8 bytes:  A0  address  data1  data2  data3  data4  AF  checksum
//   address on the wire 00..1F for cameras 1..32 (wire = camera - 1);
//   checksum = XOR of the seven bytes before it, A0 and AF included.
//   data1: bit 3 iris close, bit 2 iris open, bit 1 focus near, bit 0 focus far.
//   data2: bit 6 zoom wide, bit 5 zoom tele, bit 4 tilt down, bit 3 tilt up, bit 2 pan left,
//          bit 1 pan right, bit 0 = 1 for an extended command (codes as in D: data2 is the code,
//          data3/data4 as D's data1/data2).
//   data3: pan speed 00..3F, 40 turbo; data4: tilt speed 00..3F.
//
// Bits this layer does not drive (D's sense, scan and camera on/off in command1; P's camera
// on, auto scan and camera on/off in data1) make a frame "unsupported" when decoded.
// Thread: any; every function here is pure.
#pragma once

#include "pelco_command.hpp"
#include "pelco_result.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace ccoc::pelco {

enum class Protocol { D, P };

inline constexpr size_t kFrameSizeD = 7;
inline constexpr size_t kFrameSizeP = 8;
inline constexpr size_t kGeneralResponseSizeD = 4;
inline constexpr uint8_t kSyncD = 0xFF;
inline constexpr uint8_t kStxP = 0xA0;
inline constexpr uint8_t kEtxP = 0xAF;

// Pelco-D receiver addresses. 0 is not a receiver and 255 is the broadcast address many
// receivers act on: a command to it would move every camera on the line, so the encoder refuses
// both; a caller that wants a broadcast must say so another way (not offered here).
inline constexpr int kMinAddressD = 1;
inline constexpr int kMaxAddressD = 254;
// Pelco-P camera addresses (wire byte + 1).
inline constexpr int kMinAddressP = 1;
inline constexpr int kMaxAddressP = 32;

// One encoded frame: 7 bytes for D (4 for its general response), 8 for P.
struct Frame {
    std::array<uint8_t, kFrameSizeP> storage{};
    size_t size = 0;

    [[nodiscard]] std::span<const uint8_t> bytes() const noexcept { return {storage.data(), size}; }
};

[[nodiscard]] constexpr size_t frameSize(Protocol protocol) noexcept
{
    return protocol == Protocol::D ? kFrameSizeD : kFrameSizeP;
}
[[nodiscard]] std::string_view protocolName(Protocol protocol) noexcept;

// The checksum byte of a frame's first size-1 bytes (D: sum of bytes 2-6; P: XOR of bytes 1-7).
// `frame` must hold at least frameSize(protocol) - 1 bytes.
[[nodiscard]] uint8_t checksumD(std::span<const uint8_t> frame) noexcept;
[[nodiscard]] uint8_t checksumP(std::span<const uint8_t> frame) noexcept;

// Encodes `command` for the receiver at `address` (a GeneralResponse: from that receiver; P has
// none). InvalidArgument when the address or a value is out of range (the message names it and
// the range expected); nothing partial is returned.
[[nodiscard]] Result<Frame> encodeD(int address, const Command& command);
[[nodiscard]] Result<Frame> encodeP(int address, const Command& command);
[[nodiscard]] Result<Frame> encode(Protocol protocol, int address, const Command& command);

// Decodes exactly one frame of `bytes` (frameSize(protocol) long, or 4 for a D general response). Malformed when
// the sync/STX/ETX, the checksum, the address or a value is wrong or the frame uses bits this
// layer does not drive; the message says which byte and what was expected.
[[nodiscard]] Result<Message> decodeD(std::span<const uint8_t> bytes);
[[nodiscard]] Result<Message> decodeP(std::span<const uint8_t> bytes);
[[nodiscard]] Result<Message> decode(Protocol protocol, std::span<const uint8_t> bytes);

// "FF 01 00 02 20 00 23": for logs and test messages.
[[nodiscard]] std::string hexText(std::span<const uint8_t> bytes);

} // namespace ccoc::pelco
