// Reading the MQTT driver's TLS keys (tls, ca_file, ca_path, cert_file, key_file,
// key_password_env, tls_version, tls_insecure): part of readSettings, in a file of its own.
#pragma once

#include "mqtt_settings.hpp"
#include "settings_fields.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::mqtt {

// Reads the TLS keys of `table` into `tls`. Every file named is checked now, so that a wrong path
// stops the driver at start rather than failing each connection: an absolute path, present,
// readable, and PEM of the expected kind. Mistakes go to `errors` ("settings: 'ca_file' is
// \"/etc/x.crt\", which does not exist; expected ..."), each starting with the key's "FILE:LINE:COL: "
// when `where` knows it. The key password is never in a message.
void readTlsSettings(const nlohmann::json& table, TlsSettings& tls, std::vector<std::string>& errors,
                     const std::function<std::optional<std::string>(const std::string&)>& getenv,
                     const detail::SettingsWhere& where = {});

} // namespace ccoc::mqtt
