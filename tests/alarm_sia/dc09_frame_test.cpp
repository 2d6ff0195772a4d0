// The DC-09 frame parser and encoder: the published CRC vector, length and CRC errors, the time
// window, answers with their own CRC and length, and splitting a byte stream into frames.
#include <catch2/catch.hpp>

#include "dc09_frame.hpp"

#include <random>

using namespace ccoc::sia;

namespace {

// 2019-09-25 14:12:04 UTC, the published example's time.
const int64_t kExampleTime = *parseTimestamp("14:12:04,09-25-2019");

// The frame line (no LF/CR) of a body with a correct CRC and length.
std::string lineOf(const std::string& body)
{
    const std::string frame = encodeFrame(body);
    return frame.substr(1, frame.size() - 2);
}

} // namespace

TEST_CASE("alarm_sia/crc: the published DC-09 vector gives E5D5")
{
    CHECK(crc16Arc(R"("SIA-DCS"6002L0#AAA[|Nri1/CL501]_14:12:04,09-25-2019)") == 0xE5D5);
    CHECK(crc16Arc("") == 0x0000);
    CHECK(crc16Arc("123456789") == 0xBB3D); // the CRC-16/ARC check value
}

TEST_CASE("alarm_sia/parse: the published example frame parses with all its fields")
{
    const std::string body = R"("SIA-DCS"6002L0#AAA[|Nri1/CL501]_14:12:04,09-25-2019)";
    const FrameParse parse = parseFrame("E5D50034" + body, {kExampleTime, 20, 40});
    INFO(parse.detail);
    REQUIRE(parse.problem == FrameProblem::None);
    CHECK(parse.frame.id == "SIA-DCS");
    CHECK_FALSE(parse.frame.encrypted);
    CHECK(parse.frame.seq == "6002");
    CHECK(parse.frame.receiver.empty());
    CHECK(parse.frame.prefix == "0");
    CHECK(parse.frame.account == "AAA");
    CHECK(parse.frame.data == "|Nri1/CL501");
    CHECK(parse.frame.timestampText == "14:12:04,09-25-2019");
    CHECK(encodeFrame(body) == "\nE5D50034" + body + "\r");
}

TEST_CASE("alarm_sia/parse: receiver number, account in the data, extended data blocks")
{
    const FrameParse parse = parseFrame(lineOf(R"("ADM-CID"0042R1AL2#1234[#1234|1130 01 003][XNET1][Vsomething])"), {});
    INFO(parse.detail);
    REQUIRE(parse.problem == FrameProblem::None);
    CHECK(parse.frame.receiver == "1A");
    CHECK(parse.frame.prefix == "2");
    CHECK(parse.frame.account == "1234");
    CHECK(parse.frame.data == "#1234|1130 01 003");
    CHECK(parse.frame.extended == std::vector<std::string>{"XNET1", "Vsomething"});
    CHECK_FALSE(parse.frame.timestampUnix.has_value());
}

TEST_CASE("alarm_sia/parse: a CRC mismatch says what was expected and what came")
{
    const FrameParse parse = parseFrame(R"(E5D60034"SIA-DCS"6002L0#AAA[|Nri1/CL501]_14:12:04,09-25-2019)", {kExampleTime});
    CHECK(parse.problem == FrameProblem::Crc);
    CHECK_THAT(parse.detail, Catch::Contains("expected E5D5 got E5D6"));
}

TEST_CASE("alarm_sia/parse: length errors and a broken header are refused with the numbers")
{
    const std::string body = R"("NULL"0000L0#1234[])";
    std::string line = lineOf(body);
    line[7] = line[7] == 'F' ? 'E' : static_cast<char>(line[7] + 1); // one more than the body has
    FrameParse parse = parseFrame(line, {});
    CHECK(parse.problem == FrameProblem::Length);
    CHECK_THAT(parse.detail, Catch::Contains("the body has " + std::to_string(body.size())));

    parse = parseFrame(lineOf(body).substr(0, 20), {}); // truncated in transit
    CHECK(parse.problem == FrameProblem::Length);

    parse = parseFrame("12", {});
    CHECK(parse.problem == FrameProblem::Framing);
    parse = parseFrame("ZZZZ0010\"NULL\"0000L0#1[]", {});
    CHECK(parse.problem == FrameProblem::Framing);
    CHECK_THAT(parse.detail, Catch::Contains("not 4 hex digits"));
    parse = parseFrame("00001010\"NULL\"0000L0#1[]", {});
    CHECK(parse.problem == FrameProblem::Framing);
    CHECK_THAT(parse.detail, Catch::Contains("'0' followed by 3 hex digits"));
}

