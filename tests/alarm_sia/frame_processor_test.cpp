// The receiver's decisions, without sockets: ACK with alarm events for known accounts, NAK with
// the receiver's time for damaged or stale frames, DUH for what it will not handle, stable
// event ids for retransmissions.
#include <catch2/catch.hpp>

#include "frame_processor.hpp"

#include <nlohmann/json.hpp>

#include <random>

using namespace ccoc::sia;
using Json = nlohmann::json;

namespace {

const int64_t kNowUnix = *parseTimestamp("14:12:04,09-25-2019");
const int64_t kNowUs = kNowUnix * 1000000 + 250000;

FrameProcessor processor()
{
    SiaSettings settings;
    REQUIRE(parseAccounts("1234=panel-bank, aaa=panel-shop", settings.accounts).empty());
    REQUIRE(validate(settings).empty());
    return FrameProcessor(settings);
}

std::string lineOf(const std::string& body)
{
    const std::string frame = encodeFrame(body);
    return frame.substr(1, frame.size() - 2);
}

Outcome run(const std::string& body)
{
    return processor().process(lineOf(body), "192.0.2.7:5001", "tcp", kNowUs);
}

} // namespace

TEST_CASE("alarm_sia/process: an ADM-CID burglary is an alarm event and an ACK")
{
    const Outcome outcome = run(R"("ADM-CID"0042L0#1234[#1234|1130 01 003]_14:12:00,09-25-2019)");
    INFO(outcome.logLine);
    REQUIRE(outcome.answer == Outcome::Answer::Ack);
    CHECK(outcome.reply.substr(9) == "\"ACK\"0042L0#1234[]\r");
    CHECK(outcome.device == "panel-bank");
    REQUIRE(outcome.events.size() == 1);
    CHECK(outcome.events[0].path == "panel-bank/alarm");
    const Json event = Json::parse(outcome.events[0].json);
    CHECK(event["type"] == "intrusion");
    CHECK(event["active"] == true);
    CHECK(event["point"] == "003");
    CHECK(event["code"] == "ADM-CID 1130 01 003");
    CHECK(event["text"] == "Burglary, zone 003, area 01");
    CHECK(event["event_id"] == "sia:1234:0042:14:12:00,09-25-2019");
    CHECK(event["test"] == false);
    CHECK(outcome.eventIds == std::vector<std::string>{"sia:1234:0042:14:12:00,09-25-2019"});
}

TEST_CASE("alarm_sia/process: the published example (closing, lower-case account list) is arming state")
{
    const std::string line = R"(E5D50034"SIA-DCS"6002L0#AAA[|Nri1/CL501]_14:12:04,09-25-2019)";
    const Outcome outcome = processor().process(line, "192.0.2.7:5001", "udp", kNowUs);
    INFO(outcome.logLine);
    REQUIRE(outcome.answer == Outcome::Answer::Ack);
    CHECK(outcome.events.empty());
    REQUIRE(outcome.states.size() == 1);
    CHECK(outcome.states[0].path == "panel-shop/arming/1");
    const Json state = Json::parse(outcome.states[0].json);
    CHECK(state["armed"] == true);
    CHECK(state["user"] == "501");
}

TEST_CASE("alarm_sia/process: a restore is active false, a retransmission gets the same event id")
{
    const std::string body = R"("SIA-DCS"0007R1L0#1234[#1234|Nri1/BR003])";
    const Outcome first = run(body);
    const Outcome again = run(body);
    REQUIRE(first.answer == Outcome::Answer::Ack);
    CHECK(first.reply.substr(9) == "\"ACK\"0007R1L0#1234[]\r");
    const Json event = Json::parse(first.events.at(0).json);
    CHECK(event["active"] == false);
    CHECK(event["type"] == "intrusion");
    // No timestamp: the data and the day make the id.
    CHECK(event["event_id"] == "sia:1234:0007:#1234|Nri1/BR003:2019-09-25");
    CHECK(again.eventIds == first.eventIds);
    CHECK(run(R"("SIA-DCS"0008R1L0#1234[#1234|Nri1/BR003])").eventIds != first.eventIds);
}

