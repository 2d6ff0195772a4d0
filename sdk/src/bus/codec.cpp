// The pure decoder and the encoder of bus messages (protocol sections 2-4 and 11).
#include "ccoc/bus/codec.hpp"

#include "json_scan.hpp"

#include <cstring>

namespace ccoc::bus {
namespace {

using detail::JsonValue;

bool isIdChar(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
}

bool isToken(std::string_view text, size_t maxBytes, bool allowColon) noexcept {
    if (text.empty() || text.size() > maxBytes) {
        return false;
    }
    for (const char c : text) {
        if (!isIdChar(c) || (!allowColon && c == ':')) {
            return false;
        }
    }
    return true;
}

// Which topic kind each message type must travel on.
std::string_view kindForType(std::string_view typeName) noexcept {
    if (typeName == "state" || typeName == "event" || typeName == "telemetry" || typeName == "reply") {
        return typeName;
    }
    if (typeName == "command") {
        return "cmd";
    }
    return "bus";
}

DecodeResult failure(std::string code, std::string message) {
    DecodeResult result;
    result.error = DecodeError{std::move(code), std::move(message)};
    return result;
}

// Reads one envelope field into `envelope`; returns "" or why the field is wrong.
std::string readField(Envelope& envelope, const std::string& key, const JsonValue& value) {
    auto wantString = [&](std::string& target) -> std::string {
        if (value.type != JsonValue::Type::String) {
            return "field '" + key + "' must be a string";
        }
        target = value.string;
        return {};
    };
    auto wantInt = [&](int64_t& target) -> std::string {
        if (value.type != JsonValue::Type::Integer) {
            return "field '" + key + "' must be an integer";
        }
        target = value.integer;
        return {};
    };
    auto wantCount = [&](uint64_t& target) -> std::string {
        if (value.type != JsonValue::Type::Integer || value.integer < 0) {
            return "field '" + key + "' must be a non-negative integer";
        }
        target = static_cast<uint64_t>(value.integer);
        return {};
    };
    auto wantBool = [&](bool& target) -> std::string {
        if (value.type != JsonValue::Type::Bool) {
            return "field '" + key + "' must be true or false";
        }
        target = value.boolean;
        return {};
    };
    if (value.type == JsonValue::Type::Object || value.type == JsonValue::Type::Array) {
        return "field '" + key + "' is nested; the envelope is flat";
    }
    if (key == "v") {
        int64_t version = 0;
        std::string error = wantInt(version);
        envelope.version = static_cast<int>(version);
        return error;
    }
    if (key == "id") { return wantString(envelope.id); }
    if (key == "type") { return wantString(envelope.type); }
    if (key == "src") { return wantString(envelope.source); }
    if (key == "session") { return wantString(envelope.session); }
    if (key == "seq") { return wantCount(envelope.seq); }
    if (key == "acquired_us") { return wantInt(envelope.acquiredUs); }
    if (key == "sent_us") { return wantInt(envelope.sentUs); }
    if (key == "received_us") { return wantInt(envelope.receivedUs); }
    if (key == "corr") { return wantString(envelope.corr); }
    if (key == "ttl_ms") { return wantInt(envelope.ttlMs); }
    if (key == "deadman_ms") { return wantInt(envelope.deadmanMs); }
    if (key == "deadline_us") { return wantInt(envelope.deadlineUs); }
    if (key == "reliable") { return wantBool(envelope.reliable); }
    if (key == "broker_seq") { return wantCount(envelope.brokerSeq); }
    if (key == "epoch") { return wantString(envelope.epoch); }
    if (key == "event_seq") { return wantCount(envelope.eventSeq); }
    if (key == "journal") { return wantString(envelope.journal); }
    if (key == "stale") { return wantBool(envelope.stale); }
    if (key == "removed") { return wantBool(envelope.removed); }
    return {}; // unknown fields are ignored (protocol section 3)
}

std::string checkEnvelope(const Envelope& envelope, const detail::JsonMembers& members) {
    for (const char* required : {"v", "id", "type", "src", "session", "seq", "sent_us"}) {
        if (detail::findMember(members, required) == nullptr) {
            return std::string("required field '") + required + "' is missing";
        }
    }
    if (!isToken(envelope.id, 64, true)) {
        return "field 'id' must be 1..64 characters of [A-Za-z0-9._:-]";
    }
    if (!isToken(envelope.source, 64, true)) {
        return "field 'src' must be a topic segment (1..64 characters of [A-Za-z0-9._:-])";
    }
    if (!isToken(envelope.session, 64, false)) {
        return "field 'session' must be 1..64 characters of [A-Za-z0-9._-]";
    }
    const size_t slash = envelope.type.find('/');
    if (slash == std::string::npos || envelope.type.size() > 40 || slash == 0 ||
        slash + 1 == envelope.type.size()) {
        return "field 'type' must look like 'NAME/REVISION' (\"state/1\")";
    }
    if (!envelope.corr.empty() && !isToken(envelope.corr, 64, true)) {
        return "field 'corr' must be a message id";
    }
    // Present, a time to live is 1..600000 (a command without one is refused by the broker).
    if (detail::findMember(members, "ttl_ms") != nullptr && (envelope.ttlMs < 1 || envelope.ttlMs > 600000)) {
        return "field 'ttl_ms' must be 1..600000";
    }
    if (envelope.deadlineUs < 0) {
        return "field 'deadline_us' must not be negative";
    }
    if (envelope.deadmanMs < 0 || envelope.deadmanMs > 600000) {
        return "field 'deadman_ms' must be 0..600000";
    }
    return {};
}

} // namespace

bool isValidUtf8(std::string_view text) noexcept {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const size_t size = text.size();
    size_t i = 0;
    while (i < size) {
        // ASCII fast path: eight bytes at a time while none has its high bit set.
        while (i + 8 <= size) {
            uint64_t word = 0;
            std::memcpy(&word, bytes + i, sizeof word);
            if ((word & 0x8080808080808080ull) != 0) {
                break;
            }
            i += 8;
        }
        if (i >= size) {
            break;
        }
        const unsigned char c = bytes[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t extra = 0;
        uint32_t code = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            code = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            code = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            code = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= size) {
            return false;
        }
        for (size_t k = 1; k <= extra; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80) {
                return false;
            }
            code = (code << 6) | (bytes[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values beyond U+10FFFF are not UTF-8.
        if ((extra == 1 && code < 0x80) || (extra == 2 && code < 0x800) || (extra == 3 && code < 0x10000) ||
            code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
            return false;
        }
        i += extra + 1;
    }
    return true;
}

std::string checkJson(std::string_view json, size_t maxDepth) { return detail::scanJson(json, maxDepth); }

bool isValidSegment(std::string_view segment) noexcept {
    return isToken(segment, 64, true) && segment != "." && segment != "..";
}

std::string checkTopic(std::string_view topic, const Limits& limits) {
    if (topic.size() > limits.maxTopicBytes) {
        return "topic longer than " + std::to_string(limits.maxTopicBytes) + " bytes";
    }
    if (topic.empty() || topic.back() != '/') {
        return "topic must end with '/'";
    }
    size_t segments = 0;
    size_t start = 0;
    while (start < topic.size()) {
        const size_t end = topic.find('/', start);
        const std::string_view segment = topic.substr(start, end - start);
        if (segments == 0) {
            if (segment != "state" && segment != "event" && segment != "telemetry" && segment != "cmd" &&
                segment != "reply" && segment != "bus") {
                return "topic kind must be one of state, event, telemetry, cmd, reply, bus";
            }
        } else if (!isValidSegment(segment)) {
            return "topic segment " + std::to_string(segments + 1) +
                   " must be 1..64 characters of [A-Za-z0-9._:-], and neither '.' nor '..'";
        }
        ++segments;
        start = end + 1;
    }
    if (segments < 2) {
        return "topic needs a kind and at least one segment";
    }
    if (segments > limits.maxTopicSegments) {
        return "topic has more than " + std::to_string(limits.maxTopicSegments) + " segments";
    }
    return {};
}

std::string makeTopic(std::string_view kind, std::string_view path) {
    std::string topic;
    topic.reserve(kind.size() + path.size() + 2);
    topic.append(kind).append("/").append(path).append("/");
    return topic;
}

std::string makePrefix(std::string_view prefix) {
    if (prefix.empty()) {
        return {};
    }
    std::string wire(prefix);
    if (wire.back() != '/') {
        wire += '/';
    }
    return wire;
}

DecodeResult decodeMessage(const std::vector<std::string_view>& frames, const Limits& limits) {
    if (frames.size() < 3 || frames.size() > limits.maxFrames) {
        return failure("frames", "message has " + std::to_string(frames.size()) + " frames; expected 3.." +
                                     std::to_string(limits.maxFrames));
    }
    size_t total = 0;
    for (const auto& frame : frames) {
        total += frame.size();
    }
    if (total > limits.maxMessageBytes) {
        return failure("size", "message of " + std::to_string(total) + " bytes; the limit is " +
                                   std::to_string(limits.maxMessageBytes));
    }
    if (std::string error = checkTopic(frames[0], limits); !error.empty()) {
        return failure("topic", "frame 0 (topic): " + error);
    }
    if (frames[1].size() > limits.maxEnvelopeBytes) {
        return failure("envelope", "frame 1 (envelope) longer than " + std::to_string(limits.maxEnvelopeBytes) +
                                       " bytes");
    }
    detail::JsonMembers members;
    if (std::string error = detail::readObject(frames[1], 2, members); !error.empty()) {
        return failure("envelope", "frame 1 (envelope): " + error);
    }
    Decoded decoded;
    for (const auto& [key, value] : members) {
        if (std::string error = readField(decoded.envelope, key, value); !error.empty()) {
            return failure("envelope", "frame 1 (envelope): " + error);
        }
    }
    if (std::string error = checkEnvelope(decoded.envelope, members); !error.empty()) {
        return failure("envelope", "frame 1 (envelope): " + error);
    }
    if (decoded.envelope.version != kProtocolVersion) {
        return failure("version", "protocol revision " + std::to_string(decoded.envelope.version) +
                                      "; this side speaks " + std::to_string(kProtocolVersion));
    }
    const std::string_view typeName = std::string_view(decoded.envelope.type).substr(0, decoded.envelope.type.find('/'));
    const std::string_view topicKind = frames[0].substr(0, frames[0].find('/'));
    if (kindForType(typeName) != topicKind) {
        return failure("topic", "frame 0 (topic): type '" + decoded.envelope.type + "' must travel on a '" +
                                    std::string(kindForType(typeName)) + "/' topic");
    }
    const bool mayAttach = typeName == "state" || typeName == "event" || typeName == "telemetry";
    if (!mayAttach && frames.size() > 3) {
        return failure("frames", "type '" + decoded.envelope.type + "' takes no attachments");
    }
    if (std::string error = detail::scanJson(frames[2], limits.maxDepth); !error.empty()) {
        return failure("payload", "frame 2 (payload): " + error);
    }
    decoded.topic.assign(frames[0]);
    decoded.payload.assign(frames[2]);
    for (size_t i = 3; i < frames.size(); ++i) {
        decoded.attachments.emplace_back(frames[i]);
    }
    DecodeResult result;
    result.message = std::move(decoded);
    return result;
}

std::string encodeEnvelope(const Envelope& envelope) {
    std::string out;
    out.reserve(256);
    auto addString = [&](const char* key, const std::string& value) {
        out += ",\"";
        out += key;
        out += "\":";
        detail::appendQuoted(out, value);
    };
    auto addInt = [&](const char* key, int64_t value) {
        out += ",\"";
        out += key;
        out += "\":";
        out += std::to_string(value);
    };
    out += "{\"v\":";
    out += std::to_string(envelope.version);
    addString("id", envelope.id);
    addString("type", envelope.type);
    addString("src", envelope.source);
    addString("session", envelope.session);
    addInt("seq", static_cast<int64_t>(envelope.seq));
    addInt("sent_us", envelope.sentUs);
    if (envelope.acquiredUs != 0) { addInt("acquired_us", envelope.acquiredUs); }
    if (envelope.receivedUs != 0) { addInt("received_us", envelope.receivedUs); }
    if (!envelope.corr.empty()) { addString("corr", envelope.corr); }
    if (envelope.ttlMs != 0) { addInt("ttl_ms", envelope.ttlMs); }
    if (envelope.deadmanMs != 0) { addInt("deadman_ms", envelope.deadmanMs); }
    if (envelope.deadlineUs != 0) { addInt("deadline_us", envelope.deadlineUs); }
    if (envelope.reliable) { out += ",\"reliable\":true"; }
    if (envelope.brokerSeq != 0) { addInt("broker_seq", static_cast<int64_t>(envelope.brokerSeq)); }
    if (!envelope.epoch.empty()) { addString("epoch", envelope.epoch); }
    if (envelope.eventSeq != 0) { addInt("event_seq", static_cast<int64_t>(envelope.eventSeq)); }
    if (!envelope.journal.empty()) { addString("journal", envelope.journal); }
    if (envelope.stale) { out += ",\"stale\":true"; }
    if (envelope.removed) { out += ",\"removed\":true"; }
    out += '}';
    return out;
}

} // namespace ccoc::bus
