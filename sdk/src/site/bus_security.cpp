// The open-bus notice (site.hpp): what a bus without security lets in, said where to change it.
#include "ccoc/site.hpp"

#include <tuple>
#include <utility>

namespace ccoc::site {
namespace {

// The address part of tcp://ADDRESS:PORT (without brackets for IPv6), or of a bind to an interface.
std::string_view tcpAddress(std::string_view rest) {
    // A connect may name its source first ("tcp://SOURCE;ADDRESS:PORT"): the peer is what counts.
    if (const size_t semicolon = rest.find(';'); semicolon != std::string_view::npos) {
        rest.remove_prefix(semicolon + 1);
    }
    if (rest.starts_with("[")) {
        const size_t close = rest.find(']');
        return close == std::string_view::npos ? rest : rest.substr(1, close - 1);
    }
    const size_t colon = rest.rfind(':');
    return colon == std::string_view::npos ? rest : rest.substr(0, colon);
}

// Where to point the operator: `security` when it is written, else the endpoint's key, else [bus],
// else the file.
SourcePos positionFor(const BusSettings& bus, const std::string& siteFile, const SourcePos& endpointPos) {
    for (const SourcePos* pos : {&bus.securityPos, &endpointPos, &bus.pos}) {
        if (pos->line != 0) {
            return *pos;
        }
    }
    return SourcePos{siteFile, 0, 0};
}

} // namespace

bool isLocalEndpoint(std::string_view endpoint) {
    if (endpoint.starts_with("ipc://") || endpoint.starts_with("inproc://")) {
        return true;
    }
    if (!endpoint.starts_with("tcp://")) {
        return false;
    }
    const std::string_view address = tcpAddress(endpoint.substr(6));
    return address.starts_with("127.") || address == "localhost" || address == "::1" || address == "lo";
}

std::optional<OpenBusNotice> openBusNotice(const BusSettings& bus, const std::string& siteFile,
                                           const std::string& frontend, const std::string& publisher) {
    if (bus.curve) {
        return std::nullopt;
    }
    for (const auto& [name, endpoint, pos] : {std::tuple{"frontend", &frontend, &bus.frontendPos},
                                              std::tuple{"publisher", &publisher, &bus.publisherPos}}) {
        if (isLocalEndpoint(*endpoint)) {
            continue;
        }
        const Diagnostic notice{positionFor(bus, siteFile, *pos),
                                std::string("the bus has no security (security = \"none\") and its ") + name + " " +
                                    *endpoint +
                                    " can be reached from other machines: any of them can join as any driver or "
                                    "console, receive its commands, raise alarms in its name and get the real one "
                                    "restarted as hung",
                                "security = \"curve\" with a [[bus.allow]] key per peer (configs/README.md), or only "
                                "loopback endpoints (tcp://127.0.0.1:PORT, ipc://PATH)"};
        return OpenBusNotice{true, notice.format()};
    }
    const Diagnostic note{positionFor(bus, siteFile, bus.frontendPos),
                          "the bus has no security (security = \"none\") and listens on loopback only (" + frontend +
                              ", " + publisher +
                              "): any process of this machine can join as any driver or console; security = "
                              "\"curve\" lets only the keys of [[bus.allow]] in",
                          ""};
    return OpenBusNotice{false, note.format()};
}

} // namespace ccoc::site
