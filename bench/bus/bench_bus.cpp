// bench_bus: messages through the CCOC broker against raw ZeroMQ PUB/SUB with the same 256-byte
// payloads, in the same run: throughput of each and the ratio, latency p50/p99/p99.9 at
// 10,000 messages/s, and the time to snapshot 100,000 retained keys. Prints figures; never fails
// on speed (exit status is non-zero only when a message path does not work at all).
//
// Usage: bench_bus [--messages N] [--keys N] [--latency-seconds S]
#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/client.hpp"

#include <zmq.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace ccoc::bus;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kPayloadBytes = 256;

int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// A JSON object of exactly 256 bytes carrying the send time.
std::string makePayload(int64_t sentNs) {
    std::string head = "{\"t\":" + std::to_string(sentNs) + ",\"pad\":\"";
    std::string payload = head + std::string(kPayloadBytes - head.size() - 2, 'x') + "\"}";
    return payload;
}

int64_t sentTimeOf(std::string_view payload) {
    return std::strtoll(payload.data() + 5, nullptr, 10);
}

struct Latencies {
    std::mutex mutex;
    std::vector<int64_t> ns;
    void add(int64_t value) {
        std::lock_guard lock(mutex);
        ns.push_back(value);
    }
    void print(const char* name) {
        std::lock_guard lock(mutex);
        if (ns.empty()) {
            std::printf("  %-28s no messages received\n", name);
            return;
        }
        std::sort(ns.begin(), ns.end());
        auto at = [&](double q) { return static_cast<double>(ns[static_cast<size_t>(q * static_cast<double>(ns.size() - 1))]) / 1000.0; };
        std::printf("  %-28s p50 %8.1f us   p99 %8.1f us   p99.9 %8.1f us   (%zu messages)\n", name, at(0.50), at(0.99),
                    at(0.999), ns.size());
    }
};

// --- raw ZeroMQ ---------------------------------------------------------------------------------

