#include "zap_handler.hpp"

#include "wire.hpp"

#include <array>

namespace ccoc::bus::detail {
namespace {

constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";

std::string z85(const void* key32) {
    std::array<char, 41> text{};
    zmq_z85_encode(text.data(), static_cast<const uint8_t*>(key32), 32);
    return std::string(text.data());
}

} // namespace

ZapHandler::~ZapHandler() { stop(); }

Status ZapHandler::start(zmq::context_t& context, const std::vector<AllowEntry>& allow, LogSink log) {
    m_log = std::move(log);
    m_keyToName.clear();
    for (const auto& entry : allow) {
        m_keyToName[entry.publicKey] = entry.name;
    }
    try {
        m_socket = zmq::socket_t(context, zmq::socket_type::rep);
        m_socket.set(zmq::sockopt::linger, 0);
        m_socket.bind(kZapEndpoint);
    } catch (const zmq::error_t& error) {
        return Status::failure(std::string("bus: cannot bind the ZAP handler: ") + error.what());
    }
    m_stop = false;
    m_thread = std::thread([this] { run(); });
    return Status::success();
}

void ZapHandler::stop() {
    m_stop = true;
    if (m_thread.joinable()) {
        m_thread.join();
    }
    if (m_socket) {
        m_socket.close();
    }
}

void ZapHandler::run() {
    std::vector<zmq::message_t> parts;
    while (!m_stop) {
        zmq::pollitem_t item{m_socket.handle(), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, std::chrono::milliseconds(50)) <= 0) {
            continue;
        }
        if (!receiveParts(m_socket, parts)) {
            continue;
        }
        // Request: version, request id, domain, address, identity, mechanism, credentials...
        const auto views = partViews(parts, 0);
        const std::string_view requestId = views.size() > 1 ? views[1] : std::string_view();
        std::string status = "400";
        std::string text = "not allowed";
        std::string userId;
        if (views.size() >= 7 && views[0] == "1.0" && views[5] == "CURVE" && views[6].size() == 32) {
            const std::string key = z85(views[6].data());
            const auto found = m_keyToName.find(key);
            if (found != m_keyToName.end()) {
                status = "200";
                text = "OK";
                userId = found->second;
            } else {
                ++m_refused;
                logRefusal("key " + key, "bus: refused a CURVE client with unknown public key " + key + " from " +
                                             std::string(views[3]) + ": no [[bus.allow]] entry has that public_key");
            }
        } else if (views.size() >= 6 && views[0] == "1.0" && views[5] != "SELFTEST") {
            ++m_refused;
            logRefusal("mechanism " + std::string(views[5]) + " from " + std::string(views[3]),
                       "bus: refused a client using mechanism " + std::string(views[5]) + " from " +
                           std::string(views[3]) + " while CURVE is required");
        }
        try {
            m_socket.send(zmq::str_buffer("1.0"), zmq::send_flags::sndmore);
            m_socket.send(zmq::buffer(requestId), zmq::send_flags::sndmore);
            m_socket.send(zmq::buffer(status), zmq::send_flags::sndmore);
            m_socket.send(zmq::buffer(text), zmq::send_flags::sndmore);
            m_socket.send(zmq::buffer(userId), zmq::send_flags::sndmore);
            m_socket.send(zmq::str_buffer(""), zmq::send_flags::none);
        } catch (const zmq::error_t&) {
            // The REP socket resets itself on the next request.
        }
    }
}

void ZapHandler::logRefusal(const std::string& who, const std::string& line) {
    // A refused ZeroMQ peer reconnects every few hundred milliseconds for as long as it runs: one
    // line per attempt would bury everything else in the log.
    const auto pass = m_limiter.allow(who, "refused");
    if (!pass || !m_log) {
        return;
    }
    std::string text = line;
    if (pass->sameKey > 0) {
        text += " (refused " + std::to_string(pass->sameKey) + " more time" + (pass->sameKey == 1 ? "" : "s") +
                " since the last message)";
    }
    if (pass->otherKeys > 0) {
        text += " (" + std::to_string(pass->otherKeys) + " refusals of other peers not logged)";
    }
    m_log(LogLevel::Warning, text);
}

bool zapHandlerAnswers(zmq::context_t& context, int timeoutMs) {
    try {
        zmq::socket_t request(context, zmq::socket_type::req);
        request.set(zmq::sockopt::linger, 0);
        request.set(zmq::sockopt::rcvtimeo, timeoutMs);
        request.set(zmq::sockopt::sndtimeo, timeoutMs);
        request.connect(kZapEndpoint);
        for (const char* part : {"1.0", "selftest", "", "", ""}) {
            request.send(zmq::buffer(std::string_view(part)), zmq::send_flags::sndmore);
        }
        request.send(zmq::str_buffer("SELFTEST"), zmq::send_flags::none);
        zmq::message_t reply;
        return request.recv(reply).has_value();
    } catch (const zmq::error_t&) {
        return false;
    }
}

} // namespace ccoc::bus::detail
