// The serial line over real ptys made by socat: frames written on one end arrive byte for byte
// on the other (both ways), a pty that vanishes while a read waits is reported as Closed within
// the timeout, and bad baud rates and paths are errors with words.
#include <catch2/catch.hpp>

#include "frame_reader.hpp"
#include "serial_line.hpp"
#include "socat_process.hpp"

#include <signal.h>

#include <chrono>
#include <thread>
#include <vector>

using namespace ccoc::pelco;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

std::unique_ptr<SerialLine> openLine(const std::string& path, int baud = 9600)
{
    Result<std::unique_ptr<SerialLine>> line = SerialLine::open(path, baud);
    INFO(path << ": " << (line.ok() ? std::string("ok") : line.error().message));
    REQUIRE(line.ok());
    return std::move(line).value();
}

// Reads until `count` bytes came or `timeout` passed.
std::vector<uint8_t> readBytes(ByteLine& line, size_t count, std::chrono::milliseconds timeout)
{
    std::vector<uint8_t> bytes;
    const auto deadline = Clock::now() + timeout;
    std::array<uint8_t, 64> buffer{};
    while (bytes.size() < count && Clock::now() < deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        Result<size_t> read = line.readSome(buffer, left);
        INFO(line.describe() << ": " << (read.ok() ? std::string("ok") : read.error().message));
        REQUIRE(read.ok());
        bytes.insert(bytes.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(read.value()));
    }
    return bytes;
}

std::vector<uint8_t> frameBytes(Protocol protocol, int address, const Command& command)
{
    const Result<Frame> frame = encode(protocol, address, command);
    REQUIRE(frame.ok());
    return {frame.value().bytes().begin(), frame.value().bytes().end()};
}

} // namespace

TEST_CASE("pelco/serial_pty_frames_arrive: D and P frames cross a pty pair byte for byte, both ways")
{
    const auto socat = ccoc::test::SocatProcess::ptyPair();
    const auto controller = openLine(socat->pty(0), 2400);
    const auto camera = openLine(socat->pty(1), 2400);
    CHECK(controller->describe() == "serial " + socat->pty(0) + " at 2400 8N1");

    // Every byte value a frame can hold, XON/XOFF (11, 13) and CR/LF included: raw mode must
    // neither eat nor translate them.
    std::vector<uint8_t> sent;
    Motion right;
    right.pan = Pan::Right;
    right.panSpeed = 0x20;
    for (const std::vector<uint8_t>& frame :
         {frameBytes(Protocol::D, 1, Motion{}), frameBytes(Protocol::D, 1, right),
          frameBytes(Protocol::D, 1, Preset{PresetAction::GoTo, 1}), frameBytes(Protocol::D, 0x11, Aux{true, 2}),
          frameBytes(Protocol::D, 0x13, Preset{PresetAction::Set, 0x0D}),
          frameBytes(Protocol::D, 0x0A, Preset{PresetAction::Set, 0xFF})}) {
        REQUIRE(controller->writeAll(frame, 1000ms).ok());
        sent.insert(sent.end(), frame.begin(), frame.end());
    }
    const std::vector<uint8_t> received = readBytes(*camera, sent.size(), 3000ms);
    CHECK(hexText(received) == hexText(sent));
    FrameReader reader(Protocol::D);
    const std::vector<Message> messages = reader.feed(received);
    REQUIRE(messages.size() == 6);
    CHECK(messages[2] == Message{1, Preset{PresetAction::GoTo, 1}});

    // The answer to a position query, back from the camera's end.
    const std::vector<uint8_t> answer = frameBytes(Protocol::D, 1, PositionReport{Axis::Pan, 9000});
    REQUIRE(camera->writeAll(answer, 1000ms).ok());
    CHECK(hexText(readBytes(*controller, answer.size(), 3000ms)) == hexText(answer));

    // Pelco-P over the same kind of line.
    const std::vector<uint8_t> pStop = frameBytes(Protocol::P, 1, Motion{});
    REQUIRE(controller->writeAll(pStop, 1000ms).ok());
    CHECK(hexText(readBytes(*camera, pStop.size(), 3000ms)) == "A0 00 00 00 00 00 AF 0F");
}

TEST_CASE("pelco/serial_read_times_out_quietly: no bytes within the timeout is 0, not an error")
{
    const auto socat = ccoc::test::SocatProcess::ptyPair();
    const auto line = openLine(socat->pty(0));
    std::array<uint8_t, 16> buffer{};
    const auto start = Clock::now();
    Result<size_t> read = line->readSome(buffer, 150ms);
    const auto waited = Clock::now() - start;
    REQUIRE(read.ok());
    CHECK(read.value() == 0);
    CHECK(waited >= 140ms);
    CHECK(waited < 2000ms);
}

TEST_CASE("pelco/serial_pty_vanished: the device going away during a read is Closed within the timeout")
{
    const auto socat = ccoc::test::SocatProcess::ptyPair();
    const auto line = openLine(socat->pty(0));
    const pid_t socatPid = socat->process().pid();
    // Kill socat while the read below waits: its ptys close, as when a USB adapter is pulled.
    std::thread killer([socatPid] {
        std::this_thread::sleep_for(200ms);
        ::kill(socatPid, SIGKILL);
    });
    std::array<uint8_t, 16> buffer{};
    const auto start = Clock::now();
    Result<size_t> read = line->readSome(buffer, 5000ms);
    const auto waited = Clock::now() - start;
    killer.join();
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().kind == ErrorKind::Closed);
    CHECK_THAT(read.error().message, Catch::Contains(socat->pty(0)) && Catch::Contains("went away"));
    CHECK(waited < 4000ms); // well before the read's own timeout: the hang-up woke it

    // Writing to it is an error too, at once, not a hang.
    const auto writeStart = Clock::now();
    Status written = line->writeAll(std::vector<uint8_t>{0xFF, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01}, 2000ms);
    REQUIRE_FALSE(written.ok());
    CHECK(written.error().kind == ErrorKind::Closed);
    CHECK(Clock::now() - writeStart < 1000ms);
}

TEST_CASE("pelco/serial_bad_settings: unsupported baud rates, missing ports and non-terminals are errors in words")
{
    const auto socat = ccoc::test::SocatProcess::ptyPair();
    Result<std::unique_ptr<SerialLine>> slow = SerialLine::open(socat->pty(0), 1200);
    REQUIRE_FALSE(slow.ok());
    CHECK(slow.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(slow.error().message, Catch::Contains("1200") && Catch::Contains("2400, 4800, 9600 or 19200"));
    for (int baud : {2400, 4800, 9600, 19200}) {
        CHECK(SerialLine::open(socat->pty(0), baud).ok());
    }

    Result<std::unique_ptr<SerialLine>> missing = SerialLine::open("/dev/ttyNOSUCHPORT", 9600);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().kind == ErrorKind::Io);
    CHECK_THAT(missing.error().message, Catch::Contains("/dev/ttyNOSUCHPORT") && Catch::Contains("No such file"));

    Result<std::unique_ptr<SerialLine>> notTty = SerialLine::open("/dev/null", 9600);
    REQUIRE_FALSE(notTty.ok());
    CHECK_THAT(notTty.error().message, Catch::Contains("not a serial port"));
}
