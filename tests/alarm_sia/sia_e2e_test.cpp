// The sia driver end to end, with real processes and sockets: a stand-alone broker (ccoc-bus
// broker), ccoc-driverd running sia.so, panels sending DC-09 frames over TCP and UDP, and a bus
// client receiving the alarm events the contract describes (sdk/docs/alarms.md).
#include <catch2/catch.hpp>

#include "sia_test_bus.hpp"

#include "ccoc/bus/client.hpp"

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using ccoc::siatest::checkedBody;
using ccoc::siatest::checkNak;
using ccoc::siatest::EventLog;
using ccoc::siatest::frameOf;
using ccoc::siatest::kBusTool;
using ccoc::siatest::kDriverd;
using ccoc::siatest::kSiaDriver;
using ccoc::siatest::kSite;
using ccoc::siatest::SiaBus;
using ccoc::siatest::TcpPanel;
using ccoc::siatest::UdpPanel;
using ccoc::test::ChildProcess;
using Json = nlohmann::json;

TEST_CASE("alarm_sia/e2e tcp: an alarm is ACKed once on the bus, a retransmission gives one event, restore and NULL")
{
    SiaBus bus;
    TcpPanel panel(bus.port);

    const std::string burglary = frameOf(R"("ADM-CID"0042L0#1234[#1234|1130 01 003])");
    REQUIRE(panel.send(burglary));
    CHECK(checkedBody(panel.answer()) == R"("ACK"0042L0#1234[])");
    auto events = bus.events.waitFor(1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].path == "panel-bank/alarm");
    CHECK(events[0].reliable);
    const Json& alarm = events[0].payload;
    CHECK(alarm["type"] == "intrusion");
    CHECK(alarm["active"] == true);
    CHECK(alarm["point"] == "003");
    CHECK(alarm["code"] == "ADM-CID 1130 01 003");
    CHECK(alarm["text"] == "Burglary, zone 003, area 01");
    const std::string stamp = burglary.substr(burglary.find('_') + 1, 19);
    CHECK(alarm["event_id"] == "sia:1234:0042:" + stamp);

    // The panel lost our ACK and sends the same frame again: ACKed, not a second event. The
    // restore after it arrives next, so nothing came in between.
    REQUIRE(panel.send(burglary));
    CHECK(checkedBody(panel.answer()) == R"("ACK"0042L0#1234[])");
    REQUIRE(panel.send(frameOf(R"("SIA-DCS"0043R1L0#1234[#1234|Nri1/BR003])")));
    CHECK(checkedBody(panel.answer()) == R"("ACK"0043R1L0#1234[])");
    events = bus.events.waitFor(2);
    REQUIRE(events.size() == 2);
    CHECK(events[1].payload["type"] == "intrusion");
    CHECK(events[1].payload["active"] == false);
    CHECK(events[1].payload["code"] == "SIA BR003");
    CHECK(events[1].payload["event_id"] != events[0].payload["event_id"]);

    // Link supervision: ACK, no alarm; the panel's state says when it was last heard.
    REQUIRE(panel.send(frameOf(R"("NULL"0000R0L0#1234[])", false)));
    CHECK(checkedBody(panel.answer()) == R"("ACK"0000R0L0#1234[])");
    const Json online = bus.state("panel-bank/panel", [](const Json& v) { return v["frames"] == 4; });
    CHECK(online["online"] == true);
    CHECK(online["last_frame_us"].get<int64_t>() > 0);
    CHECK(online["transport"] == "tcp");
    // The published DC-09 example (a closing by user 501) is arming state of panel-shop.
    REQUIRE(panel.send(frameOf(R"("SIA-DCS"6002L0#AAA[|Nri1/CL501])")));
    CHECK(checkedBody(panel.answer()) == R"("ACK"6002L0#AAA[])");
    CHECK(bus.state("panel-shop/arming/1", [](const Json& v) { return v["armed"] == true; })["user"] == "501");
    const Json counters = bus.state("sia-receiver/receiver", [](const Json& v) { return v["acks"] == 5; });
    CHECK(counters["alarms"] == 3); // the retransmission was counted, not published
    CHECK(bus.events.waitFor(2, 0ms).size() == 2);
    // The ACKs above waited for the broker's journal, not only for the local queue.
    CHECK(bus.driver->output().find("ACK after the broker journalled the alarm") != std::string::npos);
    CHECK(bus.stopDriver() == 0);
}

