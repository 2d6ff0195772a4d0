#include "mqtt_tls_settings.hpp"

#include "settings_fields.hpp"

#include "ccoc/env_name.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace ccoc::mqtt {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

// PEM files are small; more than this is not a certificate or a key.
constexpr std::streamsize kMaxPemBytes = 1 << 20;

class TlsReader {
public:
    TlsReader(const Json& table, std::vector<std::string>& errors, const detail::SettingsWhere& where)
        : table_(table), errors_(errors), where_(where)
    {
    }

    // `key`: the key the mistake is about, for its position in the site file.
    void fail(const std::string& key, const std::string& what, const std::string& expected)
    {
        errors_.push_back(detail::wherePrefix(where_, key) + "settings: " + what + "; expected " + expected);
    }

    bool has(const char* key) const { return table_.contains(key); }

    std::string text(const char* key) { return detail::textField(table_, key, {}, failer()); }

    bool flag(const char* key) { return detail::flagField(table_, key, failer()); }

    detail::FieldFail failer()
    {
        return [this](const std::string& key, const std::string& what, const std::string& expected) {
            fail(key, what, expected);
        };
    }

    // The contents of the file `key` names when it is an absolute path to a readable regular
    // file; nullopt (and a message naming the key, the file and `expected`) otherwise.
    std::optional<std::string> readFile(const char* key, const std::string& path, const std::string& expected)
    {
        const std::string where = "'" + std::string(key) + "' is \"" + path + "\"";
        if (path.empty()) {
            fail(key, "'" + std::string(key) + "' is empty", expected);
            return std::nullopt;
        }
        // ccoc-driverd's working folder is no place an integrator can rely on.
        if (!fs::path(path).is_absolute()) {
            fail(key, where + ", a relative path", "an absolute path to " + expected);
            return std::nullopt;
        }
        std::error_code error;
        const auto status = fs::status(path, error);
        if (!fs::exists(status)) {
            fail(key, where + ", which does not exist", expected);
            return std::nullopt;
        }
        if (!fs::is_regular_file(status)) {
            fail(key, where + ", which is not a file", expected);
            return std::nullopt;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            fail(key, where + ", which cannot be read (" + std::strerror(errno) + ")",
                 expected + " readable by the user running ccoc-driverd");
            return std::nullopt;
        }
        std::string contents(static_cast<size_t>(kMaxPemBytes), '\0');
        in.read(contents.data(), kMaxPemBytes);
        contents.resize(static_cast<size_t>(in.gcount()));
        return contents;
    }

    // A PEM file holding `marker` ("-----BEGIN CERTIFICATE-----"); the path when it does.
    std::string pemFile(const char* key, const std::string& marker, const std::string& expected)
    {
        const std::string path = text(key);
        if (!has(key) || !table_[key].is_string()) {
            return {};
        }
        const auto contents = readFile(key, path, expected);
        if (!contents) {
            return path;
        }
        if (contents->find(marker) == std::string::npos) {
            fail(key, "'" + std::string(key) + "' is \"" + path + "\", which holds no " + marker + " block",
                 expected + " in PEM form");
        }
        return path;
    }

private:
    const Json& table_;
    std::vector<std::string>& errors_;
    const detail::SettingsWhere& where_;
};

constexpr const char* kCaExpected = "the PEM file of the CA certificate(s) that signed the broker's certificate";
constexpr const char* kCertExpected = "the PEM file of this driver's client certificate";
constexpr const char* kKeyExpected = "the PEM file of the client certificate's private key";

void readKeyPassword(TlsReader& reader, TlsSettings& tls, bool keyEncrypted,
                     const std::function<std::optional<std::string>(const std::string&)>& getenv)
{
    const std::string passwordEnv = reader.text("key_password_env");
    if (!passwordEnv.empty()) {
        if (tls.keyFile.empty()) {
            reader.fail("key_password_env", "'key_password_env' is set without 'key_file'",
                        "'key_file' too (the password opens an encrypted client key)");
        } else if (!isEnvName(passwordEnv)) {
            // Sometimes the password itself is typed here: never quote what is no variable's name.
            reader.fail("key_password_env",
                        "'key_password_env' is not a name of an environment variable (its value is not shown: it "
                        "may be the password)",
                        std::string(kEnvNameExpectation));
        } else if (auto value = getenv(passwordEnv)) {
            tls.keyPassword = *value;
        } else {
            reader.fail("key_password_env", "'key_password_env' names " + passwordEnv + ", which is not set",
                        "an environment variable holding the password of 'key_file'");
        }
    } else if (keyEncrypted) {
        reader.fail("key_file",
                    "'key_file' is \"" + tls.keyFile + "\", an encrypted key, and 'key_password_env' is not set",
                    "'key_password_env': an environment variable holding the key's password");
    }
}

} // namespace

