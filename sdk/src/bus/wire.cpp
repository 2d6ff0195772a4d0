#include "wire.hpp"

#include "json_scan.hpp"

#include <chrono>
#include <random>

namespace ccoc::bus::detail {

int64_t wallClockUs() noexcept {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t steadyUs() noexcept {
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

std::string randomHex(size_t bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::random_device device;
    std::string out;
    out.reserve(bytes * 2);
    for (size_t i = 0; i < bytes; ++i) {
        const auto byte = static_cast<unsigned>(device()) & 0xFFu;
        out += kHex[byte >> 4];
        out += kHex[byte & 0xF];
    }
    return out;
}

bool receiveParts(zmq::socket_t& socket, std::vector<zmq::message_t>& parts) {
    parts.clear();
    zmq::message_t part;
    if (!socket.recv(part, zmq::recv_flags::dontwait)) {
        return false;
    }
    bool more = part.more();
    parts.push_back(std::move(part));
    while (more) {
        zmq::message_t next;
        // The rest of a multipart message is already here once its first part arrived.
        (void)socket.recv(next, zmq::recv_flags::none);
        more = next.more();
        parts.push_back(std::move(next));
    }
    return true;
}

std::vector<std::string_view> partViews(const std::vector<zmq::message_t>& parts, size_t skip) {
    std::vector<std::string_view> views;
    views.reserve(parts.size());
    for (size_t i = skip; i < parts.size(); ++i) {
        views.emplace_back(static_cast<const char*>(parts[i].data()), parts[i].size());
    }
    return views;
}

bool sendMessage(zmq::socket_t& socket, std::string_view routingId, std::string_view topic,
                 std::string_view envelope, std::string_view payload, const std::vector<std::string>& attachments,
                 bool dontWait) {
    const auto wait = dontWait ? zmq::send_flags::dontwait : zmq::send_flags::none;
    const auto more = wait | zmq::send_flags::sndmore;
    try {
        if (!routingId.empty()) {
            if (!socket.send(zmq::buffer(routingId), more)) {
                return false;
            }
        }
        // After the first part is queued the rest cannot fail for lack of room.
        if (!socket.send(zmq::buffer(topic), more)) {
            return false;
        }
        (void)socket.send(zmq::buffer(envelope), zmq::send_flags::sndmore);
        if (attachments.empty()) {
            (void)socket.send(zmq::buffer(payload), zmq::send_flags::none);
            return true;
        }
        (void)socket.send(zmq::buffer(payload), zmq::send_flags::sndmore);
        for (size_t i = 0; i < attachments.size(); ++i) {
            const bool last = i + 1 == attachments.size();
            (void)socket.send(zmq::buffer(attachments[i]), last ? zmq::send_flags::none : zmq::send_flags::sndmore);
        }
        return true;
    } catch (const zmq::error_t&) {
        return false; // EHOSTUNREACH from a ROUTER whose peer is gone
    }
}

std::string_view topicDevice(std::string_view topic) noexcept {
    const size_t first = topic.find('/');
    if (first == std::string_view::npos) {
        return {};
    }
    const size_t second = topic.find('/', first + 1);
    if (second == std::string_view::npos) {
        return {};
    }
    return topic.substr(first + 1, second - first - 1);
}

std::string_view topicPath(std::string_view topic) noexcept {
    const size_t first = topic.find('/');
    if (first == std::string_view::npos || topic.size() < first + 2) {
        return {};
    }
    return topic.substr(first + 1, topic.size() - first - 2);
}

std::string_view topicLastSegment(std::string_view topic) noexcept {
    if (topic.size() < 2) {
        return {};
    }
    const std::string_view body = topic.substr(0, topic.size() - 1);
    const size_t slash = body.rfind('/');
    return slash == std::string_view::npos ? body : body.substr(slash + 1);
}

std::string replyPayload(std::string_view status, std::string_view message, std::string_view resultJson) {
    std::string out = "{\"status\":";
    appendQuoted(out, status);
    out += ",\"message\":";
    appendQuoted(out, message);
    out += ",\"result\":";
    out += resultJson.empty() ? std::string_view("null") : resultJson;
    out += '}';
    return out;
}

} // namespace ccoc::bus::detail
