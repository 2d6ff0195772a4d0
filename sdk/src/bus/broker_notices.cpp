// ccoc::bus::Broker: what the broker does with a message it drops, and with a handshake that
// fails (protocol sections 5.2, 10, 11): count it, log it and tell the sender, each rate limited
// (broker_rate_limit.hpp). Runs on the broker's I/O thread only.
#include "broker_impl.hpp"

#include "json_scan.hpp"

#include <cstdio>
#include <cstring>

namespace ccoc::bus {
namespace {

std::string describePeer(const Broker::Impl::Peer& peer) {
    if (!peer.source.empty()) {
        return "'" + peer.source + "'";
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (const char c : peer.routingId) {
        hex += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
        hex += kHex[static_cast<unsigned char>(c) & 0xF];
    }
    return "unnamed peer " + hex;
}

} // namespace

void Broker::Impl::badInput(Peer& peer, const std::string& why, const Decoded* message, std::string_view code) {
    peerLog(LogLevel::Warning, describePeer(peer), code, "bus broker: dropped a message from " + describePeer(peer) + ": " + why);
    notice(peer, code, why, message);
}

void Broker::Impl::refuse(Peer& peer, const std::string& why, const Decoded* message, std::string_view code,
                          std::string_view extraJson) {
    ++statRefused;
    const std::string line = code == "not-allowed" ? "not allowed: " + why : why;
    peerLog(LogLevel::Warning, describePeer(peer), code, "bus broker: dropped a message from " + describePeer(peer) + ": " + line);
    notice(peer, code, why, message, extraJson);
}

void Broker::Impl::peerLog(LogLevel level, const std::string& who, std::string_view why, const std::string& line) {
    if (const auto pass = logLimiter.allow(who, why)) {
        log(level, line + detail::RateLimiter::describe(*pass));
    }
}

// Section 5.2: the sender of a dropped message is told why, at most once per code per interval
// (a peer stuck in a loop would otherwise get a notice per message).
void Broker::Impl::notice(Peer& peer, std::string_view code, const std::string& why, const Decoded* message,
                          std::string_view extraJson) {
    const auto pass = noticeLimiter.allow(peer.routingId, std::string(code) + std::string(extraJson));
    if (!pass) {
        return;
    }
    std::string payload = "{\"code\":";
    detail::appendQuoted(payload, code);
    payload += ",\"message\":";
    detail::appendQuoted(payload, why);
    if (message != nullptr) {
        payload += ",\"topic\":";
        detail::appendQuoted(payload, message->topic);
        payload += ",\"id\":";
        detail::appendQuoted(payload, message->envelope.id);
    }
    payload += ",\"suppressed\":" + std::to_string(pass->sameKey);
    payload += extraJson;
    payload += "}";
    ++statNotices;
    sendToPeer(peer.routingId, "bus/notice/", detail::kTypeNotice, payload, message != nullptr ? message->envelope.id : "");
}

void Broker::Impl::takeMonitorEvents(zmq::socket_t& monitor, std::string_view socketName) {
    for (int i = 0; i < 100; ++i) {
        zmq::message_t event;
        zmq::message_t address;
        if (!monitor.recv(event, zmq::recv_flags::dontwait) || !event.more() || !monitor.recv(address)) {
            return;
        }
        if (event.size() < 6) {
            continue;
        }
        uint16_t id = 0;
        uint32_t value = 0;
        std::memcpy(&id, event.data(), sizeof id);
        std::memcpy(&value, static_cast<const char*>(event.data()) + 2, sizeof value);
        std::string why;
        if (value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH) {
            why = config.security.curve ? "the peer does not use CURVE (security = \"curve\" here)"
                                        : "the peer uses CURVE, but this bus has security = \"none\"";
        } else if (value == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC) {
            why = "its CURVE handshake does not decrypt: it has the wrong server public key";
        } else if (id == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) {
            // Which side hangs up first on a mechanism mismatch is a race: often only this is seen.
            why = "the connection closed during the handshake (" + std::string(zmq_strerror(static_cast<int>(value))) +
                  (config.security.curve ? "): the peer does not use CURVE (security = \"curve\" here), has the "
                                           "wrong server public key, or is not ZeroMQ"
                                         : "): the peer uses CURVE (security = \"none\" here) or is not ZeroMQ");
        } else {
            char hex[16];
            std::snprintf(hex, sizeof hex, "0x%08x", value);
            why = std::string("ZeroMQ protocol error ") + hex;
        }
        peerLog(LogLevel::Warning, std::string(socketName), why,
                "bus broker: a peer failed the handshake on " + std::string(socketName) + ": " + why);
    }
}

} // namespace ccoc::bus
