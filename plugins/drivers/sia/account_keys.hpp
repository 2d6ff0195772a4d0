// The per-account AES keys of the sia driver, from its settings table:
//   account.<ACCT>.key                = "<32, 48 or 64 hex digits>"  (in the file; prefer key_env)
//   account.<ACCT>.key_env            = "NAME"  (the environment variable that holds the hex key)
//   account.<ACCT>.require_encryption = true | false  (default true: plain frames are refused)
// In a site file these are a table [driver.settings.account.<ACCT>]; with ccoc-driverd --set
// they are dotted keys. Messages name the key and what was expected, never the key's value.
// Thread: any; reads the environment only through `getenv`.
#pragma once

#include "sia_settings.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ccoc::sia {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Reads the keys from `settingsJson` (the settings table as JSON, nested or with dotted keys)
// into settings.keys, for accounts of settings.accounts. Returns every mistake found, each as
// "account.1234.key_env: names CCOC_SIA_KEY_1234, which is not set; expected ...".
[[nodiscard]] std::vector<std::string> readAccountKeys(const std::string& settingsJson, SiaSettings& settings,
                                                       const EnvLookup& getenv);

} // namespace ccoc::sia