struct RawBus {
    zmq::context_t context;
    zmq::socket_t pub{context, zmq::socket_type::pub};
    zmq::socket_t sub{context, zmq::socket_type::sub};
    RawBus() {
        pub.set(zmq::sockopt::sndhwm, 0);
        sub.set(zmq::sockopt::rcvhwm, 0);
        pub.bind("tcp://127.0.0.1:*");
        sub.set(zmq::sockopt::subscribe, "event/bench/");
        sub.connect(pub.get(zmq::sockopt::last_endpoint));
        // Wait until the subscription reached the publisher.
        for (;;) {
            pub.send(zmq::str_buffer("event/bench/"), zmq::send_flags::sndmore);
            pub.send(zmq::str_buffer("warmup"), zmq::send_flags::none);
            zmq::message_t part;
            if (sub.recv(part, zmq::recv_flags::dontwait)) {
                zmq::message_t rest;
                (void)sub.recv(rest);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        sub.set(zmq::sockopt::rcvtimeo, 10);
        zmq::message_t drain;
        while (sub.recv(drain)) {
        }
    }
    void send(const std::string& payload) {
        pub.send(zmq::str_buffer("event/bench/"), zmq::send_flags::sndmore);
        pub.send(zmq::buffer(payload), zmq::send_flags::none);
    }
    // Receives one message's payload; false on timeout.
    bool receive(std::string& payload) {
        zmq::message_t topic;
        if (!sub.recv(topic)) {
            return false;
        }
        zmq::message_t body;
        (void)sub.recv(body);
        payload.assign(static_cast<const char*>(body.data()), body.size());
        return true;
    }
};

double rawThroughput(size_t count) {
    RawBus bus;
    bus.sub.set(zmq::sockopt::rcvtimeo, 2000);
    const std::string payload = makePayload(0);
    size_t received = 0;
    const auto start = Clock::now();
    std::thread sender([&] {
        for (size_t i = 0; i < count; ++i) {
            bus.send(payload);
        }
    });
    std::string got;
    while (received < count && bus.receive(got)) {
        ++received;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    sender.join();
    return static_cast<double>(received) / seconds;
}

void rawLatency(double seconds, int rate, Latencies& out) {
    RawBus bus;
    bus.sub.set(zmq::sockopt::rcvtimeo, 500);
    const auto total = static_cast<size_t>(seconds * rate);
    std::thread receiver([&] {
        std::string got;
        for (size_t i = 0; i < total && bus.receive(got); ++i) {
            out.add(nowNs() - sentTimeOf(got));
        }
    });
    const auto start = Clock::now();
    for (size_t i = 0; i < total; ++i) {
        std::this_thread::sleep_until(start + std::chrono::nanoseconds(static_cast<int64_t>(1e9 * static_cast<double>(i) / rate)));
        bus.send(makePayload(nowNs()));
    }
    receiver.join();
}

// --- through the broker ---------------------------------------------------------------------------

struct BrokerBus {
    Broker broker;
    std::unique_ptr<Client> publisher;
    std::unique_ptr<Client> subscriber;
    std::atomic<size_t> received{0};

    static BrokerConfig config() {
        BrokerConfig c;
        c.frontendEndpoint = "tcp://127.0.0.1:*";
        c.publisherEndpoint = "tcp://127.0.0.1:*";
        c.log = [](LogLevel, std::string_view) {};
        return c;
    }

    BrokerBus() : broker(config()) {}

    bool start(const MessageHandler& onMessage) {
        if (!broker.start().ok()) {
            return false;
        }
        ClientConfig pc;
        pc.sourceId = "bench-driver";
        pc.role = Role::Driver;
        pc.devices = {"bench"};
        pc.frontendEndpoint = broker.frontendEndpoint();
        pc.publisherEndpoint = broker.publisherEndpoint();
        ClientConfig sc = pc;
        sc.sourceId = "bench-console";
        sc.role = Role::Console;
        sc.devices.clear();
        publisher = std::make_unique<Client>(pc);
        subscriber = std::make_unique<Client>(sc);
        subscriber->subscribe("event/bench", [this, onMessage](const Message& message) {
            ++received;
            onMessage(message);
        });
        if (!publisher->start().ok() || !subscriber->start().ok() || !publisher->waitReady(5000) ||
            !subscriber->waitReady(5000)) {
            return false;
        }
        // Wait until the subscription reached the broker.
        const std::string warmup = makePayload(0);
        const auto deadline = Clock::now() + std::chrono::seconds(5);
        while (received == 0 && Clock::now() < deadline) {
            (void)publisher->publishEvent("bench/x", warmup);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return received > 0;
    }
};

double brokerThroughput(size_t count) {
    std::atomic<size_t> counted{0};
    std::atomic<int64_t> lastNs{0};
    std::atomic<bool> counting{false};
    BrokerBus bus;
    if (!bus.start([&](const Message&) {
            if (counting) {
                ++counted;
                lastNs = nowNs();
            }
        })) {
        return -1;
    }
    counting = true;
    const std::string payload = makePayload(0);
    const int64_t startNs = nowNs();
    std::thread sender([&] {
        for (size_t i = 0; i < count; ++i) {
            (void)bus.publisher->publishEvent("bench/x", payload); // waits when the queue is full
        }
    });
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    size_t last = 0;
    auto lastChange = Clock::now();
    while (counted < count && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (counted != last) {
            last = counted;
            lastChange = Clock::now();
        } else if (Clock::now() - lastChange > std::chrono::seconds(2)) {
            break; // the rest was dropped
        }
    }
    sender.join();
    const double seconds = static_cast<double>(lastNs - startNs) / 1e9;
    if (counted < count) {
        std::printf("  (broker path delivered %zu of %zu)\n", counted.load(), count);
    }
    return static_cast<double>(counted) / seconds;
}

void brokerLatency(double seconds, int rate, Latencies& out) {
    std::atomic<bool> measuring{false};
    BrokerBus bus;
    if (!bus.start([&](const Message& message) {
            if (measuring) {
                out.add(nowNs() - sentTimeOf(message.payload));
            }
        })) {
        return;
    }
    measuring = true;
    const auto total = static_cast<size_t>(seconds * rate);
    const auto start = Clock::now();
    for (size_t i = 0; i < total; ++i) {
        std::this_thread::sleep_until(start + std::chrono::nanoseconds(static_cast<int64_t>(1e9 * static_cast<double>(i) / rate)));
        (void)bus.publisher->publishEvent("bench/x", makePayload(nowNs()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    measuring = false;
}

void snapshotTime(size_t keys) {
    BrokerBus bus;
    if (!bus.start([](const Message&) {})) {
        std::printf("  snapshot: broker did not start\n");
        return;
    }
    const std::string value = "{\"value\":12.5,\"unit\":\"C\",\"ok\":true}";
    for (size_t i = 0; i < keys; ++i) {
        (void)bus.publisher->publishState("bench/k" + std::to_string(i), value);
    }
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    while (bus.broker.stats().retainedKeys < keys && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (int round = 0; round < 2; ++round) {
        ClientConfig cc;
        cc.sourceId = "bench-joiner-" + std::to_string(round);
        cc.frontendEndpoint = bus.broker.frontendEndpoint();
        cc.publisherEndpoint = bus.broker.publisherEndpoint();
        cc.mirrorState = true;
        Client joiner(cc);
        const auto start = Clock::now();
        (void)joiner.start();
        const bool ready = joiner.waitReady(30000);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        std::printf("  late joiner %d: %zu retained keys in %.0f ms%s\n", round + 1, joiner.stateSnapshot().size(), ms,
                    ready ? "" : " (not complete)");
    }
}

} // namespace

int main(int argc, char** argv) {
    size_t messages = 200000;
    size_t keys = 100000;
    double latencySeconds = 3.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--messages") == 0) {
            messages = std::strtoull(argv[i + 1], nullptr, 10);
        } else if (std::strcmp(argv[i], "--keys") == 0) {
            keys = std::strtoull(argv[i + 1], nullptr, 10);
        } else if (std::strcmp(argv[i], "--latency-seconds") == 0) {
            latencySeconds = std::strtod(argv[i + 1], nullptr);
        }
    }
    std::printf("bench_bus: %zu-byte payloads over tcp://127.0.0.1, %u hardware threads\n", kPayloadBytes,
                std::thread::hardware_concurrency());
    // Rounds alternate raw and broker so that a busy machine weighs on both alike; medians are
    // the figures to quote.
    constexpr int kRounds = 3;
    std::printf("throughput (%zu messages, one publisher, one subscriber), %d rounds\n", messages, kRounds);
    std::vector<double> raws;
    std::vector<double> ours;
    for (int round = 0; round < kRounds; ++round) {
        raws.push_back(rawThroughput(messages));
        ours.push_back(brokerThroughput(messages));
        std::printf("  round %d: raw ZeroMQ PUB/SUB %9.0f msg/s   CCOC broker %9.0f msg/s   ratio %.3f\n", round + 1,
                    raws.back(), ours.back(), ours.back() / raws.back());
    }
    auto median = [](std::vector<double> values) {
        std::sort(values.begin(), values.end());
        return values[values.size() / 2];
    };
    const double raw = median(raws);
    const double our = median(ours);
    std::printf("  median:  raw ZeroMQ PUB/SUB %9.0f msg/s   CCOC broker %9.0f msg/s   ratio broker/raw %.3f\n", raw,
                our, our / raw);

    std::printf("latency at 10000 msg/s, %.1f s per path\n", latencySeconds);
    Latencies rawLat;
    rawLatency(latencySeconds, 10000, rawLat);
    rawLat.print("raw ZeroMQ PUB/SUB");
    Latencies ourLat;
    brokerLatency(latencySeconds, 10000, ourLat);
    ourLat.print("CCOC broker");

    std::printf("snapshot of %zu retained keys\n", keys);
    snapshotTime(keys);
    return our > 0 ? 0 : 1;
}
