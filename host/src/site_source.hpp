// The site file's TOML read again, for what the Site model keeps without a position: where a key
// was written (messages about [bus] key files name the line of the key), and the environment
// variables that plugins' and drivers' settings name for their secrets (keys ending in "_env").
//
// Thread: any; no shared state. Reads the file each call (only on the paths that report problems).
#pragma once

#include "ccoc/site.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ccoc::host {

// FILE:LINE:COL of the value of `tomlPath` (toml++ path syntax: "bus.server_secret_key_file",
// "driver[1].settings.tls"). When the file or the key cannot be found: {siteFile, 0, 0}, which
// formats as the file name alone. Never throws.
site::SourcePos keyPosition(const std::string& siteFile, std::string_view tomlPath);

// "FILE:LINE:COL" (or "FILE" when the line is unknown), as site diagnostics write positions.
std::string formatPosition(const site::SourcePos& pos);

// A settings key that names an environment variable: `key_password_env = "MQTT_KEY_PASSWORD"`.
struct EnvReference {
    std::string owner;    // "[[driver]] 'mqtt-1'", "[[panel]] 'wall'": whose settings hold it
    std::string key;      // dotted key inside the settings table: "tls.key_password_env"
    std::string variable; // the variable's name (never its value)
    site::SourcePos pos;  // of the value
};

// Every string value under `settings` of [[driver]], [[plugin]], [[panel]] and [[device]] whose
// key ends in "_env" (the naming rule of CCOC settings for secrets kept out of the file). An
// unreadable or unparsable file gives none (loadSiteFile already said why). Never throws.
std::vector<EnvReference> settingsEnvReferences(const std::string& siteFile);

} // namespace ccoc::host
