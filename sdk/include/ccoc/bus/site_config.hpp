// The site file's [bus] section (ccoc::site::BusSettings) turned into broker and client settings,
// for the host, ccoc-bus and ccoc-driverd. Reads key files; never logs or returns their contents
// in messages.
//
// Thread: any; no shared state.
#pragma once

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/client.hpp"
#include "ccoc/site.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ccoc::bus {

// Reads a CURVE secret key from a file: either the 40-character Z85 key alone, or the output of
// `ccoc-bus keygen` (the `secret = "..."` line). Errors name the file and what was expected.
Status readCurveSecretKeyFile(const std::string& path, std::string& secretKey);

// Endpoints, timings, journal and security (with the allow-list) of [bus]. With CURVE, reads the
// broker's secret key file. The log sink is left as it is.
Status brokerConfigFromSite(const site::BusSettings& bus, BrokerConfig& config);

// Endpoints and heartbeat of [bus] for a client; with CURVE, the host's own key pair (reads its
// secret key file and checks that it is the secret half of client_public_key) and the broker's
// public key. Errors name the file, never a key.
Status clientConfigFromSite(const site::BusSettings& bus, ClientConfig& config);

// Whether `secretKey` is the secret half of `publicKey` (both Z85). Error: the secret key is not
// Z85 text, or libzmq lacks CURVE. Neither key appears in a message.
Status curveKeysMatch(const std::string& publicKey, const std::string& secretKey, bool& match);

// The [[bus.allow]] entry named `sourceId`, or null.
const site::BusAllow* findAllowEntry(const site::BusSettings& bus, std::string_view sourceId);

// What a peer's [[bus.allow]] entry must let it do, for the message that says it has no key:
// e.g. publish = ["state/alarms/"] and devices = ["alarms"]. Empty: not said.
struct PeerNeeds {
    std::vector<std::string> publish;
    std::vector<std::string> devices;
};

// Client settings for a peer the host runs or launches under its own source id: the camera
// wall ("wall.PANEL"), the alarm service ("alarms"), a [[driver]] under ccoc-driverd (its id).
// Sets sourceId, endpoints and heartbeat of [bus]. With CURVE, the key pair is the public_key and
// secret_key_file of the [[bus.allow]] entry named `sourceId`, checked to belong together.
// Errors (config.curve left empty), each saying what to write or fix and never a key:
//  - no entry named `sourceId`, or one without secret_key_file (names the entry and its keys);
//  - the key file missing, unreadable or not a key (FILE:LINE:COL of secret_key_file, the file);
//  - its secret key is not the secret half of the entry's public_key.
Status peerClientConfigFromSite(const site::BusSettings& bus, const std::string& sourceId, ClientConfig& config,
                                const PeerNeeds& needs = {});

} // namespace ccoc::bus
