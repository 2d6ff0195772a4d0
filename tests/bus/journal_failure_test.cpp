// A journal that cannot commit (protocol section 8.1): the broker retries with back-off, publishes
// each event once however often it is resent, sends no ack until the event is stored, tells the
// desks on state/_bus/journal/, and logs the fault once per episode. The disk is a real one that
// fills up: a small tmpfs mounted for the test (needs root; skipped with a message otherwise).
#include "bus_test_util.hpp"
#include "raw_peer.hpp"

#include <catch2/catch.hpp>

#include <sys/mount.h>

#include <fstream>

using namespace ccoc::bus;
using namespace ccoc::bus::test;

namespace {

// A 1 MiB tmpfs on a temp dir, unmounted (and removed) by the destructor, even on failure.
struct SmallDisk {
    TempDir dir;
    bool mounted = false;
    SmallDisk() { mounted = ::mount("tmpfs", dir.path.c_str(), "tmpfs", 0, "size=1m") == 0; }
    ~SmallDisk() {
        if (mounted) {
            ::umount2(dir.path.c_str(), MNT_DETACH);
        }
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;
    // Fills what is left with a file; true when the disk is then full.
    bool fill() {
        std::ofstream filler(dir.path / "filler", std::ios::binary);
        const std::string block(4096, 'x');
        for (int i = 0; i < 1024 && filler.write(block.data(), block.size()); ++i) {
            filler.flush();
        }
        return !filler;
    }
    void unfill() { std::filesystem::remove(dir.path / "filler"); }
};

// A SUB on the broker's PUB that counts what it sees of each topic.
struct Listener {
    zmq::context_t context;
    zmq::socket_t sub{context, zmq::socket_type::sub};
    std::vector<RawMessage> messages;
    explicit Listener(const std::string& endpoint) {
        sub.set(zmq::sockopt::linger, 0);
        for (const char* prefix : {"event/", "state/_bus/journal/", "bus/heartbeat/"}) {
            sub.set(zmq::sockopt::subscribe, prefix);
        }
        sub.connect(endpoint);
    }
    void pump(int timeoutMs) {
        zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
        while (zmq::poll(&item, 1, std::chrono::milliseconds(timeoutMs)) > 0) {
            std::vector<std::string> frames;
            for (;;) {
                zmq::message_t part;
                (void)sub.recv(part);
                frames.emplace_back(static_cast<const char*>(part.data()), part.size());
                if (!part.more()) {
                    break;
                }
            }
            messages.push_back(RawMessage{frames[0], nlohmann::json::parse(frames[1], nullptr, false),
                                          nlohmann::json::parse(frames[2], nullptr, false)});
            timeoutMs = 0;
        }
    }
    size_t count(const std::string& topicPrefix) const {
        return static_cast<size_t>(std::count_if(messages.begin(), messages.end(),
                                                 [&](const RawMessage& m) { return m.topic.rfind(topicPrefix, 0) == 0; }));
    }
    std::optional<RawMessage> lastOf(const std::string& topic) const {
        for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
            if (it->topic == topic) {
                return *it;
            }
        }
        return std::nullopt;
    }
};

} // namespace

TEST_CASE("bus/failing-journal-publishes-each-event-once-and-acks-when-it-recovers") {
    SmallDisk disk;
    if (!disk.mounted) {
        WARN("skipped: cannot mount a tmpfs to fill (needs root): the failing-journal test did not run");
        return;
    }
    LogCollector logs;
    BrokerConfig config = testBrokerConfig(disk.dir, &logs);
    config.journalPath = (disk.dir.path / "journal.sqlite").string();
    config.journalRetryMaxMs = 200;
    Broker broker(config);
    REQUIRE(broker.start().ok());
    Listener listener(broker.publisherEndpoint());
    REQUIRE(waitUntil([&] { listener.pump(10); return listener.count("bus/heartbeat/") > 0; })); // subscribed
    RawPeer driver(broker.frontendEndpoint(), "sim-1");
    REQUIRE(driver.hello("driver", {"door-1"}));
    const auto isAck = [](const std::string& id) {
        return [id](const RawMessage& m) { return m.type() == "ack/1" && m.envelope.value("corr", "") == id; };
    };
    // Healthy: stored and acked.
    std::string first;
    const auto reliable = [&](const std::string& id) {
        return [id](Envelope& e) {
            e.reliable = true;
            if (!id.empty()) {
                e.id = id;
            }
        };
    };
    first = driver.send("event/door-1/alarm/", "event/1", R"({"n":1})", reliable(""));
    REQUIRE(driver.waitFor(isAck(first), 5000));

    REQUIRE(disk.fill());
    const std::string held = driver.send("event/door-1/alarm/", "event/1", R"({"n":2})", reliable(""));
    REQUIRE(waitUntil([&] { return !broker.stats().journalOk; }, 10000));
    // Resent (as a driver does every second) while the journal fails: no ack, and never
    // published again under a new number.
    for (int resend = 0; resend < 5; ++resend) {
        driver.send("event/door-1/alarm/", "event/1", R"({"n":2})", reliable(held));
        CHECK_FALSE(driver.waitFor(isAck(held), 300));
    }
    CHECK(broker.stats().journalHeld == 1);
    REQUIRE(waitUntil([&] {
        listener.pump(10);
        const auto health = listener.lastOf("state/_bus/journal/");
        return health && health->payload.value("ok", true) == false;
    }));
    CHECK_FALSE(listener.lastOf("state/_bus/journal/")->payload.value("error", "").empty());

    disk.unfill();
    REQUIRE(driver.waitFor(isAck(held), 10000)); // acked once stored
    REQUIRE(waitUntil([&] {
        listener.pump(10);
        const auto health = listener.lastOf("state/_bus/journal/");
        return health && health->payload.value("ok", false) == true;
    }));
    CHECK(broker.stats().journalOk);
    CHECK(broker.stats().journalHeld == 0);
    listener.pump(50);
    std::vector<uint64_t> numbers;
    for (const auto& message : listener.messages) {
        if (message.topic == "event/door-1/alarm/" && message.envelope.value("id", "") == held) {
            numbers.push_back(message.envelope.value("event_seq", uint64_t{0}));
        }
    }
    CHECK(numbers.size() == 1); // published once, whatever the resends
    CHECK(broker.stats().eventSeq == 2);
    // One line when it started failing, one when it recovered: not one per attempt.
    std::lock_guard lock(logs.mutex);
    CHECK(std::count_if(logs.lines.begin(), logs.lines.end(),
                        [](const std::string& l) { return l.find("journal cannot store") != std::string::npos; }) == 1);
    CHECK(std::count_if(logs.lines.begin(), logs.lines.end(),
                        [](const std::string& l) { return l.find("stores events again") != std::string::npos; }) == 1);
}