TEST_CASE("alarm_sia/e2e tcp: bad CRC, length and time get a NAK, unknown things a DUH, and the receiver goes on")
{
    SiaBus bus;
    TcpPanel panel(bus.port);

    std::string badCrc = frameOf(R"("ADM-CID"0050L0#1234[#1234|1130 01 003])");
    badCrc[1] = badCrc[1] == '0' ? '1' : '0';
    REQUIRE(panel.send(badCrc));
    checkNak(panel.answer());

    std::string badLength = frameOf(R"("ADM-CID"0051L0#1234[#1234|1130 01 003])");
    badLength.erase(badLength.size() - 5, 1); // a byte lost in transit
    REQUIRE(panel.send(badLength));
    checkNak(panel.answer());

    REQUIRE(panel.send(ccoc::sia::encodeFrame(R"("ADM-CID"0052L0#1234[#1234|1130 01 003]_)" +
                                              ccoc::sia::formatTimestamp(ccoc::siatest::nowUnix() - 300))));
    checkNak(panel.answer());

    REQUIRE(panel.send(frameOf(R"("ADM-CID"0053L0#9999[#9999|1130 01 003])")));
    CHECK(checkedBody(panel.answer()) == R"("DUH"0053L0#9999[])");
    REQUIRE(panel.send(frameOf(R"("XYZ-123"0054L0#1234[x])")));
    CHECK(checkedBody(panel.answer()) == R"("DUH"0054L0#1234[])");
    REQUIRE(panel.send(ccoc::sia::encodeFrame(R"("*SIA-DCS"0055L0#1234[8F3A01B2C4D5E6F708192A3B4C5D6E7F])")));
    CHECK(checkedBody(panel.answer()) == R"("DUH"0055L0#1234[])");

    // Still serving: a panic alarm gets through, and it is the only event.
    REQUIRE(panel.send(frameOf(R"("SIA-DCS"0056L0#1234[#1234|Nri2/PA007])")));
    CHECK(checkedBody(panel.answer()) == R"("ACK"0056L0#1234[])");
    const auto events = bus.events.waitFor(1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].payload["type"] == "panic");
    CHECK(events[0].payload["point"] == "007");

    const std::string log = bus.driver->output();
    INFO(log);
    CHECK(log.find("CRC mismatch: expected ") != std::string::npos);
    CHECK(log.find("length mismatch") != std::string::npos);
    CHECK(log.find("behind the receiver's clock") != std::string::npos);
    CHECK(log.find("account 9999") != std::string::npos);
    CHECK(log.find("account 1234, which has no AES key configured here") != std::string::npos);
    CHECK(log.find("tcp 127.0.0.1:") != std::string::npos);
    const Json counters = bus.state("sia-receiver/receiver", [](const Json& v) { return v["frames"] == 7; });
    CHECK(counters["naks"] == 3);
    CHECK(counters["duh"] == 3);
    CHECK(counters["acks"] == 1);
    CHECK(bus.stopDriver() == 0);
}

