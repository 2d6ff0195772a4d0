// The bus: [bus] and its allow-list [[bus.allow]] (sdk/docs/bus-protocol.md sections 1 and 10).
#include "site_sections.hpp"

namespace ccoc::site::detail {
namespace {

bool isZ85Key(std::string_view key) noexcept {
    static constexpr std::string_view kAlphabet =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    if (key.size() != 40) {
        return false;
    }
    for (const char c : key) {
        if (kAlphabet.find(c) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

bool isEndpoint(std::string_view endpoint) noexcept {
    return endpoint.starts_with("tcp://") || endpoint.starts_with("ipc://") || endpoint.starts_with("inproc://");
}

constexpr std::string_view kKeyExpected = "40 characters of Z85 text, as printed by 'ccoc-bus keygen'";

std::string readPublicKey(TableReader& reader, std::string_view key, Need need) {
    auto text = reader.string(key, need);
    if (text && !isZ85Key(*text)) {
        reader.sink().add(reader.posOf(key), "'" + std::string(key) + "' of " + reader.name() + " is not a CURVE public key",
                          std::string(kKeyExpected));
        return {};
    }
    return text.value_or("");
}

void readAllow(const toml::node& value, LoadContext& ctx, BusSettings& bus) {
    const auto* array = value.as_array();
    if (array == nullptr) {
        ctx.sink.add(ctx.sink.at(value.source()), "'allow' of [bus] must be an array of tables",
                     "[[bus.allow]] sections, one per driver or console key");
        return;
    }
    for (const toml::node& element : *array) {
        const toml::table* table = element.as_table();
        if (table == nullptr) {
            ctx.sink.add(ctx.sink.at(element.source()), "an element of [[bus.allow]] is not a table",
                         "[[bus.allow]] name = \"sim-1\" public_key = \"...\"");
            continue;
        }
        TableReader reader(*table, "[[bus.allow]]", {"name", "public_key", "secret_key_file", "publish", "devices"},
                           ctx.sink);
        BusAllow entry;
        entry.pos = reader.where();
        entry.name = reader.id("name", Need::required).value_or("");
        entry.publicKey = readPublicKey(reader, "public_key", Need::required);
        // Only the path is checked here: the file may live only on the machine that runs this
        // peer, so it is read (and matched against public_key) when the peer starts.
        if (auto file = reader.string("secret_key_file", Need::optional)) {
            if (file->empty()) {
                ctx.sink.add(reader.posOf("secret_key_file"),
                             "'secret_key_file' of [[bus.allow]] '" + entry.name + "' is empty",
                             "the path of the file with this key's secret half, relative to the site file "
                             "(\"keys/" + (entry.name.empty() ? std::string("alarms") : entry.name) + ".key\")");
            } else {
                entry.secretKeyFile = ctx.resolvePath(*file);
                entry.secretKeyFilePos = reader.posOf("secret_key_file");
            }
        }
        if (auto publish = reader.stringList("publish", Need::optional)) {
            for (auto& [prefix, where] : *publish) {
                const bool known = prefix.starts_with("state/") || prefix.starts_with("event/") ||
                                   prefix.starts_with("telemetry/") || prefix.starts_with("cmd/");
                if (!known || prefix.back() != '/') {
                    ctx.sink.add(where, "publish prefix '" + prefix + "' of [[bus.allow]] '" + entry.name + "' is not a topic prefix",
                                 "whole segments ending in '/', starting with state/, event/, telemetry/ or cmd/ "
                                 "(\"state/cam-1/\", \"cmd/\")");
                    continue;
                }
                entry.publish.push_back(std::move(prefix));
            }
        }
        if (auto devices = reader.stringList("devices", Need::optional)) {
            for (auto& [device, where] : *devices) {
                entry.devices.push_back(std::move(device));
            }
        }
        bus.allow.push_back(std::move(entry));
    }
}

} // namespace

void readBus(const toml::node& value, LoadContext& ctx) {
    const toml::table* table = sectionTable(value, "bus", ctx);
    if (table == nullptr) {
        return;
    }
    TableReader reader(*table, "[bus]",
                       {"broker", "frontend", "publisher", "security", "server_public_key", "server_secret_key_file",
                        "client_public_key", "client_secret_key_file", "journal", "heartbeat_ms", "offline_after_ms",
                        "max_rate", "max_message_bytes", "allow"},
                       ctx.sink);
    BusSettings& bus = ctx.site.bus;
    bus.present = true;
    bus.pos = reader.where();
    bus.embeddedBroker = reader.choice("broker", {"embedded", "external"}, Need::optional).value_or("embedded") == "embedded";
    for (auto [key, target] : {std::pair{"frontend", &bus.frontend}, std::pair{"publisher", &bus.publisher}}) {
        if (auto endpoint = reader.string(key, Need::optional)) {
            if (!isEndpoint(*endpoint)) {
                ctx.sink.add(reader.posOf(key), "'" + std::string(key) + "' of [bus] is not a ZeroMQ endpoint",
                             "tcp://HOST:PORT, ipc://PATH or inproc://NAME");
            } else {
                *target = *endpoint;
            }
        }
    }
    bus.curve = reader.choice("security", {"none", "curve"}, Need::optional).value_or("none") == "curve";
    bus.serverPublicKey = readPublicKey(reader, "server_public_key", bus.curve ? Need::required : Need::optional);
    bus.clientPublicKey = readPublicKey(reader, "client_public_key", Need::optional);
    if (auto file = reader.string("server_secret_key_file", Need::optional)) {
        bus.serverSecretKeyFile = ctx.resolvePath(*file);
    }
    if (auto file = reader.string("client_secret_key_file", Need::optional)) {
        bus.clientSecretKeyFile = ctx.resolvePath(*file);
    }
    if (auto journal = reader.string("journal", Need::optional); journal && !journal->empty()) {
        bus.journal = ctx.resolvePath(*journal);
    }
    bus.heartbeatMs = static_cast<int>(reader.integer("heartbeat_ms", 10, 60000, Need::optional).value_or(bus.heartbeatMs));
    bus.offlineAfterMs =
        static_cast<int>(reader.integer("offline_after_ms", 30, 600000, Need::optional).value_or(3 * bus.heartbeatMs));
    if (bus.offlineAfterMs <= bus.heartbeatMs) {
        ctx.sink.add(reader.posOf("offline_after_ms"), "'offline_after_ms' of [bus] is not longer than 'heartbeat_ms'",
                     "a few heartbeats, e.g. 3 x heartbeat_ms");
    }
    bus.maxRate = reader.number("max_rate", 0, 1e9, Need::optional).value_or(0);
    bus.maxMessageBytes =
        static_cast<size_t>(reader.integer("max_message_bytes", 4096, int64_t{1} << 31, Need::optional).value_or(0));
    if (bus.curve) {
        if (bus.embeddedBroker && bus.serverSecretKeyFile.empty()) {
            reader.reportMissing("server_secret_key_file", "the broker's secret key file when security = \"curve\" and "
                                                           "broker = \"embedded\"");
        }
        if (bus.clientPublicKey.empty() || bus.clientSecretKeyFile.empty()) {
            reader.reportMissing("client_public_key", "the host's own key pair (client_public_key and "
                                                      "client_secret_key_file) when security = \"curve\"");
        }
    }
    if (const toml::node* allow = reader.node("allow")) {
        readAllow(*allow, ctx, bus);
    }
}

} // namespace ccoc::site::detail
