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

namespace ccoc::bus {

// Reads a CURVE secret key from a file: either the 40-character Z85 key alone, or the output of
// `ccoc-bus keygen` (the `secret = "..."` line). Errors name the file and what was expected.
Status readCurveSecretKeyFile(const std::string& path, std::string& secretKey);

// Endpoints, timings, journal and security (with the allow-list) of [bus]. With CURVE, reads the
// broker's secret key file. The log sink is left as it is.
Status brokerConfigFromSite(const site::BusSettings& bus, BrokerConfig& config);

// Endpoints and heartbeat of [bus] for a client; with CURVE, the host's own key pair (reads its
// secret key file) and the broker's public key.
Status clientConfigFromSite(const site::BusSettings& bus, ClientConfig& config);

} // namespace ccoc::bus
