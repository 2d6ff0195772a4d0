// The bus: [bus] and its allow-list [[bus.allow]] (sdk/docs/bus-protocol.md sections 1 and 10).
#include "site_sections.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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

// The public half of a key pair file as 'ccoc-bus keygen' writes it (public = "..." and
// secret = "..."), for a key whose public half the site file leaves out: a site whose keys are
// made on the machine that runs it (the demo) then names each pair once, by its file. Problems are
// reported at `where`, the position of the key that names the file.
std::string publicKeyFromPairFile(const std::string& file, const SourcePos& where, const std::string& fileKey,
                                  const std::string& publicKey, DiagnosticSink& sink) {
    const std::string expected = "the whole output of 'ccoc-bus keygen' (public = \"...\" and secret = \"...\") in " +
                                 file + ", or '" + publicKey + "' given in the site file";
    std::ifstream in(file);
    if (!in) {
        sink.add(where, "'" + fileKey + "' names " + file + ", which cannot be read (" + std::strerror(errno) +
                            "), and '" + publicKey + "' is not given, so the public key is unknown",
                 expected);
        return {};
    }
    std::stringstream content;
    content << in.rdbuf();
    const std::string text = content.str();
    const size_t name = text.find("public");
    const size_t open = name == std::string::npos ? name : text.find('"', name);
    const size_t close = open == std::string::npos ? open : text.find('"', open + 1);
    const std::string key = close == std::string::npos ? std::string() : text.substr(open + 1, close - open - 1);
    if (!isZ85Key(key)) {
        sink.add(where, "'" + fileKey + "' names " + file + ", which holds no public = \"...\" line with a CURVE public key, and '" +
                            publicKey + "' is not given",
                 expected);
        return {};
    }
    return key;
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
        // public_key may be left out when secret_key_file names the pair's file (read below).
        entry.publicKey = readPublicKey(reader, "public_key", reader.has("secret_key_file") ? Need::optional : Need::required);
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
                if (!reader.has("public_key")) {
                    entry.publicKey = publicKeyFromPairFile(entry.secretKeyFile, entry.secretKeyFilePos,
                                                            "secret_key_file' of [[bus.allow]] '" + entry.name,
                                                            "public_key", ctx.sink);
                }
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
    // Positions for the open-bus notice (bus_security.cpp), which points at what to change.
    for (auto [key, target] : {std::pair{"security", &bus.securityPos}, std::pair{"frontend", &bus.frontendPos},
                               std::pair{"publisher", &bus.publisherPos}}) {
        if (reader.has(key)) {
            *target = reader.posOf(key);
        }
    }
    // server_public_key and client_public_key may be left out when the matching secret key file is
    // the pair's whole 'ccoc-bus keygen' output: the public half is read from it.
    const bool serverPairFile = reader.has("server_secret_key_file") && !reader.has("server_public_key");
    bus.serverPublicKey =
        readPublicKey(reader, "server_public_key", bus.curve && !serverPairFile ? Need::required : Need::optional);
    bus.clientPublicKey = readPublicKey(reader, "client_public_key", Need::optional);
    if (auto file = reader.string("server_secret_key_file", Need::optional)) {
        bus.serverSecretKeyFile = ctx.resolvePath(*file);
        if (bus.curve && serverPairFile && !file->empty()) {
            bus.serverPublicKey = publicKeyFromPairFile(bus.serverSecretKeyFile, reader.posOf("server_secret_key_file"),
                                                        "server_secret_key_file", "server_public_key", ctx.sink);
        }
    }
    if (auto file = reader.string("client_secret_key_file", Need::optional)) {
        bus.clientSecretKeyFile = ctx.resolvePath(*file);
        if (bus.curve && !reader.has("client_public_key") && !file->empty()) {
            bus.clientPublicKey = publicKeyFromPairFile(bus.clientSecretKeyFile, reader.posOf("client_secret_key_file"),
                                                        "client_secret_key_file", "client_public_key", ctx.sink);
        }
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
        if ((bus.clientPublicKey.empty() && !reader.has("client_secret_key_file")) || bus.clientSecretKeyFile.empty()) {
            reader.reportMissing("client_public_key", "the host's own key pair (client_public_key and "
                                                      "client_secret_key_file) when security = \"curve\"");
        }
    }
    if (const toml::node* allow = reader.node("allow")) {
        readAllow(*allow, ctx, bus);
    }
}

} // namespace ccoc::site::detail
