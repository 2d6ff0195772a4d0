// [bus] of the site file -> BrokerConfig / ClientConfig.
#include "ccoc/bus/site_config.hpp"

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
    if (key.size() != 40) {
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
    config.curve = std::move(keys);
    return Status::success();
}

} // namespace ccoc::bus
