// The frame reader on hostile streams, fed one byte at a time: junk before and between frames,
// frames split anywhere, bad checksums (counted, then the next frame is still found), a real
// frame starting inside a corrupt one, and random noise (never throws, every byte accounted for).
#include <catch2/catch.hpp>

#include "frame_reader.hpp"

#include <random>
#include <vector>

using namespace ccoc::pelco;

namespace {

std::vector<uint8_t> frameBytes(Protocol protocol, int address, const Command& command)
{
    const Result<Frame> frame = encode(protocol, address, command);
    REQUIRE(frame.ok());
    return {frame.value().bytes().begin(), frame.value().bytes().end()};
}

void append(std::vector<uint8_t>& stream, const std::vector<uint8_t>& bytes)
{
    stream.insert(stream.end(), bytes.begin(), bytes.end());
}

// Feeds `stream` one byte at a time, as a slow serial line delivers it.
std::vector<Message> feedByteByByte(FrameReader& reader, const std::vector<uint8_t>& stream)
{
    std::vector<Message> messages;
    for (uint8_t byte : stream) {
        for (Message& message : reader.feed(std::span<const uint8_t>(&byte, 1))) {
            messages.push_back(std::move(message));
        }
    }
    return messages;
}

Motion panRight(int speed)
{
    Motion motion;
    motion.pan = Pan::Right;
    motion.panSpeed = speed;
    return motion;
}

} // namespace

TEST_CASE("pelco/reader_d_junk_and_split: frames are found among junk, byte by byte")
{
    std::vector<uint8_t> stream{0x00, 0x13, 0x37}; // line noise before the first frame
    append(stream, frameBytes(Protocol::D, 1, Motion{}));
    append(stream, {0x55, 0xAA});
    append(stream, frameBytes(Protocol::D, 1, panRight(0x20)));
    append(stream, frameBytes(Protocol::D, 3, Preset{PresetAction::GoTo, 1}));
    FrameReader reader(Protocol::D);
    const std::vector<Message> messages = feedByteByByte(reader, stream);
    REQUIRE(messages.size() == 3);
    CHECK(messages[0] == Message{1, Motion{}});
    CHECK(messages[1] == Message{1, panRight(0x20)});
    CHECK(messages[2] == Message{3, Preset{PresetAction::GoTo, 1}});
    CHECK(reader.counters() == ReaderCounters{.frames = 3, .discardedBytes = 5});
    CHECK(reader.pending() == 0);
}

TEST_CASE("pelco/reader_d_bad_checksum: counted, and the frame after it is still read")
{
    std::vector<uint8_t> corrupt = frameBytes(Protocol::D, 1, panRight(0x20));
    corrupt[4] = 0x21; // a bit flipped on the wire: the checksum no longer fits
    std::vector<uint8_t> stream = corrupt;
    append(stream, frameBytes(Protocol::D, 1, Motion{}));
    FrameReader reader(Protocol::D);
    const std::vector<Message> messages = feedByteByByte(reader, stream);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0] == Message{1, Motion{}});
    CHECK(reader.counters().badChecksums == 1);
    CHECK(reader.counters().discardedBytes == 7);
    CHECK_THAT(reader.lastProblem(), Catch::Contains("bad checksum") && Catch::Contains("FF 01 00 02 21 00 23"));
}

TEST_CASE("pelco/reader_d_frame_inside_truncated_frame: a frame cut short does not swallow the next one")
{
    // The first frame lost its last three bytes; the next frame starts where they should be. The
    // reader takes FF 01 00 02 + FF 01 00 as a candidate, fails its checksum, drops the first FF
    // and finds the real frame at the second.
    std::vector<uint8_t> stream = frameBytes(Protocol::D, 1, panRight(0x20));
    stream.resize(4);
    append(stream, frameBytes(Protocol::D, 2, Preset{PresetAction::Set, 7}));
    FrameReader reader(Protocol::D);
    const std::vector<Message> messages = feedByteByByte(reader, stream);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0] == Message{2, Preset{PresetAction::Set, 7}});
    CHECK(reader.counters().badChecksums == 1);
    CHECK(reader.counters().discardedBytes == 4);
}

TEST_CASE("pelco/reader_d_unsupported_frame: a well-formed frame it cannot express is counted, not junk")
{
    std::vector<uint8_t> stream{0xFF, 0x01, 0x88, 0x00, 0x00, 0x00, 0x89}; // camera on + sense
    append(stream, frameBytes(Protocol::D, 1, Motion{}));
    FrameReader reader(Protocol::D);
    const std::vector<Message> messages = feedByteByByte(reader, stream);
    REQUIRE(messages.size() == 1);
    CHECK(reader.counters().unsupported == 1);
    CHECK(reader.counters().discardedBytes == 0);
    CHECK_THAT(reader.lastProblem(), Catch::Contains("not supported"));
}