TEST_CASE("alarm_sia/e2e udp: frames in datagrams get their answers and their alarms, a silent panel goes offline")
{
    SiaBus bus({"panel_timeout_s=1"});
    UdpPanel panel(bus.port);
    REQUIRE(panel.send(frameOf(R"("ADM-CID"0100L0#AAA[#AAA|1154 00 012])")));
    CHECK(checkedBody(panel.answer()) == R"("ACK"0100L0#AAA[])");
    const auto events = bus.events.waitFor(1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].path == "panel-shop/alarm");
    CHECK(events[0].payload["type"] == "water");
    CHECK(events[0].payload["transport"] == "udp");

    std::string badCrc = frameOf(R"("ADM-CID"0101L0#AAA[#AAA|1154 00 012])");
    badCrc[2] = badCrc[2] == 'A' ? 'B' : 'A';
    REQUIRE(panel.send(badCrc));
    checkNak(panel.answer());
    REQUIRE(panel.send(frameOf(R"("NULL"0000R0L0#AAA[])", false)));
    CHECK(checkedBody(panel.answer()) == R"("ACK"0000R0L0#AAA[])");
    CHECK(bus.state("panel-shop/panel", [](const Json& v) { return v["online"] == true; })["transport"] == "udp");
    // Silent for more than panel_timeout_s: offline, its last frame time kept.
    CHECK(bus.state("panel-shop/panel", [](const Json& v) { return v["online"] == false; })["last_frame_us"] > 0);

    // The counters on demand, as a command's result.
    std::promise<ccoc::bus::Reply> replied;
    ccoc::bus::Command command;
    command.device = "sia-receiver";
    command.action = "receiver.status";
    REQUIRE(bus.console->sendCommand(command, [&](const ccoc::bus::Reply& reply) { replied.set_value(reply); }).ok());
    auto future = replied.get_future();
    REQUIRE(future.wait_for(10s) == std::future_status::ready);
    const ccoc::bus::Reply reply = future.get();
    REQUIRE(reply.status == ccoc::bus::CommandStatus::Ok);
    const Json status = Json::parse(reply.resultJson);
    CHECK(status["frames"] == 3);
    CHECK(status["naks"] == 1);
    CHECK(status["udp_port"] == bus.port);
    CHECK(bus.stopDriver() == 0);
}

TEST_CASE("alarm_sia/e2e connections: many panels at once, garbage and stalled connections are closed")
{
    SiaBus bus({"connection_timeout_ms=1500"});
    constexpr int kPanels = 24;
    std::vector<std::unique_ptr<TcpPanel>> panels;
    for (int i = 0; i < kPanels; ++i) {
        panels.push_back(std::make_unique<TcpPanel>(bus.port));
    }
    // Each sends a frame before any reads its answer: all are served side by side.
    for (int i = 0; i < kPanels; ++i) {
        char seq[8];
        std::snprintf(seq, sizeof seq, "%04d", 200 + i);
        REQUIRE(panels[static_cast<size_t>(i)]->send(
            frameOf("\"SIA-DCS\"" + std::string(seq) + "L0#1234[#1234|Nri1/BA" + std::to_string(100 + i) + "]")));
    }
    for (int i = 0; i < kPanels; ++i) {
        char expected[32];
        std::snprintf(expected, sizeof expected, "\"ACK\"%04dL0#1234[]", 200 + i);
        CHECK(checkedBody(panels[static_cast<size_t>(i)]->answer()) == expected);
    }
    CHECK(bus.events.waitFor(kPanels).size() == kPanels);

    // Garbage with no CR: closed once it exceeds a frame's length.
    TcpPanel garbage(bus.port);
    REQUIRE(garbage.send(std::string(6000, 'x')));
    CHECK(garbage.closedByReceiver(5s));
    // Half a frame, then silence: closed after connection_timeout_ms.
    TcpPanel stalled(bus.port);
    REQUIRE(stalled.send(frameOf(R"("ADM-CID"0300L0#1234[#1234|1130 01 003])").substr(0, 20)));
    const auto start = std::chrono::steady_clock::now();
    CHECK(stalled.closedByReceiver(10s));
    CHECK(std::chrono::steady_clock::now() - start >= 1s);

    // The receiver still serves a new panel.
    TcpPanel late(bus.port);
    REQUIRE(late.send(frameOf(R"("ADM-CID"0301L0#1234[#1234|1121 01 004])")));
    CHECK(checkedBody(late.answer()) == R"("ACK"0301L0#1234[])");
    const auto events = bus.events.waitFor(kPanels + 1);
    REQUIRE(events.size() == kPanels + 1);
    CHECK(events.back().payload["type"] == "duress");
    const std::string log = bus.driver->output();
    INFO(log);
    CHECK(log.find("without a CR") != std::string::npos);
    CHECK(log.find("stalled inside a frame") != std::string::npos);
    CHECK(bus.stopDriver() == 0);
}

