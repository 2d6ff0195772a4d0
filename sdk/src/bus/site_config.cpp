// [bus] of the site file -> BrokerConfig / ClientConfig.
#include "ccoc/bus/site_config.hpp"

#include <zmq.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

namespace ccoc::bus {
namespace {

std::string trim(std::string_view text) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const size_t last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

bool isZ85(std::string_view key) {
    static constexpr std::string_view kAlphabet =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    return std::all_of(key.begin(), key.end(), [](char c) { return kAlphabet.find(c) != std::string_view::npos; });
}

std::string where(const site::SourcePos& pos) {
    if (pos.line == 0) {
        return pos.file;
    }
    return pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

std::string quotedList(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) {
        out += (i == 0 ? "\"" : ", \"") + items[i] + "\"";
    }
    return out + "]";
}

// The keys a peer's [[bus.allow]] entry must have, as the message asks for them.
std::string entryToWrite(const std::string& sourceId, const PeerNeeds& needs) {
    std::string text = "[[bus.allow]] name = \"" + sourceId + "\" with public_key and secret_key_file (one key pair "
                       "from 'ccoc-bus keygen': the public line, and a file holding the secret line)";
    if (!needs.publish.empty()) {
        text += ", publish = " + quotedList(needs.publish);
    }
    if (!needs.devices.empty()) {
        text += ", devices = " + quotedList(needs.devices);
    }
    return text;
}

} // namespace

Status readCurveSecretKeyFile(const std::string& path, std::string& secretKey) {
    std::ifstream in(path);
    if (!in) {
        return Status::failure("bus: cannot read the key file " + path);
    }
    std::stringstream content;
    content << in.rdbuf();
    const std::string text = content.str();
    std::string key = trim(text);
    // `ccoc-bus keygen` output: take the value of the `secret = "..."` line.
    const size_t secret = text.find("secret");
    if (secret != std::string::npos) {
        const size_t open = text.find('"', secret);
        const size_t close = open == std::string::npos ? open : text.find('"', open + 1);
        key = close == std::string::npos ? std::string() : text.substr(open + 1, close - open - 1);
    }
    if (key.size() != 40 || !isZ85(key)) {
        return Status::failure("bus: key file " + path +
                               " holds no CURVE secret key; expected 40 characters of Z85 text, alone or as "
                               "secret = \"...\" (the output of 'ccoc-bus keygen')");
    }
    secretKey = std::move(key);
    return Status::success();
}

Status brokerConfigFromSite(const site::BusSettings& bus, BrokerConfig& config) {
    config.frontendEndpoint = bus.frontend;
    config.publisherEndpoint = bus.publisher;
    config.heartbeatMs = bus.heartbeatMs;
    config.offlineAfterMs = bus.offlineAfterMs;
    config.journalPath = bus.journal;
    config.maxRatePerSender = bus.maxRate;
    config.maxMessageBytes = bus.maxMessageBytes;
    config.security = BrokerSecurity{};
    if (!bus.curve) {
        return Status::success();
    }
    config.security.curve = true;
    config.security.serverPublicKey = bus.serverPublicKey;
    if (Status read = readCurveSecretKeyFile(bus.serverSecretKeyFile, config.security.serverSecretKey); !read.ok()) {
        return read;
    }
    for (const auto& entry : bus.allow) {
        config.security.allow.push_back(AllowEntry{entry.name, entry.publicKey, entry.publish, entry.devices});
    }
    return Status::success();
}

Status clientConfigFromSite(const site::BusSettings& bus, ClientConfig& config) {
    config.frontendEndpoint = bus.frontend;
    config.publisherEndpoint = bus.publisher;
    config.heartbeatMs = bus.heartbeatMs;
    config.curve.reset();
    if (!bus.curve) {
        return Status::success();
    }
    CurveClientKeys keys;
    keys.publicKey = bus.clientPublicKey;
    keys.serverPublicKey = bus.serverPublicKey;
    if (Status read = readCurveSecretKeyFile(bus.clientSecretKeyFile, keys.secretKey); !read.ok()) {
        return read;
    }
    bool match = false;
    if (Status checked = curveKeysMatch(keys.publicKey, keys.secretKey, match); !checked.ok()) {
        return Status::failure(checked.error + " (client_secret_key_file " + bus.clientSecretKeyFile + ")");
    }
    if (!match) {
        return Status::failure("bus: " + where(bus.pos) + ": the secret key in client_secret_key_file " +
                               bus.clientSecretKeyFile + " does not belong to client_public_key; expected the secret "
                               "line of the same 'ccoc-bus keygen' pair (the broker would refuse the host)");
    }
    config.curve = std::move(keys);
    return Status::success();
}

Status curveKeysMatch(const std::string& publicKey, const std::string& secretKey, bool& match) {
    match = false;
    std::array<char, 41> derived{};
    if (secretKey.size() != 40 || zmq_curve_public(derived.data(), secretKey.c_str()) != 0) {
        return Status::failure(zmq_has("curve") == 0 ? "bus: this libzmq has no CURVE support"
                                                     : "bus: the secret key is not 40 characters of Z85 text");
    }
    match = publicKey == std::string_view(derived.data(), 40);
    return Status::success();
}

const site::BusAllow* findAllowEntry(const site::BusSettings& bus, std::string_view sourceId) {
    const auto found = std::find_if(bus.allow.begin(), bus.allow.end(),
                                    [&](const site::BusAllow& entry) { return entry.name == sourceId; });
    return found == bus.allow.end() ? nullptr : &*found;
}

Status peerClientConfigFromSite(const site::BusSettings& bus, const std::string& sourceId, ClientConfig& config,
                                const PeerNeeds& needs) {
    config.sourceId = sourceId;
    config.frontendEndpoint = bus.frontend;
    config.publisherEndpoint = bus.publisher;
    config.heartbeatMs = bus.heartbeatMs;
    config.curve.reset();
    if (!bus.curve) {
        return Status::success();
    }
    const site::BusAllow* entry = findAllowEntry(bus, sourceId);
    if (entry == nullptr) {
        return Status::failure("bus: security = \"curve\" and '" + sourceId + "' has no key of its own in " +
                               where(bus.pos) + "; expected " + entryToWrite(sourceId, needs));
    }
    if (entry->secretKeyFile.empty()) {
        return Status::failure("bus: " + where(entry->pos) + ": [[bus.allow]] '" + sourceId +
                               "' has no secret_key_file, and '" + sourceId +
                               "' runs here with that key; expected secret_key_file = \"PATH\" naming the file with "
                               "the secret line of the 'ccoc-bus keygen' pair whose public line is its public_key");
    }
    CurveClientKeys keys;
    keys.publicKey = entry->publicKey;
    keys.serverPublicKey = bus.serverPublicKey;
    const std::string entryWhere = where(entry->secretKeyFilePos) + ": secret_key_file of [[bus.allow]] '" + sourceId + "'";
    if (Status read = readCurveSecretKeyFile(entry->secretKeyFile, keys.secretKey); !read.ok()) {
        const std::string_view reason = std::string_view(read.error).substr(read.error.rfind("bus: ", 0) == 0 ? 5 : 0);
        return Status::failure("bus: " + entryWhere + ": " + std::string(reason));
    }
    bool match = false;
    if (Status checked = curveKeysMatch(keys.publicKey, keys.secretKey, match); !checked.ok()) {
        return Status::failure(checked.error + " (" + entryWhere + ", file " + entry->secretKeyFile + ")");
    }
    if (!match) {
        return Status::failure("bus: " + entryWhere + ": the secret key in " + entry->secretKeyFile +
                               " does not belong to the entry's public_key; expected the secret line of the same "
                               "'ccoc-bus keygen' pair as public_key (the broker would refuse this peer)");
    }
    config.curve = std::move(keys);
    return Status::success();
}

} // namespace ccoc::bus
