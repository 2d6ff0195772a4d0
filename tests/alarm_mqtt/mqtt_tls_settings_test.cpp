// The MQTT driver's TLS keys as read at load: what each mistake says (key, file, what was
// expected), defaults, and that the client key's password is never echoed. Uses small PEM-shaped
// files in a temp folder; their contents are never parsed as real certificates here.
#include <catch2/catch.hpp>

#include "mqtt_settings.hpp"

#include <nlohmann/json.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace ccoc::mqtt;
using Json = nlohmann::json;

namespace {

class PemFolder {
public:
    PemFolder()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "ccoc-mqtt-tls-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        dir_ = pattern;
        write("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        write("client.crt", "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
        write("client.key", "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n");
        write("locked.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIHs\n-----END ENCRYPTED PRIVATE KEY-----\n");
        write("notes.txt", "not a certificate\n");
    }
    ~PemFolder()
    {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    PemFolder(const PemFolder&) = delete;
    PemFolder& operator=(const PemFolder&) = delete;
    PemFolder(PemFolder&&) = delete;
    PemFolder& operator=(PemFolder&&) = delete;

    [[nodiscard]] std::string path(const std::string& name) const { return dir_ + "/" + name; }

private:
    void write(const std::string& name, const std::string& text) { std::ofstream(path(name)) << text; }
    std::string dir_;
};

const Json kSensors = {{{"device", "d"}, {"name", "n"}}};

SettingsResult readWith(Json table, const std::map<std::string, std::string>& env = {})
{
    table["sensor"] = kSensors;
    return readSettings(table.dump(), "mqtt-1", [&env](const std::string& name) -> std::optional<std::string> {
        const auto it = env.find(name);
        return it != env.end() ? std::optional<std::string>(it->second) : std::nullopt;
    });
}

std::string allErrors(const SettingsResult& read)
{
    std::string all;
    for (const auto& e : read.errors) {
        all += e + "\n";
    }
    return all;
}

} // namespace

TEST_CASE("alarm_mqtt/settings tls: a CA file, a client certificate with an encrypted key, defaults and port 8883")
{
    PemFolder pem;
    const SettingsResult plain = readWith({});
    REQUIRE(plain.ok());
    CHECK_FALSE(plain.settings.tls.enabled);
    CHECK(plain.settings.port == 1883);

    const SettingsResult read = readWith({{"tls", true},
                                          {"ca_file", pem.path("ca.crt")},
                                          {"cert_file", pem.path("client.crt")},
                                          {"key_file", pem.path("locked.key")},
                                          {"key_password_env", "KEY_PW"},
                                          {"tls_version", "tlsv1.3"}},
                                         {{"KEY_PW", "k3y-pw"}});
    INFO(allErrors(read));
    REQUIRE(read.ok());
    const TlsSettings& tls = read.settings.tls;
    CHECK(tls.enabled);
    CHECK(tls.caFile == pem.path("ca.crt"));
    CHECK(tls.certFile == pem.path("client.crt"));
    CHECK(tls.keyFile == pem.path("locked.key"));
    CHECK(tls.keyPassword == "k3y-pw");
    CHECK(tls.version == "tlsv1.3");
    CHECK_FALSE(tls.insecure);
    CHECK(read.settings.port == 8883);
    CHECK(readWith({{"tls", true}, {"ca_file", pem.path("ca.crt")}, {"port", 18883}}).settings.port == 18883);
}

TEST_CASE("alarm_mqtt/settings tls: every mistake names the key, the file and what was expected")
{
    PemFolder pem;
    const auto errorsOf = [](const SettingsResult& read) {
        CHECK_FALSE(read.ok());
        return allErrors(read);
    };
    std::string all = errorsOf(readWith({{"tls", true}}));
    CHECK(all.find("settings: 'tls' is true but neither 'ca_file' nor 'ca_path' is set; expected 'ca_file': the PEM "
                   "file of the CA certificate(s) that signed the broker's certificate") != std::string::npos);

    all = errorsOf(readWith({{"tls", true}, {"ca_file", pem.path("nope.crt")}}));
    CHECK(all.find("settings: 'ca_file' is \"" + pem.path("nope.crt") + "\", which does not exist; expected the PEM "
                   "file of the CA") != std::string::npos);
    all = errorsOf(readWith({{"tls", true}, {"ca_file", "ca.crt"}}));
    CHECK(all.find("settings: 'ca_file' is \"ca.crt\", a relative path; expected an absolute path to the PEM file") !=
          std::string::npos);
    all = errorsOf(readWith({{"tls", true}, {"ca_file", pem.path("notes.txt")}}));
    CHECK(all.find("'ca_file' is \"" + pem.path("notes.txt") +
                   "\", which holds no -----BEGIN CERTIFICATE----- block; expected") != std::string::npos);
    all = errorsOf(readWith({{"tls", true}, {"ca_path", pem.path("ca.crt")}}));
    CHECK(all.find("'ca_path' is \"" + pem.path("ca.crt") + "\", which is not a folder") != std::string::npos);

    all = errorsOf(readWith({{"tls", true}, {"ca_file", pem.path("ca.crt")}, {"cert_file", pem.path("client.crt")}}));
    CHECK(all.find("settings: 'cert_file' is set without 'key_file'; expected both") != std::string::npos);
    all = errorsOf(readWith({{"tls", true}, {"ca_file", pem.path("ca.crt")}, {"key_file", pem.path("client.key")}}));
    CHECK(all.find("settings: 'key_file' is set without 'cert_file'; expected both") != std::string::npos);
    all = errorsOf(readWith({{"tls", true},
                             {"ca_file", pem.path("ca.crt")},
                             {"cert_file", pem.path("client.crt")},
                             {"key_file", pem.path("client.crt")}}));
    CHECK(all.find("'key_file' is \"" + pem.path("client.crt") + "\", which holds no PRIVATE KEY block") !=
          std::string::npos);
    all = errorsOf(readWith({{"tls", true},
                             {"ca_file", pem.path("ca.crt")},
                             {"cert_file", pem.path("client.crt")},
                             {"key_file", pem.path("locked.key")}}));
    CHECK(all.find("an encrypted key, and 'key_password_env' is not set; expected 'key_password_env'") !=
          std::string::npos);
    all = errorsOf(readWith({{"tls", true},
                             {"ca_file", pem.path("ca.crt")},
                             {"cert_file", pem.path("client.crt")},
                             {"key_file", pem.path("locked.key")},
                             {"key_password_env", "UNSET_KEY_PW"}}));
    CHECK(all.find("'key_password_env' names UNSET_KEY_PW, which is not set") != std::string::npos);

    all = errorsOf(readWith({{"tls", true}, {"ca_file", pem.path("ca.crt")}, {"tls_version", "tlsv1"}}));
    CHECK(all.find("'tls_version' is \"tlsv1\"; expected \"tlsv1.2\" or \"tlsv1.3\"") != std::string::npos);
    all = errorsOf(readWith({{"tls", "yes"}}));
    CHECK(all.find("settings: 'tls' is \"yes\"; expected true or false") != std::string::npos);
    all = errorsOf(readWith({{"ca_file", pem.path("ca.crt")}}));
    CHECK(all.find("settings: 'ca_file' is set but 'tls' is not true; expected tls = true") != std::string::npos);
    all = errorsOf(readWith({{"tls", true}, {"ca_file", pem.path("ca.crt")}, {"tls_insecure", 1}}));
    CHECK(all.find("settings: 'tls_insecure' is 1; expected true or false") != std::string::npos);
}
