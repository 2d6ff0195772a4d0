// Names of environment variables in settings (header-only).
//
// A setting whose key ends in "_env" (`password_env`, `key_env`, `key_password_env`) names the
// environment variable that holds a secret, so the secret stays out of the site file. What is
// written there is sometimes the secret itself ("password_env = \"secret-7\""), so a message about
// such a value must never quote it: say that it is not a name, and show the expected form.
//
// Thread: any; no state.
#pragma once

#include <string_view>

namespace ccoc {

// What a variable name must look like, for messages ("expected ...").
inline constexpr std::string_view kEnvNameExpectation =
    "the name of an environment variable: upper-case letters, digits and '_', not starting with a "
    "digit, e.g. CAM1_PASSWORD";

// true when `key` names an environment variable by the settings' naming rule: it ends in "_env"
// and has something before it ("password_env"; not "_env" itself).
[[nodiscard]] constexpr bool isEnvKey(std::string_view key) noexcept
{
    return key.size() > 4 && key.substr(key.size() - 4) == "_env";
}

// true when `name` looks like an environment variable's name: [A-Z_][A-Z0-9_]*.
[[nodiscard]] constexpr bool isEnvName(std::string_view name) noexcept
{
    if (name.empty() || (name.front() >= '0' && name.front() <= '9')) {
        return false;
    }
    for (char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

} // namespace ccoc
