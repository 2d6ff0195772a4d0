#include "start_checks.hpp"

#include "site_source.hpp"

#include "ccoc/bus/site_config.hpp"

#include <cstdlib>
#include <filesystem>

namespace ccoc::host {
namespace {

// The SDK's readers name the file but not the line of the key that named it (the Site model keeps
// no position for [bus]'s own key files): put "bus: FILE:LINE:COL: KEY of [bus]: " in front, drop
// the SDK's own "bus: " and a position of the [bus] header, and add what was expected where the
// reason does not say it.
bus::Status atKey(const site::Site& site, std::string_view key, const std::string& error, std::string_view expected)
{
    std::string_view reason = error;
    if (reason.starts_with("bus: ")) {
        reason.remove_prefix(5);
    }
    const std::string header = formatPosition(site.bus.pos) + ": ";
    if (site.bus.pos.line != 0 && reason.starts_with(header)) {
        reason.remove_prefix(header.size());
    }
    const site::SourcePos pos = keyPosition(site.sourceFile, "bus." + std::string(key));
    std::string message = "bus: " + formatPosition(pos) + ": " + std::string(key) + " of [bus]: " + std::string(reason);
    if (reason.find("expected") == std::string_view::npos) {
        message += "; expected " + std::string(expected);
    }
    return bus::Status::failure(std::move(message));
}

} // namespace

bus::Status brokerConfigForSite(const site::Site& site, bus::BrokerConfig& config)
{
    constexpr std::string_view kExpected =
        "a readable file with the secret line of the 'ccoc-bus keygen' pair whose public line is server_public_key";
    if (bus::Status read = bus::brokerConfigFromSite(site.bus, config); !read.ok()) {
        return atKey(site, "server_secret_key_file", read.error, kExpected);
    }
    if (!config.security.curve) {
        return bus::Status::success();
    }
    bool match = false;
    if (bus::Status checked = bus::curveKeysMatch(site.bus.serverPublicKey, config.security.serverSecretKey, match);
        !checked.ok()) {
        return atKey(site, "server_secret_key_file", checked.error + " (file " + site.bus.serverSecretKeyFile + ")",
                     kExpected);
    }
    if (!match) {
        return atKey(site, "server_secret_key_file",
                     "the secret key in " + site.bus.serverSecretKeyFile +
                         " does not belong to server_public_key (every client's handshake would fail, the host's own "
                         "too)",
                     kExpected);
    }
    return bus::Status::success();
}

bus::Status hostClientConfigForSite(const site::Site& site, bus::ClientConfig& config)
{
    if (bus::Status read = bus::clientConfigFromSite(site.bus, config); !read.ok()) {
        return atKey(site, "client_secret_key_file", read.error,
                     "a readable file with the secret line of the 'ccoc-bus keygen' pair whose public line is "
                     "client_public_key");
    }
    return bus::Status::success();
}

namespace {

// The CURVE key of a peer this host starts under `id` ("[[driver]] sim-1", "[[service]] alarms").
std::optional<StartProblem> checkPeerKeys(const site::Site& site, const std::string& section, const std::string& id,
                                          bool bringsOwnKey, std::vector<std::pair<std::string, std::string>>* env)
{
    if (!site.bus.curve) {
        return std::nullopt;
    }
    bus::ClientConfig checked;
    const bus::Status keys = bus::peerClientConfigFromSite(site.bus, id, checked);
    if (keys.ok()) {
        if (env != nullptr) {
            // Only where the key is: the runner reads the file itself, so no secret is in its
            // environment or on its command line.
            const site::BusAllow* entry = bus::findAllowEntry(site.bus, id);
            env->emplace_back("CCOC_BUS_SECRET_KEY_FILE", entry->secretKeyFile);
            env->emplace_back("CCOC_BUS_PUBLIC_KEY", entry->publicKey);
            env->emplace_back("CCOC_BUS_SERVER_PUBLIC_KEY", site.bus.serverPublicKey);
        }
        return std::nullopt;
    }
    if (bringsOwnKey) {
        // A program in another language may bring its own key; the broker decides.
        return StartProblem{Severity::Warning, section + " " + id + ": no key from the site file (" + keys.error +
                                                   "); started without one"};
    }
    // The runner would only be refused by the broker, again at every restart.
    return StartProblem{Severity::Error, section + " " + id + " is not started: " + keys.error};
}

} // namespace

std::optional<StartProblem> checkDriverKeys(const site::Site& site, const site::Driver& driver,
                                            std::vector<std::pair<std::string, std::string>>* env)
{
    return checkPeerKeys(site, "[[driver]]", driver.id, !driver.command.empty(), env);
}

std::optional<StartProblem> checkServiceKeys(const site::Site& site, const site::Service& service,
                                             std::vector<std::pair<std::string, std::string>>* env)
{
    return checkPeerKeys(site, "[[service]]", service.id, false, env);
}

std::string findServicePlugin(const site::Service& service, const std::vector<std::string>& searchPath)
{
    namespace fs = std::filesystem;
    if (!service.path.empty()) {
        return service.path;
    }
    for (const auto& dir : searchPath) {
        const fs::path candidate = fs::path(dir) / "services" / (service.plugin + ".so");
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) {
            return candidate.string();
        }
    }
    return {};
}

std::string servicedPath(const std::string& executablePath)
{
    namespace fs = std::filesystem;
    if (const char* given = std::getenv("CCOC_SERVICED"); given != nullptr && *given != '\0') {
        return given;
    }
    std::error_code ec;
    const fs::path exeDir = fs::weakly_canonical(fs::path(executablePath), ec).parent_path();
    return (exeDir / "ccoc-serviced").string();
}

std::string findDriverPlugin(const site::Driver& driver, const std::vector<std::string>& searchPath)
{
    namespace fs = std::filesystem;
    if (!driver.path.empty()) {
        return driver.path;
    }
    for (const auto& dir : searchPath) {
        for (const fs::path& candidate : {fs::path(dir) / (driver.plugin + ".so"), fs::path(dir) / "drivers" / (driver.plugin + ".so")}) {
            std::error_code ec;
            if (fs::is_regular_file(candidate, ec)) {
                return candidate.string();
            }
        }
    }
    return {};
}

std::string driverdPath(const std::string& executablePath)
{
    namespace fs = std::filesystem;
    if (const char* given = std::getenv("CCOC_DRIVERD"); given != nullptr && *given != '\0') {
        return given;
    }
    std::error_code ec;
    const fs::path exeDir = fs::weakly_canonical(fs::path(executablePath), ec).parent_path();
    return (exeDir / "ccoc-driverd").string();
}

} // namespace ccoc::host
