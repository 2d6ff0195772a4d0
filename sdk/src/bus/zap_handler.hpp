// The broker's ZAP handler (RFC 27): accepts a CURVE client only when its public key is in the
// allow-list, and names it with the entry's source id (the message property "User-Id").
// Internal to ccoc_bus.
//
// Thread: start/stop from the broker's controlling thread; the handler runs on its own thread.
#pragma once

#include "ccoc/bus/broker.hpp"

#include "broker_rate_limit.hpp"

#include <zmq.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>

namespace ccoc::bus::detail {

class ZapHandler {
public:
    ZapHandler() = default;
    ~ZapHandler();
    ZapHandler(const ZapHandler&) = delete;
    ZapHandler& operator=(const ZapHandler&) = delete;

    // Binds inproc://zeromq.zap.01 in `context` and starts answering. Error: already bound.
    Status start(zmq::context_t& context, const std::vector<AllowEntry>& allow, LogSink log);
    void stop();

    [[nodiscard]] uint64_t refusedCount() const noexcept { return m_refused.load(); }

    // A peer that keeps retrying is named once, then at most once a minute with a count.
    static constexpr std::chrono::seconds kRefusalLogInterval{60};

private:
    void run();
    void logRefusal(const std::string& who, const std::string& line);

    zmq::socket_t m_socket;
    std::map<std::string, std::string> m_keyToName; // Z85 public key -> source id
    LogSink m_log;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<uint64_t> m_refused{0};
    RateLimiter m_limiter{kRefusalLogInterval, 20}; // key: who was refused
};

// True when some ZAP handler answers a request in `context` within timeoutMs. libzmq lets every
// client in when CURVE is on and nobody answers, so the broker checks this before binding.
bool zapHandlerAnswers(zmq::context_t& context, int timeoutMs);

} // namespace ccoc::bus::detail