TEST_CASE("alarm_sia/e2e journal: no ACK while the broker is down, the ACK follows once it journalled the alarm")
{
    const ccoc::test::TempDir dir("ccoc-sia-late");
    const std::string frontend = "ipc://" + dir + "/frontend";
    const std::string publisher = "ipc://" + dir + "/publisher";
    ChildProcess driver({kDriverd, "--id", "sia-1", "--plugin", kSiaDriver, "--frontend", frontend, "--publisher",
                         publisher, "--set", "listen=127.0.0.1", "--set", "port=0", "--set",
                         "accounts=1234=panel-bank", "--set", "ack_timeout_ms=30000"});
    INFO(driver.output());
    REQUIRE(driver.waitForOutput("(TCP and UDP)", 10s));
    // No broker yet, so no bus state: the port comes from the log line.
    const std::string log = driver.output();
    const size_t at = log.find("SIA DC-09 receiver listening on 127.0.0.1 port ");
    REQUIRE(at != std::string::npos);
    const int port = std::atoi(log.c_str() + at + std::string("SIA DC-09 receiver listening on 127.0.0.1 port ").size());
    REQUIRE(port > 0);

    TcpPanel panel(port);
    REQUIRE(panel.send(frameOf(R"("SIA-DCS"0077L0#1234[#1234|Nri1/FA002])", false)));
    // Nothing took the alarm: the panel must not be told it was received.
    CHECK_FALSE(panel.answer(1500ms).has_value());

    ChildProcess broker({kBusTool, "broker", "--config", kSite, "--frontend", frontend, "--publisher", publisher});
    REQUIRE(broker.waitForOutput("broker of SIA-TEST running", 10s));
    ccoc::bus::ClientConfig config;
    config.sourceId = "sia-test-console";
    config.role = ccoc::bus::Role::Console;
    config.frontendEndpoint = frontend;
    config.publisherEndpoint = publisher;
    config.receiveReliableEvents = true;
    // A cursor in no journal: the broker replays its whole journal, so the alarm arrives even if
    // the driver got it journalled before this console joined.
    config.eventCursorJournal = "none";
    config.eventCursorSeq = 0;
    ccoc::bus::Client console(config);
    EventLog events;
    // Subscribed before it starts: the replay at its first welcome may come at once.
    REQUIRE(console.subscribe("event/panel-bank", [&](const ccoc::bus::Message& m) { events.add(m); }) != 0);
    REQUIRE(console.start().ok());
    REQUIRE(console.waitReady(10000));
    REQUIRE(console.waitSubscribed(10000));

    CHECK(checkedBody(panel.answer(20s)) == R"("ACK"0077L0#1234[])");
    // The alarm is in the broker's journal.
    const auto received = events.waitFor(1);
    REQUIRE(received.size() == 1);
    CHECK(received[0].payload["type"] == "fire");
    CHECK(received[0].payload["point"] == "002");
    const int exitCode = driver.stop();
    INFO(driver.output());
    CHECK(exitCode == 0);
    CHECK(driver.output().find("Sanitizer") == std::string::npos);
}

TEST_CASE("alarm_sia/e2e tcp garbage: one log line per connection, with the peer, the bytes and what was expected")
{
    SiaBus bus;
    {
        // Something that is not DC-09 at all, no CR, then the peer hangs up.
        TcpPanel stranger(bus.port);
        REQUIRE(stranger.send("GET / HTTP/1.0"));
    }
    REQUIRE(bus.driver->waitForOutput("14 bytes without a closing CR were left: 'GET / HTTP/1.0' (expected DC-09 frames", 10s));

    // Three pieces of garbage with CRs, then a real frame on the same connection: the frame is
    // served, and the garbage gives one line now and one count when the connection closes.
    {
        TcpPanel noisy(bus.port);
        REQUIRE(noisy.send("junk-1\rjunk-2\rjunk-3\r"));
        REQUIRE(noisy.send(frameOf(R"("SIA-DCS"0400L0#1234[#1234|Nri1/BA001])")));
        CHECK(checkedBody(noisy.answer()) == R"("ACK"0400L0#1234[])");
    }
    REQUIRE(bus.driver->waitForOutput("it also sent 2 more pieces (14 bytes) that were not DC-09 frames", 10s));
    const std::string log = bus.driver->output();
    INFO(log);
    CHECK(log.find("no LF before the CR: 'junk-1' dropped (7 bytes; expected DC-09 frames, LF ... CR") != std::string::npos);
    CHECK(log.find("'junk-2'") == std::string::npos); // counted, not logged one by one
    CHECK(log.find("tcp 127.0.0.1:") != std::string::npos);
    CHECK(bus.events.waitFor(1).size() == 1);
    CHECK(bus.stopDriver() == 0);
}
