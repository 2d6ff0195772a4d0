// Commands (protocol section 7): exactly one answer of each status, TTL, late replies, dead-man.
#include "bus_test_util.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

struct Answers {
    std::mutex mutex;
    std::vector<Reply> replies;
    ReplyHandler handler() {
        return [this](const Reply& reply) {
            std::lock_guard lock(mutex);
            replies.push_back(reply);
        };
    }
    size_t count() {
        std::lock_guard lock(mutex);
        return replies.size();
    }
    Reply first() {
        std::lock_guard lock(mutex);
        return replies.front();
    }
};

Command makeCommand(std::string device, std::string action, int ttlMs = 1000) {
    Command command;
    command.device = std::move(device);
    command.action = std::move(action);
    command.argsJson = R"({"speed":0.5})";
    command.ttlMs = ttlMs;
    return command;
}

} // namespace

TEST_CASE("bus/command-every-status") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    ClientConfig driverConfig = testClientConfig(broker, "ptz-driver", Role::Driver);
    driverConfig.devices = {"cam-1"};
    std::mutex heldMutex;
    std::vector<Responder> held; // "slow": answered only after its TTL; outlives the driver's thread
    Client driver(driverConfig);
    driver.serveCommands([&](const IncomingCommand& command, Responder responder) {
        if (command.action == "ok") {
            responder.answer(Reply{CommandStatus::Ok, "", command.argsJson});
        } else if (command.action == "fail") {
            responder.answer(Reply{CommandStatus::Error, "motor stalled", "null"});
        } else if (command.action == "busy") {
            responder.answer(Reply{CommandStatus::Busy, "tour running", "null"});
        } else if (command.action == "refuse") {
            responder.answer(Reply{CommandStatus::Rejected, "speed out of range", "null"});
        } else if (command.action == "slow") {
            std::lock_guard lock(heldMutex);
            held.push_back(std::move(responder));
        }
        // "forget": the Responder is dropped unanswered and answers error itself.
    });
    REQUIRE(driver.start().ok());
    Client console(testClientConfig(broker, "console-1", Role::Console));
    REQUIRE(console.start().ok());
    REQUIRE(driver.waitReady(5000));
    REQUIRE(console.waitReady(5000));

    const std::vector<std::pair<std::string, CommandStatus>> cases = {
        {"ok", CommandStatus::Ok},           {"fail", CommandStatus::Error},
        {"busy", CommandStatus::Busy},       {"refuse", CommandStatus::Rejected},
        {"forget", CommandStatus::Error},    {"slow", CommandStatus::Timeout}};
    std::vector<std::unique_ptr<Answers>> answers;
    for (const auto& [action, expected] : cases) {
        answers.push_back(std::make_unique<Answers>());
        REQUIRE(console.sendCommand(makeCommand("cam-1", action, 300), answers.back()->handler()).ok());
    }
    auto unknown = std::make_unique<Answers>();
    REQUIRE(console.sendCommand(makeCommand("cam-9", "ok"), unknown->handler()).ok());

    for (size_t i = 0; i < cases.size(); ++i) {
        INFO("action " << cases[i].first);
        REQUIRE(waitUntil([&] { return answers[i]->count() == 1; }, 3000));
        CHECK(answers[i]->first().status == cases[i].second);
    }
    CHECK(answers[0]->first().resultJson == R"({"speed":0.5})");
    CHECK(answers[1]->first().message == "motor stalled");
    REQUIRE(waitUntil([&] { return unknown->count() == 1; }));
    CHECK(unknown->first().status == CommandStatus::Unavailable);

    // The slow driver answers after the broker said timeout: that late reply is dropped.
    {
        std::lock_guard lock(heldMutex);
        REQUIRE(held.size() == 1);
        CHECK(held[0].answer(Reply{CommandStatus::Ok, "too late", "null"}));
        CHECK_FALSE(held[0].answer(Reply{CommandStatus::Ok, "twice", "null"}));
    }
    REQUIRE(waitUntil([&] { return broker.stats().lateReplies == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (const auto& answer : answers) {
        CHECK(answer->count() == 1); // exactly one answer each
    }
}

TEST_CASE("bus/command-unavailable-when-driver-offline") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    ClientConfig driverConfig = testClientConfig(broker, "ptz-driver", Role::Driver);
    driverConfig.devices = {"cam-1"};
    auto driver = std::make_unique<Client>(driverConfig);
    driver->serveCommands([](const IncomingCommand&, Responder responder) { responder.answer({}); });
    REQUIRE(driver->start().ok());
    REQUIRE(driver->waitReady(5000));
    driver.reset();
    REQUIRE(waitUntil([&] { return broker.stats().onlineDrivers == 0; }));
    Client console(testClientConfig(broker, "console-1", Role::Console));
    REQUIRE(console.start().ok());
    Answers answer;
    REQUIRE(console.sendCommand(makeCommand("cam-1", "ok"), answer.handler()).ok());
    REQUIRE(waitUntil([&] { return answer.count() == 1; }));
    CHECK(answer.first().status == CommandStatus::Unavailable);
}

TEST_CASE("bus/command-ttl-expired-not-executed") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    ClientConfig driverConfig = testClientConfig(broker, "ptz-driver", Role::Driver);
    driverConfig.devices = {"cam-1"};
    driverConfig.callbacks = ClientConfig::Callbacks::Queued; // the driver's thread is busy elsewhere
    std::atomic<int> executed{0};
    Client driver(driverConfig);
    driver.serveCommands([&](const IncomingCommand&, Responder responder) {
        ++executed;
        responder.answer({});
    });
    REQUIRE(driver.start().ok());
    Client console(testClientConfig(broker, "console-1", Role::Console));
    REQUIRE(console.start().ok());
    REQUIRE(driver.waitReady(5000));
    REQUIRE(console.waitReady(5000));

    Answers answer;
    REQUIRE(console.sendCommand(makeCommand("cam-1", "ok", 100), answer.handler()).ok());
    REQUIRE(waitUntil([&] { return answer.count() == 1; }));
    CHECK(answer.first().status == CommandStatus::Timeout);
    // Now the driver gets round to it: past its TTL, it is not executed.
    REQUIRE(waitUntil([&] { return driver.dispatch() > 0; }));
    CHECK(executed == 0);
    REQUIRE(waitUntil([&] { return broker.stats().lateReplies == 1; })); // the SDK's own "timeout" answer
    CHECK(answer.count() == 1);
}

