// resolveDriverKeys: the driver's own CURVE key pair from the site file or the command line.
#include "driver_keys.hpp"

#include "ccoc/bus/site_config.hpp"

namespace ccoc::driverd {

std::string resolveDriverKeys(const site::BusSettings* bus, const KeyOptions& given, RunnerOptions& options)
{
    options.curve.reset();
    if (bus != nullptr) {
        if (!bus->curve) {
            return {};
        }
        // The host hands the entry's file over again; a file or key given here wins, so a driver
        // can be tried by hand with another key without editing the site file.
        site::BusSettings settings = *bus;
        for (auto& entry : settings.allow) {
            if (entry.name != options.driverId) {
                continue;
            }
            if (!given.secretKeyFile.empty()) {
                entry.secretKeyFile = given.secretKeyFile;
                entry.secretKeyFilePos = site::SourcePos{"--secret-key-file", 0, 0};
            }
            if (!given.publicKey.empty()) {
                entry.publicKey = given.publicKey;
            }
        }
        if (!given.serverPublicKey.empty()) {
            settings.serverPublicKey = given.serverPublicKey;
        }
        bus::ClientConfig config;
        if (bus::Status keys = bus::peerClientConfigFromSite(settings, options.driverId, config); !keys.ok()) {
            return keys.error;
        }
        options.curve = config.curve;
        return {};
    }
    const bool any = !given.secretKeyFile.empty() || !given.publicKey.empty() || !given.serverPublicKey.empty();
    if (!any) {
        return {};
    }
    if (given.secretKeyFile.empty() || given.publicKey.empty() || given.serverPublicKey.empty()) {
        return "a CURVE bus needs all three of --secret-key-file, --public-key and --server-public-key (or "
               "CCOC_BUS_SECRET_KEY_FILE, CCOC_BUS_PUBLIC_KEY, CCOC_BUS_SERVER_PUBLIC_KEY), or --site";
    }
    bus::CurveClientKeys keys{given.publicKey, {}, given.serverPublicKey};
    if (bus::Status read = bus::readCurveSecretKeyFile(given.secretKeyFile, keys.secretKey); !read.ok()) {
        return read.error;
    }
    bool match = false;
    if (bus::Status checked = bus::curveKeysMatch(keys.publicKey, keys.secretKey, match); !checked.ok()) {
        return checked.error + " (file " + given.secretKeyFile + ")";
    }
    if (!match) {
        return "bus: the secret key in " + given.secretKeyFile +
               " does not belong to --public-key; expected the secret line of the same 'ccoc-bus keygen' pair";
    }
    options.curve = std::move(keys);
    return {};
}

} // namespace ccoc::driverd
