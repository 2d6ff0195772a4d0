#include "open_bus.hpp"

#include "site_source.hpp"

#include <utility>

namespace ccoc::host {
namespace {

// The address part of tcp://ADDRESS:PORT (without brackets for IPv6), or of a bind to an interface.
std::string_view tcpAddress(std::string_view rest)
{
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

// Where to point the operator: `security` when it is written, else the endpoint's key, else [bus].
site::SourcePos positionFor(const site::Site& site, std::string_view endpointKey)
{
    for (const std::string_view key : {std::string_view("bus.security"), endpointKey}) {
        const site::SourcePos pos = keyPosition(site.sourceFile, key);
        if (pos.line != 0) {
            return pos;
        }
    }
    return site.bus.present ? site.bus.pos : site::SourcePos{site.sourceFile, 0, 0};
}

} // namespace

bool isLocalEndpoint(std::string_view endpoint)
{
    if (endpoint.starts_with("ipc://") || endpoint.starts_with("inproc://")) {
        return true;
    }
    if (!endpoint.starts_with("tcp://")) {
        return false;
    }
    const std::string_view address = tcpAddress(endpoint.substr(6));
    return address.starts_with("127.") || address == "localhost" || address == "::1" || address == "lo";
}

std::optional<OpenBusNotice> openBusNotice(const site::Site& site, const std::string& frontend,
                                           const std::string& publisher)
{
    if (site.bus.curve) {
        return std::nullopt;
    }
    for (const auto& [key, endpoint] : {std::pair{"bus.frontend", &frontend}, std::pair{"bus.publisher", &publisher}}) {
        if (isLocalEndpoint(*endpoint)) {
            continue;
        }
        const std::string name = std::string(key).substr(4);
        return OpenBusNotice{
            true, formatPosition(positionFor(site, key)) + ": the bus has no security (security = \"none\") and its " +
                      name + " " + *endpoint +
                      " can be reached from other machines: any of them can join as any driver or console, receive "
                      "its commands, raise alarms in its name and get the real one restarted as hung; expected "
                      "security = \"curve\" with a [[bus.allow]] key per peer (configs/README.md), or only "
                      "loopback endpoints (tcp://127.0.0.1:PORT, ipc://PATH)"};
    }
    return OpenBusNotice{false, formatPosition(positionFor(site, "bus.frontend")) +
                                    ": the bus has no security (security = \"none\") and listens on loopback only (" +
                                    frontend + ", " + publisher +
                                    "): any process of this machine can join as any driver or console; "
                                    "security = \"curve\" lets only the keys of [[bus.allow]] in"};
}

} // namespace ccoc::host