TEST_CASE("alarm_sia/process: damaged and stale frames get a NAK with the receiver's time")
{
    std::string line = lineOf(R"("ADM-CID"0042L0#1234[#1234|1130 01 003])");
    line[0] = line[0] == '0' ? '1' : '0';
    Outcome outcome = processor().process(line, "192.0.2.7:5001", "tcp", kNowUs);
    CHECK(outcome.answer == Outcome::Answer::Nak);
    CHECK(outcome.problem == FrameProblem::Crc);
    CHECK(outcome.reply.substr(9) == "\"NAK\"0000R0L0A0[]_14:12:04,09-25-2019\r");
    CHECK_THAT(outcome.logLine, Catch::Contains("192.0.2.7:5001") && Catch::Contains("CRC mismatch"));
    CHECK(outcome.events.empty());

    outcome = run(R"("ADM-CID"0042L0#1234[#1234|1130 01 003]_14:10:00,09-25-2019)");
    CHECK(outcome.answer == Outcome::Answer::Nak);
    CHECK(outcome.problem == FrameProblem::StaleTimestamp);
    CHECK(outcome.events.empty());
}

TEST_CASE("alarm_sia/process: unknown accounts, ids, encrypted frames and bad data get a DUH")
{
    Outcome outcome = run(R"("ADM-CID"0042L0#9999[#9999|1130 01 003])");
    CHECK(outcome.answer == Outcome::Answer::Duh);
    CHECK(outcome.accountRefused);
    CHECK(outcome.reply.substr(9) == "\"DUH\"0042L0#9999[]\r");
    CHECK_THAT(outcome.logLine, Catch::Contains("account 9999") && Catch::Contains("allow-list"));
    CHECK(outcome.events.empty());

    CHECK(run(R"("FOO-BAR"0042L0#1234[x])").answer == Outcome::Answer::Duh);
    outcome = run(R"("*ADM-CID"0042L0#1234[0123456789ABCDEF0123456789ABCDEF])");
    CHECK(outcome.answer == Outcome::Answer::Duh);
    CHECK(outcome.problem == FrameProblem::Encrypted);
    CHECK(outcome.reply.substr(9) == "\"DUH\"0042L0#1234[]\r");
    CHECK_THAT(outcome.logLine, Catch::Contains("account 1234, which has no AES key configured here"));
    outcome = run(R"("ADM-CID"0042L0#1234[#1234|9130 01 003])");
    CHECK(outcome.answer == Outcome::Answer::Duh);
    CHECK(outcome.events.empty());
}

TEST_CASE("alarm_sia/process: NULL supervision is acknowledged without an alarm")
{
    const Outcome outcome = run(R"("NULL"0000R0L0#1234[])");
    CHECK(outcome.answer == Outcome::Answer::Ack);
    CHECK(outcome.reply.substr(9) == "\"ACK\"0000R0L0#1234[]\r");
    CHECK(outcome.events.empty());
    CHECK(outcome.device == "panel-bank");
}

TEST_CASE("alarm_sia/settings: the accounts list and the checks name what is wrong")
{
    std::map<std::string, std::string> accounts;
    CHECK(parseAccounts("1234=panel-bank,AAA=panel-shop", accounts).empty());
    CHECK(accounts.at("AAA") == "panel-shop");
    accounts.clear();
    CHECK_THAT(parseAccounts("1234", accounts), Catch::Contains("no '=DEVICE'"));
    CHECK_THAT(parseAccounts("XYZ=a", accounts), Catch::Contains("not 1-16 hex digits"));
    CHECK_THAT(parseAccounts("12=bad/id", accounts), Catch::Contains("not a device id"));
    accounts.clear();
    CHECK_THAT(parseAccounts("12=a,12=b", accounts), Catch::Contains("listed twice"));
    SiaSettings settings;
    REQUIRE(validate(settings).size() == 1);
    CHECK_THAT(validate(settings)[0], Catch::Contains("accounts: empty"));
}

TEST_CASE("alarm_sia/process: mutated data blocks of allowed accounts always get an answer, never crash")
{
    const FrameProcessor receiver = processor();
    std::mt19937 random(777); // fixed seed: the same cases every run
    const std::vector<std::string> bodies = {R"("ADM-CID"0042L0#1234[#1234|1130 01 003])",
                                             R"("SIA-DCS"0043L0#1234[#1234|Nri1/BA003/ti10:00/PA002])"};
    for (int i = 0; i < 10000; ++i) {
        std::string body = bodies[static_cast<size_t>(i) % bodies.size()];
        const size_t open = body.find('[') + 1;
        const size_t at = open + random() % (body.size() - open - 1);
        body[at] = static_cast<char>(0x20 + random() % 0x5F);
        const Outcome outcome = receiver.process(lineOf(body), "192.0.2.7:5001", "tcp", kNowUs);
        REQUIRE_FALSE(outcome.reply.empty());
        if (outcome.answer != Outcome::Answer::Ack) {
            CHECK(outcome.events.empty());
            CHECK_FALSE(outcome.logLine.empty());
        }
        for (const auto& event : outcome.events) {
            CHECK_NOTHROW(Json::parse(event.json));
        }
    }
}