TEST_CASE("pelco/reader_d_position_response: the answers to position queries are read")
{
    std::vector<uint8_t> stream = frameBytes(Protocol::D, 1, PositionReport{Axis::Pan, 9000});
    append(stream, frameBytes(Protocol::D, 1, PositionReport{Axis::Zoom, 0x0FFF}));
    FrameReader reader(Protocol::D);
    const std::vector<Message> messages = reader.feed(stream); // all at once this time
    REQUIRE(messages.size() == 2);
    CHECK(messages[0] == Message{1, PositionReport{Axis::Pan, 9000}});
    CHECK(messages[1] == Message{1, PositionReport{Axis::Zoom, 0x0FFF}});
}

TEST_CASE("pelco/reader_p_junk_etx_and_checksum: resynchronises on STX, counts framing and checksum errors")
{
    std::vector<uint8_t> stream{0xAF, 0x00};
    std::vector<uint8_t> noEtx = frameBytes(Protocol::P, 1, Motion{});
    noEtx[6] = 0x00;
    append(stream, noEtx);
    std::vector<uint8_t> badSum = frameBytes(Protocol::P, 1, Motion{});
    badSum[7] ^= 0x01;
    append(stream, badSum);
    Motion right;
    right.pan = Pan::Right;
    right.panSpeed = 0x20;
    append(stream, frameBytes(Protocol::P, 1, right));
    append(stream, frameBytes(Protocol::P, 32, Preset{PresetAction::GoTo, 1}));
    FrameReader reader(Protocol::P);
    const std::vector<Message> messages = feedByteByByte(reader, stream);
    REQUIRE(messages.size() == 2);
    CHECK(messages[0] == Message{1, right});
    CHECK(messages[1] == Message{32, Preset{PresetAction::GoTo, 1}});
    CHECK(reader.counters().badFraming == 1);
    CHECK(reader.counters().badChecksums == 1);
    CHECK(reader.counters().discardedBytes == 2 + 8 + 8);
}

TEST_CASE("pelco/reader_random_noise: never throws, accounts for every byte, finds frames after it")
{
    for (Protocol protocol : {Protocol::D, Protocol::P}) {
        std::mt19937 random(12345);
        std::uniform_int_distribution<int> byteValue(0, 255);
        std::vector<uint8_t> stream;
        for (int i = 0; i < 20000; ++i) {
            stream.push_back(static_cast<uint8_t>(byteValue(random)));
        }
        // Enough bytes after the noise to flush a candidate that began in it.
        append(stream, std::vector<uint8_t>(frameSize(protocol), 0x00));
        const std::vector<uint8_t> stop = frameBytes(protocol, 1, Motion{});
        append(stream, stop);
        FrameReader reader(protocol);
        std::vector<Message> messages;
        REQUIRE_NOTHROW(messages = feedByteByByte(reader, stream));
        REQUIRE_FALSE(messages.empty());
        CHECK(messages.back() == Message{1, Motion{}});
        const ReaderCounters& counters = reader.counters();
        const uint64_t framed = (counters.frames - counters.generalResponses + counters.unsupported) * frameSize(protocol) +
                                counters.generalResponses * kGeneralResponseSizeD;
        CHECK(framed + counters.discardedBytes + reader.pending() == stream.size());
    }
}

TEST_CASE("pelco/reader_d_general_response: 4-byte answers between frames are read, the last one when the line goes quiet")
{
    std::vector<uint8_t> stream = frameBytes(Protocol::D, 1, GeneralResponse{0x00}); // FF 01 00 01
    append(stream, frameBytes(Protocol::D, 1, PositionReport{Axis::Pan, 4500}));
    append(stream, frameBytes(Protocol::D, 2, GeneralResponse{0x05}));
    FrameReader reader(Protocol::D);
    std::vector<Message> messages = feedByteByByte(reader, stream);
    REQUIRE(messages.size() == 2);
    CHECK(messages[0] == Message{1, GeneralResponse{0x00}});
    CHECK(messages[1] == Message{1, PositionReport{Axis::Pan, 4500}});
    CHECK(reader.pending() == 4); // could still be the start of a 7-byte frame
    messages = reader.idle();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0] == Message{2, GeneralResponse{0x05}});
    CHECK(reader.counters() == ReaderCounters{.frames = 3, .generalResponses = 2});
}

TEST_CASE("pelco/reader_idle_discards_partial: a frame cut off by silence is not glued to the next bytes")
{
    for (Protocol protocol : {Protocol::D, Protocol::P}) {
        const std::vector<uint8_t> stop = frameBytes(protocol, 1, Motion{});
        std::vector<uint8_t> partial(stop.begin(), stop.begin() + 3);
        FrameReader reader(protocol);
        CHECK(reader.feed(partial).empty());
        CHECK(reader.idle().empty());
        CHECK(reader.counters().discardedBytes == 3);
        CHECK_THAT(reader.lastProblem(), Catch::Contains("incomplete frame"));
        const std::vector<Message> messages = reader.feed(stop);
        REQUIRE(messages.size() == 1);
        CHECK(messages[0] == Message{1, Motion{}});
    }
}