void readTlsSettings(const Json& table, TlsSettings& tls, std::vector<std::string>& errors,
                     const std::function<std::optional<std::string>(const std::string&)>& getenv,
                     const detail::SettingsWhere& where)
{
    TlsReader reader(table, errors, where);
    tls.enabled = reader.flag("tls");
    if (!tls.enabled) {
        for (const char* key : {"ca_file", "ca_path", "cert_file", "key_file", "key_password_env", "tls_version",
                                "tls_insecure"}) {
            if (table.contains(key)) {
                reader.fail(key, "'" + std::string(key) + "' is set but 'tls' is not true",
                            "tls = true to connect over TLS (or no TLS keys at all)");
            }
        }
        return;
    }
    tls.caFile = reader.pemFile("ca_file", "-----BEGIN CERTIFICATE-----", kCaExpected);
    if (table.contains("ca_path")) {
        tls.caPath = reader.text("ca_path");
        std::error_code error;
        if (tls.caPath.empty() || !std::filesystem::path(tls.caPath).is_absolute() ||
            !std::filesystem::is_directory(tls.caPath, error)) {
            reader.fail("ca_path", "'ca_path' is \"" + tls.caPath + "\", which is not a folder",
                        "the absolute path of a folder of CA certificates prepared with c_rehash");
        } else if (::access(tls.caPath.c_str(), R_OK | X_OK) != 0) {
            reader.fail("ca_path",
                        "'ca_path' is \"" + tls.caPath + "\", which cannot be read (" + std::strerror(errno) + ")",
                        "a folder of CA certificates readable by the user running ccoc-driverd");
        }
    }
    if (!table.contains("ca_file") && !table.contains("ca_path")) {
        reader.fail("tls", "'tls' is true but neither 'ca_file' nor 'ca_path' is set",
                    "'ca_file': " + std::string(kCaExpected) + " (or 'ca_path': a folder of CA certificates)");
    }

    tls.certFile = reader.pemFile("cert_file", "-----BEGIN CERTIFICATE-----", kCertExpected);
    bool keyEncrypted = false;
    if (table.contains("key_file")) {
        tls.keyFile = reader.text("key_file");
        // A key_file that is no string was reported by text().
        const auto contents = table["key_file"].is_string()
                                  ? reader.readFile("key_file", tls.keyFile, kKeyExpected)
                                  : std::nullopt;
        if (contents && contents->find("PRIVATE KEY-----") == std::string::npos) {
            reader.fail("key_file", "'key_file' is \"" + tls.keyFile + "\", which holds no PRIVATE KEY block",
                        std::string(kKeyExpected) + " in PEM form");
        }
        keyEncrypted = contents && contents->find("ENCRYPTED") != std::string::npos;
    }
    if (table.contains("cert_file") && !table.contains("key_file")) {
        reader.fail("cert_file", "'cert_file' is set without 'key_file'",
                    "both: 'key_file', " + std::string(kKeyExpected));
    }
    if (table.contains("key_file") && !table.contains("cert_file")) {
        reader.fail("key_file", "'key_file' is set without 'cert_file'",
                    "both: 'cert_file', " + std::string(kCertExpected));
    }
    readKeyPassword(reader, tls, keyEncrypted, getenv);

    tls.version = reader.text("tls_version");
    if (!tls.version.empty() && tls.version != "tlsv1.2" && tls.version != "tlsv1.3") {
        reader.fail("tls_version", "'tls_version' is \"" + tls.version + "\"",
                    "\"tlsv1.2\" or \"tlsv1.3\" (or no 'tls_version')");
    }
    tls.insecure = reader.flag("tls_insecure");
}

} // namespace ccoc::mqtt
