// A bus peer written against the wire protocol alone (a raw DEALER, envelopes by hand), for tests
// that need to control exactly what a peer sends and see exactly what the broker answers: notices,
// welcome values, heartbeat timing.
#pragma once

#include "ccoc/bus/codec.hpp"

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ccoc::bus::test {

struct RawMessage {
    std::string topic;
    nlohmann::json envelope;
    nlohmann::json payload;
    [[nodiscard]] std::string type() const { return envelope.value("type", std::string()); }
};

class RawPeer {
public:
    struct Curve {
        std::string publicKey, secretKey, serverPublicKey;
    };
    RawPeer(const std::string& endpoint, std::string source, std::optional<Curve> curve = std::nullopt)
        : m_source(std::move(source)), m_dealer(m_context, zmq::socket_type::dealer) {
        m_dealer.set(zmq::sockopt::linger, 0);
        if (curve) {
            m_dealer.set(zmq::sockopt::curve_serverkey, curve->serverPublicKey);
            m_dealer.set(zmq::sockopt::curve_publickey, curve->publicKey);
            m_dealer.set(zmq::sockopt::curve_secretkey, curve->secretKey);
        }
        m_dealer.connect(endpoint);
    }

    // Sends one message with a valid envelope; `extra` adds envelope fields ("reliable": true).
    std::string send(const std::string& topic, const std::string& type, const std::string& payload,
                     const std::function<void(Envelope&)>& extra = {}) {
        Envelope envelope;
        envelope.id = m_session + ":" + std::to_string(++m_seq);
        envelope.type = type;
        envelope.source = m_source;
        envelope.session = m_session;
        envelope.seq = m_seq;
        envelope.sentUs = 1;
        if (extra) {
            extra(envelope);
        }
        sendFrames({topic, encodeEnvelope(envelope), payload});
        return envelope.id;
    }
    void sendFrames(const std::vector<std::string>& frames) {
        for (size_t i = 0; i < frames.size(); ++i) {
            m_dealer.send(zmq::buffer(frames[i]), i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
        }
    }

    // The next message within timeoutMs, or nullopt.
    std::optional<RawMessage> receive(int timeoutMs) {
        zmq::pollitem_t item{m_dealer.handle(), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, std::chrono::milliseconds(timeoutMs)) <= 0) {
            return std::nullopt;
        }
        std::vector<std::string> frames;
        for (;;) {
            zmq::message_t part;
            if (!m_dealer.recv(part)) {
                return std::nullopt;
            }
            frames.emplace_back(static_cast<const char*>(part.data()), part.size());
            if (!part.more()) {
                break;
            }
        }
        if (frames.size() < 3) {
            return std::nullopt;
        }
        return RawMessage{frames[0], nlohmann::json::parse(frames[1], nullptr, false),
                          nlohmann::json::parse(frames[2], nullptr, false)};
    }
    // The first message kept in `seen` or read within timeoutMs that satisfies `want`; the others
    // read meanwhile are kept in `seen`.
    std::optional<RawMessage> waitFor(const std::function<bool(const RawMessage&)>& want, int timeoutMs) {
        for (auto it = seen.begin(); it != seen.end(); ++it) {
            if (want(*it)) {
                RawMessage found = std::move(*it);
                seen.erase(it);
                return found;
            }
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return std::nullopt;
            }
            auto message = receive(static_cast<int>(left.count()));
            if (!message) {
                continue;
            }
            if (want(*message)) {
                return message;
            }
            seen.push_back(std::move(*message));
        }
    }
    std::optional<RawMessage> waitForType(const std::string& typePrefix, int timeoutMs) {
        return waitFor([&](const RawMessage& m) { return m.type().rfind(typePrefix, 0) == 0; }, timeoutMs);
    }
    std::optional<RawMessage> waitForNotice(const std::string& code, int timeoutMs) {
        return waitFor([&](const RawMessage& m) { return m.type() == "notice/1" && m.payload.value("code", "") == code; },
                       timeoutMs);
    }

    // hello/1 and its welcome (resent every 500 ms, as a peer would). heartbeatMs < 0: not sent.
    std::optional<RawMessage> hello(const std::string& role, const std::vector<std::string>& devices, int heartbeatMs = -1,
                                    int timeoutMs = 10000) {
        nlohmann::json payload{{"role", role}, {"devices", devices}};
        if (heartbeatMs >= 0) {
            payload["heartbeat_ms"] = heartbeatMs;
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (std::chrono::steady_clock::now() < deadline) {
            const std::string id = send("bus/hello/", "hello/1", payload.dump());
            if (auto welcome = waitFor(
                    [&](const RawMessage& m) { return m.type() == "welcome/1" && m.envelope.value("corr", "") == id; }, 500)) {
                return welcome;
            }
        }
        return std::nullopt;
    }
    void heartbeat() { send("bus/heartbeat/", "heartbeat/1", "{}"); }

    [[nodiscard]] zmq::socket_t& socket() { return m_dealer; }
    std::vector<RawMessage> seen; // what waitFor passed over

private:
    std::string m_source;
    std::string m_session = "s" + std::to_string(reinterpret_cast<uintptr_t>(this) % 1000003);
    uint64_t m_seq = 0;
    zmq::context_t m_context;
    zmq::socket_t m_dealer;
};

} // namespace ccoc::bus::test
