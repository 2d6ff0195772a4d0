// Pelco-P frames (see pelco_frame.hpp for the layout).
#include "extended_command.hpp"
#include "pelco_frame.hpp"

namespace ccoc::pelco {

namespace {

// data 1
constexpr uint8_t kFocusFar = 0x01;
constexpr uint8_t kFocusNear = 0x02;
constexpr uint8_t kIrisOpen = 0x04;
constexpr uint8_t kIrisClose = 0x08;
constexpr uint8_t kDrivenData1 = kFocusFar | kFocusNear | kIrisOpen | kIrisClose;
// data 2
constexpr uint8_t kExtended = 0x01;
constexpr uint8_t kPanRight = 0x02;
constexpr uint8_t kPanLeft = 0x04;
constexpr uint8_t kTiltUp = 0x08;
constexpr uint8_t kTiltDown = 0x10;
constexpr uint8_t kZoomTele = 0x20;
constexpr uint8_t kZoomWide = 0x40;
constexpr uint8_t kDrivenData2 = 0x7F;
// data 3
constexpr uint8_t kTurbo = 0x40;

Frame makeFrame(uint8_t wireAddress, uint8_t data1, uint8_t data2, uint8_t data3, uint8_t data4)
{
    Frame frame;
    frame.storage = {kStxP, wireAddress, data1, data2, data3, data4, kEtxP, 0};
    frame.size = kFrameSizeP;
    frame.storage[7] = checksumP(frame.bytes());
    return frame;
}

Frame motionFrame(uint8_t wireAddress, const Motion& motion)
{
    uint8_t data1 = 0;
    uint8_t data2 = 0;
    data1 |= motion.focus == Focus::Far ? kFocusFar : motion.focus == Focus::Near ? kFocusNear : 0;
    data1 |= motion.iris == Iris::Open ? kIrisOpen : motion.iris == Iris::Close ? kIrisClose : 0;
    data2 |= motion.pan == Pan::Right ? kPanRight : motion.pan == Pan::Left ? kPanLeft : 0;
    data2 |= motion.tilt == Tilt::Up ? kTiltUp : motion.tilt == Tilt::Down ? kTiltDown : 0;
    data2 |= motion.zoom == Zoom::Tele ? kZoomTele : motion.zoom == Zoom::Wide ? kZoomWide : 0;
    const uint8_t panData = motion.panTurbo ? kTurbo : static_cast<uint8_t>(motion.panSpeed);
    return makeFrame(wireAddress, data1, data2, panData, static_cast<uint8_t>(motion.tiltSpeed));
}

Result<Message> malformed(const std::string& what)
{
    return makeError(ErrorKind::Malformed, "Pelco-P frame: " + what);
}

bool both(uint8_t bits, uint8_t first, uint8_t second)
{
    return (bits & first) != 0 && (bits & second) != 0;
}

Result<Message> decodeMotion(int address, std::span<const uint8_t> bytes)
{
    const uint8_t data1 = bytes[2];
    const uint8_t data2 = bytes[3];
    if ((data1 & ~kDrivenData1) != 0) {
        return malformed("data 1 is " + hexByte(data1) +
                         ": camera on, auto scan and camera on/off (bits 4-7) are not supported; expected only "
                         "the focus and iris bits (0-3)");
    }
    if ((data2 & ~kDrivenData2) != 0) {
        return malformed("data 2 is " + hexByte(data2) + ": bit 7 must be 0");
    }
    if (both(data2, kPanLeft, kPanRight) || both(data2, kTiltUp, kTiltDown) || both(data2, kZoomTele, kZoomWide) ||
        both(data1, kFocusFar, kFocusNear) || both(data1, kIrisOpen, kIrisClose)) {
        return malformed("data " + hexByte(data1) + " " + hexByte(data2) + " ask for two opposite motions at once");
    }
    Motion motion;
    motion.pan = (data2 & kPanRight) != 0 ? Pan::Right : (data2 & kPanLeft) != 0 ? Pan::Left : Pan::None;
    motion.tilt = (data2 & kTiltUp) != 0 ? Tilt::Up : (data2 & kTiltDown) != 0 ? Tilt::Down : Tilt::None;
    motion.zoom = (data2 & kZoomTele) != 0 ? Zoom::Tele : (data2 & kZoomWide) != 0 ? Zoom::Wide : Zoom::None;
    motion.focus = (data1 & kFocusFar) != 0 ? Focus::Far : (data1 & kFocusNear) != 0 ? Focus::Near : Focus::None;
    motion.iris = (data1 & kIrisOpen) != 0 ? Iris::Open : (data1 & kIrisClose) != 0 ? Iris::Close : Iris::None;
    if (bytes[4] == kTurbo) {
        motion.panTurbo = true;
    } else {
        motion.panSpeed = bytes[4];
    }
    motion.tiltSpeed = bytes[5];
    if (motion.panSpeed > kMaxSpeed) {
        return malformed("pan speed (byte 5) is " + hexByte(bytes[4]) + ": expected 00 to 3F, or 40 for turbo");
    }
    if (motion.tiltSpeed > kMaxSpeed) {
        return malformed("tilt speed (byte 6) is " + hexByte(bytes[5]) + ": expected 00 to 3F");
    }
    return Message{address, motion};
}

} // namespace

uint8_t checksumP(std::span<const uint8_t> frame) noexcept
{
    uint8_t sum = 0;
    for (size_t i = 0; i < kFrameSizeP - 1; ++i) {
        sum ^= frame[i];
    }
    return sum;
}

Result<Frame> encodeP(int address, const Command& command)
{
    if (address < kMinAddressP || address > kMaxAddressP) {
        return makeError(ErrorKind::InvalidArgument, "Pelco-P address " + std::to_string(address) +
                                                         " is out of range: expected 1 to 32 (sent as 00 to 1F)");
    }
    if (std::string problem = validate(command); !problem.empty()) {
        return makeError(ErrorKind::InvalidArgument, problem);
    }
    if (std::holds_alternative<GeneralResponse>(command)) {
        return makeError(ErrorKind::InvalidArgument, "Pelco-P has no general response (it is a Pelco-D frame)");
    }
    const auto wireAddress = static_cast<uint8_t>(address - 1);
    if (std::optional<ExtendedBytes> extended = toExtended(command)) {
        return makeFrame(wireAddress, 0, extended->code, extended->high, extended->low);
    }
    return motionFrame(wireAddress, std::get<Motion>(command));
}

Result<Message> decodeP(std::span<const uint8_t> bytes)
{
    if (bytes.size() != kFrameSizeP) {
        return malformed(std::to_string(bytes.size()) + " bytes: expected 8");
    }
    if (bytes[0] != kStxP) {
        return malformed("byte 1 is " + hexByte(bytes[0]) + ": expected STX A0");
    }
    if (bytes[6] != kEtxP) {
        return malformed("byte 7 is " + hexByte(bytes[6]) + ": expected ETX AF");
    }
    if (const uint8_t expected = checksumP(bytes); bytes[7] != expected) {
        return malformed("checksum (byte 8) is " + hexByte(bytes[7]) + ": expected " + hexByte(expected) +
                         ", the XOR of bytes 1-7");
    }
    if (bytes[1] > kMaxAddressP - 1) {
        return malformed("address (byte 2) is " + hexByte(bytes[1]) + ": expected 00 to 1F (cameras 1 to 32)");
    }
    const int address = bytes[1] + 1;
    if ((bytes[3] & kExtended) == 0) {
        return decodeMotion(address, bytes);
    }
    if (bytes[2] != 0) {
        return malformed("extended command " + hexByte(bytes[3]) + " with data 1 = " + hexByte(bytes[2]) +
                         ": expected data 1 = 00");
    }
    Result<Command> command = fromExtended(ExtendedBytes{bytes[3], bytes[4], bytes[5]});
    if (!command) {
        return malformed(command.error().message);
    }
    return Message{address, std::move(command).value()};
}

} // namespace ccoc::pelco