TEST_CASE("bus/command-deadman-stop") {
    TempDir dir;
    Broker broker(testBrokerConfig(dir));
    REQUIRE(broker.start().ok());
    ClientConfig driverConfig = testClientConfig(broker, "ptz-driver", Role::Driver);
    driverConfig.devices = {"cam-1"};
    auto nowMs = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
    };
    std::atomic<int> moves{0};
    std::atomic<int> stops{0};
    std::atomic<int64_t> lastMoveAtMs{0};
    std::atomic<int64_t> longestGapMs{0}; // between two repetitions, as the driver saw them
    std::atomic<int64_t> stoppedAtMs{0};
    Client driver(driverConfig);
    driver.serveCommands(
        [&](const IncomingCommand&, Responder responder) {
            const int64_t now = nowMs();
            if (moves++ > 0) {
                longestGapMs = std::max<int64_t>(longestGapMs, now - lastMoveAtMs);
            }
            lastMoveAtMs = now;
            responder.answer({});
        },
        [&](std::string_view device, std::string_view action) {
            if (device == "cam-1" && action == "ptz.move") {
                stoppedAtMs = nowMs();
                ++stops;
            }
        });
    REQUIRE(driver.start().ok());
    Client console(testClientConfig(broker, "console-1", Role::Console));
    REQUIRE(console.start().ok());
    REQUIRE(driver.waitReady(5000));
    REQUIRE(console.waitReady(5000));

    Command move = makeCommand("cam-1", "ptz.move", 500);
    move.deadmanMs = 500; // generous: sanitizer builds on a loaded machine are slow
    // The joystick is held: the move is repeated well within the dead-man interval.
    for (int i = 0; i < 10; ++i) {
        REQUIRE(console.sendCommand(move, {}).ok());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(waitUntil([&] { return moves == 10; }));
    if (longestGapMs < 400) {
        CHECK(stops == 0); // repeated in time: never stopped
    } else {
        WARN("the machine stalled " << longestGapMs << " ms between two repetitions");
    }
    // The console goes silent: the driver stops the camera by itself, once, not before the
    // interval after the last repetition ran out.
    REQUIRE(waitUntil([&] { return stops >= 1 && stoppedAtMs >= lastMoveAtMs; }, 3000));
    CHECK(stoppedAtMs - lastMoveAtMs >= 450);
    const int stopsNow = stops;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(stops == stopsNow);
}