TEST_CASE("alarm_sia/parse: timestamps outside +20/-40 s are stale, inside pass, malformed are refused")
{
    const std::string body = R"("SIA-DCS"0001L0#1234[#1234|NBA003]_14:12:04,09-25-2019)";
    CHECK(parseFrame(lineOf(body), {kExampleTime + 40, 20, 40}).problem == FrameProblem::None);
    CHECK(parseFrame(lineOf(body), {kExampleTime - 20, 20, 40}).problem == FrameProblem::None);
    const FrameParse late = parseFrame(lineOf(body), {kExampleTime + 41, 20, 40});
    CHECK(late.problem == FrameProblem::StaleTimestamp);
    CHECK_THAT(late.detail, Catch::Contains("41 s behind"));
    CHECK(parseFrame(lineOf(body), {kExampleTime - 21, 20, 40}).problem == FrameProblem::StaleTimestamp);
    // A configured window.
    CHECK(parseFrame(lineOf(body), {kExampleTime + 100, 20, 120}).problem == FrameProblem::None);

    const FrameParse bad = parseFrame(lineOf(R"("SIA-DCS"0001L0#1234[#1234|NBA003]_25:12:04,09-25-2019)"), {kExampleTime});
    CHECK(bad.problem == FrameProblem::BadTimestamp);
    CHECK(parseTimestamp("14:12:04,02-29-2019") == std::nullopt);
    CHECK(parseTimestamp("14:12:04,02-29-2020").has_value());
    CHECK(formatTimestamp(kExampleTime) == "14:12:04,09-25-2019");
    CHECK(formatTimestamp(0) == "00:00:00,01-01-1970");
}

TEST_CASE("alarm_sia/parse: unknown ids, encrypted frames and bad headers are told apart")
{
    FrameParse parse = parseFrame(lineOf(R"("XYZ-ABC"0001L0#1234[x])"), {});
    CHECK(parse.problem == FrameProblem::UnknownId);
    CHECK(parse.headerParsed);

    // An encrypted frame is read up to its '['; the rest waits for the account's key.
    parse = parseFrame(lineOf(R"("*SIA-DCS"0001R1L0#1234[8A7F6E5D4C3B2A198A7F6E5D4C3B2A19)"), {});
    CHECK(parse.problem == FrameProblem::None);
    CHECK(parse.frame.encrypted);
    CHECK(parse.frame.id == "SIA-DCS");
    CHECK(parse.frame.cipherHex == "8A7F6E5D4C3B2A198A7F6E5D4C3B2A19");
    CHECK(parse.frame.data.empty());
    CHECK(parse.frame.seq == "0001");
    CHECK(parse.frame.account == "1234");

    parse = parseFrame(lineOf(R"("SIA-DCS"01L0#1234[NBA1])"), {});
    CHECK(parse.problem == FrameProblem::Syntax);
    CHECK_THAT(parse.detail, Catch::Contains("4-digit sequence"));
    parse = parseFrame(lineOf(R"("SIA-DCS"0001L0[NBA1])"), {});
    CHECK(parse.problem == FrameProblem::Syntax);
    CHECK_THAT(parse.detail, Catch::Contains("'#'"));
    parse = parseFrame(lineOf(R"("SIA-DCS"0001L0#1234[NBA1)"), {});
    CHECK(parse.problem == FrameProblem::Syntax);
    parse = parseFrame(lineOf(R"("SIA-DCS"0001L0#1234[NBA1]junk)"), {});
    CHECK(parse.problem == FrameProblem::Syntax);
}

