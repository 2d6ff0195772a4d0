// Pelco-D frames (see pelco_frame.hpp for the layout).
#include "extended_command.hpp"
#include "pelco_frame.hpp"

namespace ccoc::pelco {

namespace {

// command 1
constexpr uint8_t kFocusNear = 0x01;
constexpr uint8_t kIrisOpen = 0x02;
constexpr uint8_t kIrisClose = 0x04;
constexpr uint8_t kDrivenCommand1 = kFocusNear | kIrisOpen | kIrisClose;
// command 2
constexpr uint8_t kExtended = 0x01;
constexpr uint8_t kPanRight = 0x02;
constexpr uint8_t kPanLeft = 0x04;
constexpr uint8_t kTiltUp = 0x08;
constexpr uint8_t kTiltDown = 0x10;
constexpr uint8_t kZoomTele = 0x20;
constexpr uint8_t kZoomWide = 0x40;
constexpr uint8_t kFocusFar = 0x80;
constexpr uint8_t kTurbo = 0xFF;

Frame makeFrame(uint8_t address, uint8_t command1, uint8_t command2, uint8_t data1, uint8_t data2)
{
    Frame frame;
    frame.storage = {kSyncD, address, command1, command2, data1, data2, 0, 0};
    frame.size = kFrameSizeD;
    frame.storage[6] = checksumD(frame.bytes());
    return frame;
}

Frame motionFrame(uint8_t address, const Motion& motion)
{
    uint8_t command1 = 0;
    uint8_t command2 = 0;
    command1 |= motion.focus == Focus::Near ? kFocusNear : 0;
    command1 |= motion.iris == Iris::Open ? kIrisOpen : motion.iris == Iris::Close ? kIrisClose : 0;
    command2 |= motion.pan == Pan::Right ? kPanRight : motion.pan == Pan::Left ? kPanLeft : 0;
    command2 |= motion.tilt == Tilt::Up ? kTiltUp : motion.tilt == Tilt::Down ? kTiltDown : 0;
    command2 |= motion.zoom == Zoom::Tele ? kZoomTele : motion.zoom == Zoom::Wide ? kZoomWide : 0;
    command2 |= motion.focus == Focus::Far ? kFocusFar : 0;
    const uint8_t panData = motion.panTurbo ? kTurbo : static_cast<uint8_t>(motion.panSpeed);
    return makeFrame(address, command1, command2, panData, static_cast<uint8_t>(motion.tiltSpeed));
}

Result<Message> malformed(const std::string& what)
{
    return makeError(ErrorKind::Malformed, "Pelco-D frame: " + what);
}

// Two opposite bits at once (pan left and right, zoom tele and wide...) are no motion this
// layer can express; a sender that sets both is broken.
bool both(uint8_t bits, uint8_t first, uint8_t second)
{
    return (bits & first) != 0 && (bits & second) != 0;
}

Result<Message> decodeMotion(int address, std::span<const uint8_t> bytes)
{
    const uint8_t command1 = bytes[2];
    const uint8_t command2 = bytes[3];
    if ((command1 & ~kDrivenCommand1) != 0) {
        return malformed("command 1 is " + hexByte(command1) +
                         ": sense, auto scan and camera on/off (bits 3-7) are not supported; expected only "
                         "focus near and iris bits (0-2)");
    }
    if (both(command2, kPanLeft, kPanRight) || both(command2, kTiltUp, kTiltDown) ||
        both(command2, kZoomTele, kZoomWide) ||
        ((command2 & kFocusFar) != 0 && (command1 & kFocusNear) != 0) || both(command1, kIrisOpen, kIrisClose)) {
        return malformed("commands " + hexByte(command1) + " " + hexByte(command2) +
                         " ask for two opposite motions at once");
    }
    Motion motion;
    motion.pan = (command2 & kPanRight) != 0 ? Pan::Right : (command2 & kPanLeft) != 0 ? Pan::Left : Pan::None;
    motion.tilt = (command2 & kTiltUp) != 0 ? Tilt::Up : (command2 & kTiltDown) != 0 ? Tilt::Down : Tilt::None;
    motion.zoom = (command2 & kZoomTele) != 0 ? Zoom::Tele : (command2 & kZoomWide) != 0 ? Zoom::Wide : Zoom::None;
    motion.focus = (command2 & kFocusFar) != 0 ? Focus::Far : (command1 & kFocusNear) != 0 ? Focus::Near : Focus::None;
    motion.iris = (command1 & kIrisOpen) != 0 ? Iris::Open : (command1 & kIrisClose) != 0 ? Iris::Close : Iris::None;
    if (bytes[4] == kTurbo) {
        motion.panTurbo = true;
    } else {
        motion.panSpeed = bytes[4];
    }
    motion.tiltSpeed = bytes[5];
    if (motion.panSpeed > kMaxSpeed) {
        return malformed("pan speed (byte 5) is " + hexByte(bytes[4]) + ": expected 00 to 3F, or FF for turbo");
    }
    if (motion.tiltSpeed > kMaxSpeed) {
        return malformed("tilt speed (byte 6) is " + hexByte(bytes[5]) + ": expected 00 to 3F");
    }
    return Message{address, motion};
}

Result<Message> decodeGeneralResponse(std::span<const uint8_t> bytes)
{
    if (const auto expected = static_cast<uint8_t>((bytes[1] + bytes[2]) & 0xFFu); bytes[3] != expected) {
        return malformed("general response checksum (byte 4) is " + hexByte(bytes[3]) + ": expected " +
                         hexByte(expected) + ", the sum of bytes 2-3 mod 256");
    }
    if (bytes[1] < kMinAddressD || bytes[1] > kMaxAddressD) {
        return malformed("general response address (byte 2) is " + hexByte(bytes[1]) + ": expected 01 to FE");
    }
    return Message{bytes[1], GeneralResponse{bytes[2]}};
}

} // namespace

uint8_t checksumD(std::span<const uint8_t> frame) noexcept
{
    unsigned sum = 0;
    for (size_t i = 1; i < kFrameSizeD - 1; ++i) {
        sum += frame[i];
    }
    return static_cast<uint8_t>(sum & 0xFFu);
}

Result<Frame> encodeD(int address, const Command& command)
{
    if (address < kMinAddressD || address > kMaxAddressD) {
        return makeError(ErrorKind::InvalidArgument,
                         "Pelco-D address " + std::to_string(address) +
                             " is out of range: expected 1 to 254 (0 is no receiver, 255 is the broadcast "
                             "address that would move every camera on the line)");
    }
    if (std::string problem = validate(command); !problem.empty()) {
        return makeError(ErrorKind::InvalidArgument, problem);
    }
    const auto wireAddress = static_cast<uint8_t>(address);
    if (const auto* response = std::get_if<GeneralResponse>(&command)) {
        Frame frame;
        frame.storage = {kSyncD, wireAddress, response->alarms, 0, 0, 0, 0, 0};
        frame.storage[3] = static_cast<uint8_t>((wireAddress + response->alarms) & 0xFFu);
        frame.size = kGeneralResponseSizeD;
        return frame;
    }
    if (std::optional<ExtendedBytes> extended = toExtended(command)) {
        return makeFrame(wireAddress, 0, extended->code, extended->high, extended->low);
    }
    return motionFrame(wireAddress, std::get<Motion>(command));
}

Result<Message> decodeD(std::span<const uint8_t> bytes)
{
    if (bytes.size() != kFrameSizeD && bytes.size() != kGeneralResponseSizeD) {
        return malformed(std::to_string(bytes.size()) + " bytes: expected 7 (or 4 for a general response)");
    }
    if (bytes[0] != kSyncD) {
        return malformed("byte 1 is " + hexByte(bytes[0]) + ": expected the sync byte FF");
    }
    if (bytes.size() == kGeneralResponseSizeD) {
        return decodeGeneralResponse(bytes);
    }
    if (const uint8_t expected = checksumD(bytes); bytes[6] != expected) {
        return malformed("checksum (byte 7) is " + hexByte(bytes[6]) + ": expected " + hexByte(expected) +
                         ", the sum of bytes 2-6 mod 256");
    }
    const int address = bytes[1];
    if (address < kMinAddressD || address > kMaxAddressD) {
        return malformed("address (byte 2) is " + hexByte(bytes[1]) + ": expected 01 to FE");
    }
    if ((bytes[3] & kExtended) == 0) {
        return decodeMotion(address, bytes);
    }
    if (bytes[2] != 0) {
        return malformed("extended command " + hexByte(bytes[3]) + " with command 1 = " + hexByte(bytes[2]) +
                         ": expected command 1 = 00");
    }
    Result<Command> command = fromExtended(ExtendedBytes{bytes[3], bytes[4], bytes[5]});
    if (!command) {
        return malformed(command.error().message);
    }
    return Message{address, std::move(command).value()};
}

std::string hexText(std::span<const uint8_t> bytes)
{
    std::string text;
    for (uint8_t byte : bytes) {
        text += (text.empty() ? "" : " ") + hexByte(byte);
    }
    return text;
}

std::string_view protocolName(Protocol protocol) noexcept
{
    return protocol == Protocol::D ? "Pelco-D" : "Pelco-P";
}

Result<Frame> encode(Protocol protocol, int address, const Command& command)
{
    return protocol == Protocol::D ? encodeD(address, command) : encodeP(address, command);
}

Result<Message> decode(Protocol protocol, std::span<const uint8_t> bytes)
{
    return protocol == Protocol::D ? decodeD(bytes) : decodeP(bytes);
}

} // namespace ccoc::pelco
