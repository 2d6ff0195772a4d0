// The per-account AES keys of the sia driver (see account_keys.hpp).
#include "account_keys.hpp"

#include "ccoc/env_name.hpp"

#include <nlohmann/json.hpp>

#include <cctype>

namespace ccoc::sia {

namespace {

using Json = nlohmann::json;

constexpr const char* kExpectedKey = "32, 48 or 64 hex digits (an AES-128, -192 or -256 key)";

std::string upper(std::string text)
{
    for (char& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

bool isAccount(const std::string& text)
{
    if (text.empty() || text.size() > 16) {
        return false;
    }
    for (char c : text) {
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
            return false;
        }
    }
    return true;
}

// account (as written) -> field -> value, from both the nested and the dotted form.
using AccountFields = std::map<std::string, std::map<std::string, Json>>;

void collect(const Json& table, AccountFields& out, std::vector<std::string>& errors)
{
    for (const auto& [name, value] : table.items()) {
        if (name == "account") {
            if (!value.is_object()) {
                errors.emplace_back("account: not a table; expected [driver.settings.account.<ACCOUNT>] tables");
                continue;
            }
            for (const auto& [account, fields] : value.items()) {
                if (!fields.is_object()) {
                    errors.push_back("account." + account +
                                     ": not a table; expected key_env, key or require_encryption under it");
                    continue;
                }
                for (const auto& [field, fieldValue] : fields.items()) {
                    out[account][field] = fieldValue;
                }
            }
        } else if (name.rfind("account.", 0) == 0) {
            const size_t dot = name.rfind('.');
            if (dot <= 8) {
                errors.push_back(name + ": expected account.<ACCOUNT>.key_env, .key or .require_encryption");
                continue;
            }
            out[name.substr(8, dot - 8)][name.substr(dot + 1)] = value;
        }
    }
}

// The key text of one account, from key or key_env; nullopt (with an error) when unusable.
std::optional<std::string> keyTextOf(const std::string& where, const std::map<std::string, Json>& fields,
                                     const EnvLookup& getenv, std::vector<std::string>& errors)
{
    const auto inFile = fields.find("key");
    const auto inEnv = fields.find("key_env");
    if (inFile != fields.end() && inEnv != fields.end()) {
        errors.push_back(where + ": both 'key' and 'key_env' are set; expected one of them (key_env keeps the "
                                 "key out of the site file)");
        return std::nullopt;
    }
    if (inFile != fields.end()) {
        if (!inFile->second.is_string()) {
            errors.push_back(where + ".key: is not a text; expected a quoted string of " + kExpectedKey +
                             " (a key of digits only given with --set reads as a number: use key_env)");
            return std::nullopt;
        }
        return inFile->second.get<std::string>();
    }
    if (inEnv != fields.end()) {
        if (!inEnv->second.is_string() || inEnv->second.get<std::string>().empty()) {
            errors.push_back(where + ".key_env: expected the name of an environment variable holding the key");
            return std::nullopt;
        }
        const std::string variable = inEnv->second.get<std::string>();
        // Sometimes the key itself is typed here: never quote what is no variable's name.
        if (!isEnvName(variable)) {
            errors.push_back(where + ".key_env: is not a name of an environment variable (its value is not shown: "
                                     "it may be the key); expected " + std::string(kEnvNameExpectation));
            return std::nullopt;
        }
        auto value = getenv(variable);
        if (!value) {
            errors.push_back(where + ".key_env: names " + variable +
                             ", which is not set; expected an environment variable holding the account's key, " +
                             kExpectedKey);
            return std::nullopt;
        }
        return value;
    }
    return std::nullopt;
}

} // namespace

std::vector<std::string> readAccountKeys(const std::string& settingsJson, SiaSettings& settings,
                                         const EnvLookup& getenv)
{
    std::vector<std::string> errors;
    const Json table = Json::parse(settingsJson, nullptr, false);
    if (!table.is_object()) {
        return errors; // the other settings' reader reports a broken table
    }
    AccountFields accounts;
    collect(table, accounts, errors);
    for (const auto& [written, fields] : accounts) {
        const std::string where = "account." + written;
        const std::string account = upper(written);
        if (!isAccount(account)) {
            errors.push_back(where + ": '" + written + "' is not an account; expected 1-16 hex digits");
            continue;
        }
        if (settings.accounts.count(account) == 0) {
            errors.push_back(where + ": account " + account +
                             " is not in 'accounts'; expected a key for an account listed there");
            continue;
        }
        if (settings.keys.count(account) != 0) {
            errors.push_back(where + ": account " + account + " is configured twice (upper and lower case?)");
            continue;
        }
        bool fieldsOk = true;
        for (const auto& [field, value] : fields) {
            if (field != "key" && field != "key_env" && field != "require_encryption") {
                errors.push_back(where + "." + field + ": unknown key; expected key_env, key or require_encryption");
                fieldsOk = false;
            }
        }
        AccountKey entry;
        if (const auto require = fields.find("require_encryption"); require != fields.end()) {
            if (!require->second.is_boolean()) {
                errors.push_back(where + ".require_encryption: is " + require->second.dump() +
                                 "; expected true or false");
                fieldsOk = false;
            } else {
                entry.requireEncryption = require->second.get<bool>();
            }
        }
        if (fields.count("key") == 0 && fields.count("key_env") == 0) {
            errors.push_back(where + ": no 'key_env' (or 'key'); expected the account's AES key, " +
                             std::string(kExpectedKey));
            continue;
        }
        const auto text = keyTextOf(where, fields, getenv, errors);
        if (!text) {
            continue;
        }
        const bool fromEnv = fields.count("key_env") != 0;
        if (std::string why = parseAesKeyHex(*text, entry.key); !why.empty()) {
            errors.push_back(fromEnv ? where + ".key_env: the variable " + fields.at("key_env").get<std::string>() +
                                           " " + why
                                     : where + ".key: " + why);
            continue;
        }
        if (fieldsOk) {
            settings.keys.emplace(account, std::move(entry));
        }
    }
    return errors;
}

} // namespace ccoc::sia