TEST_CASE("alarm_sia/encode: ACK, DUH and NAK carry their own CRC and length")
{
    const FrameParse parse = parseFrame(lineOf(R"("ADM-CID"0042R5L1#1234[#1234|1130 01 003])"), {});
    REQUIRE(parse.problem == FrameProblem::None);
    const std::string ack = encodeAck(parse.frame);
    CHECK(ack.substr(9) == "\"ACK\"0042R5L1#1234[]\r");
    const FrameParse ackBack = parseFrame(ack.substr(1, ack.size() - 2), {});
    CHECK(ackBack.problem == FrameProblem::UnknownId); // a valid frame (CRC, length) of id ACK
    CHECK(ackBack.frame.seq == "0042");

    CHECK(encodeDuh(parse.frame).substr(9) == "\"DUH\"0042R5L1#1234[]\r");
    const std::string nak = encodeNak("0", "0", kExampleTime);
    CHECK(nak.substr(9) == "\"NAK\"0000R0L0A0[]_14:12:04,09-25-2019\r");
    const std::string body = nak.substr(9, nak.size() - 10);
    char expected[5];
    std::snprintf(expected, sizeof expected, "%04X", crc16Arc(body));
    CHECK(nak.substr(1, 4) == expected);
    CHECK(std::stoi(nak.substr(5, 4), nullptr, 16) == static_cast<int>(body.size()));
}

TEST_CASE("alarm_sia/split: frames from a byte stream, junk before an LF, overlong input")
{
    FrameSplitter splitter(64);
    CHECK(splitter.append("\nAAAA0001\"x\r\nBB"));
    auto first = splitter.next();
    REQUIRE(first);
    CHECK(first->isFrame);
    CHECK(first->line == "AAAA0001\"x");
    CHECK_FALSE(splitter.next()); // "\nBB" is not complete yet
    CHECK(splitter.append("BB0000\rgarbage\r"));
    auto second = splitter.next();
    REQUIRE(second);
    CHECK(second->line == "BBBB0000");
    auto third = splitter.next();
    REQUIRE(third);
    CHECK_FALSE(third->isFrame);
    CHECK_THAT(third->problem, Catch::Contains("no LF"));

    CHECK(splitter.append("junk\nCCCC0000\r"));
    auto fourth = splitter.next();
    REQUIRE(fourth);
    CHECK(fourth->isFrame);
    CHECK(fourth->line == "CCCC0000");
    CHECK_THAT(fourth->problem, Catch::Contains("4 bytes before the frame's LF dropped"));

    CHECK_FALSE(splitter.append(std::string(65, 'x')));

    // A CR early does not let the rest grow without bound.
    FrameSplitter flooded(64);
    CHECK_FALSE(flooded.append("\r" + std::string(65, 'x')));
    FrameSplitter pipelined(64);
    bool accepted = true;
    for (int i = 0; i < 40 && accepted; ++i) {
        accepted = pipelined.append("\n" + std::string(60, 'f') + "\r");
    }
    CHECK_FALSE(accepted); // more than 16 frames' worth waiting
}

TEST_CASE("alarm_sia/parse: mutated and random frames are refused with a reason, never crash")
{
    const std::string valid = lineOf(R"("SIA-DCS"0001R1L0#1234[#1234|Nri1/BA003/BA004][XNET]_14:12:04,09-25-2019)");
    std::mt19937 random(12345); // fixed seed: the same cases every run
    size_t refused = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string line = valid;
        const int edits = 1 + static_cast<int>(random() % 4);
        for (int e = 0; e < edits; ++e) {
            const size_t at = random() % line.size();
            switch (random() % 3) {
            case 0: line[at] = static_cast<char>(random() % 256); break;
            case 1: line.erase(at, 1 + random() % 8); break;
            default: line.insert(at, 1, static_cast<char>(random() % 256)); break;
            }
            if (line.empty()) {
                line = "x";
            }
        }
        if (i % 2 == 0) {
            // Re-frame half of them so the body checks run, not only the CRC.
            line = lineOf(line.size() > 8 ? line.substr(8) : line);
        }
        const FrameParse parse = parseFrame(line, {kExampleTime, 20, 40});
        if (parse.problem != FrameProblem::None) {
            ++refused;
            CHECK_FALSE(parse.detail.empty());
        }
    }
    CHECK(refused > 10000);
}
