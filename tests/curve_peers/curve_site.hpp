// A CURVE site for the tests of peers with keys of their own: key pairs made with libzmq, their
// secret halves in files next to the site file, private ipc:// endpoints, and a broker started
// from the site's own [bus] section.
#pragma once

#include "bus_test_util.hpp"

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/site_config.hpp"
#include "ccoc/site.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <string>

namespace ccoc::curve_test {

struct KeyPair {
    std::string publicKey;
    std::string secretKey;
    KeyPair() { REQUIRE(bus::generateCurveKeyPair(publicKey, secretKey).ok()); }
};

// Keys by name ("broker", "host", "alarms", ...), each written to keys/NAME.key as
// `ccoc-bus keygen` prints them.
class CurveSite {
public:
    bus::test::TempDir dir;
    std::map<std::string, KeyPair> keys;

    CurveSite() { std::filesystem::create_directory(dir.path / "keys"); }

    KeyPair& key(const std::string& name) {
        auto [it, made] = keys.try_emplace(name);
        if (made) {
            std::ofstream(dir.path / "keys" / (name + ".key"))
                << "public = \"" << it->second.publicKey << "\"\nsecret = \"" << it->second.secretKey << "\"\n";
        }
        return it->second;
    }
    [[nodiscard]] std::string frontend() const { return "ipc://" + (dir.path / "frontend").string(); }
    [[nodiscard]] std::string publisher() const { return "ipc://" + (dir.path / "publisher").string(); }
    [[nodiscard]] std::string path() const { return (dir.path / "site.toml").string(); }

    // [bus] with the broker's and the host's keys, then `rest` (allow entries, drivers...).
    std::string busSection(const std::string& rest) {
        return "[bus]\nfrontend = \"" + frontend() + "\"\npublisher = \"" + publisher() +
               "\"\nsecurity = \"curve\"\nserver_public_key = \"" + key("broker").publicKey +
               "\"\nserver_secret_key_file = \"keys/broker.key\"\nclient_public_key = \"" + key("host").publicKey +
               "\"\nclient_secret_key_file = \"keys/host.key\"\nheartbeat_ms = 100\noffline_after_ms = 400\n\n" +
               "[[bus.allow]]\nname = \"host\"\npublic_key = \"" + key("host").publicKey +
               "\"\npublish = [\"cmd/\", \"event/\"]\n\n" + rest;
    }

    // An allow entry for `name` with the public key of `publicOf` and the secret file of `secretOf`
    // (the same name for a matching pair); an empty secretOf writes no secret_key_file.
    std::string allow(const std::string& name, const std::string& publicOf, const std::string& secretOf,
                      const std::string& rights) {
        std::string text = "[[bus.allow]]\nname = \"" + name + "\"\npublic_key = \"" + key(publicOf).publicKey + "\"\n";
        if (!secretOf.empty()) {
            key(secretOf);
            text += "secret_key_file = \"keys/" + secretOf + ".key\"\n";
        }
        return text + rights + "\n";
    }

    // Writes site.toml and loads it back.
    site::Site write(const std::string& text) {
        std::ofstream(path()) << text;
        site::LoadResult loaded = site::loadSiteFile(path());
        for (const auto& error : loaded.errors) {
            UNSCOPED_INFO(error.format());
        }
        REQUIRE(loaded.ok());
        return std::move(*loaded.site);
    }

    // A broker from the site's [bus], logging into `logs`.
    std::unique_ptr<bus::Broker> broker(const site::Site& site, bus::test::LogCollector& logs) {
        bus::BrokerConfig config;
        REQUIRE(bus::brokerConfigFromSite(site.bus, config).ok());
        config.log = logs.sink();
        auto made = std::make_unique<bus::Broker>(config);
        REQUIRE(made->start().ok());
        return made;
    }

    // Whether `text` holds any secret key of this site.
    bool holdsSecret(const std::string& text) const {
        for (const auto& [name, pair] : keys) {
            if (text.find(pair.secretKey) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
};

// The lines every test site starts with (a station and a screen).
inline const std::string kStation = R"([site]
name = "สถานีตำรวจทดสอบ"
name_en = "Test Police Station"
station_code = "TST-0001"

[[screen]]
id = "main"
width = 800
height = 600

)";

} // namespace ccoc::curve_test
