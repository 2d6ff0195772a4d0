// Parsing and checking of the sia driver's settings.
#include "sia_settings.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <nlohmann/json.hpp>

#include <cctype>

namespace ccoc::sia {

namespace {

std::string trim(std::string_view text)
{
    const size_t first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    const size_t last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

bool isHexText(std::string_view text, size_t maxLen)
{
    if (text.empty() || text.size() > maxLen) {
        return false;
    }
    for (char c : text) {
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string parseAccounts(std::string_view text, std::map<std::string, std::string>& out)
{
    while (!text.empty()) {
        const size_t comma = text.find(',');
        const std::string entry = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        if (entry.empty()) {
            continue;
        }
        const size_t eq = entry.find('=');
        if (eq == std::string::npos) {
            return "accounts: '" + entry + "' has no '=DEVICE' (expected ACCOUNT=DEVICE, e.g. 1234=panel-bank)";
        }
        std::string account = trim(entry.substr(0, eq));
        const std::string device = trim(entry.substr(eq + 1));
        if (!isHexText(account, 16)) {
            return "accounts: account '" + account + "' is not 1-16 hex digits";
        }
        if (!isDeviceId(device)) {
            return "accounts: device '" + device + "' of account " + account +
                   " is not a device id (1-64 of A-Z a-z 0-9 - _ . :, not starting with '_')";
        }
        for (char& c : account) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (out.count(account) != 0) {
            return "accounts: account " + account + " is listed twice";
        }
        out[account] = device;
    }
    return {};
}

std::vector<std::string> readAccountsTable(const std::string& settingsJson, std::map<std::string, std::string>& out)
{
    std::vector<std::string> errors;
    const nlohmann::json table = nlohmann::json::parse(settingsJson, nullptr, false);
    if (!table.is_object()) {
        return errors; // the other settings' reader reports a broken table
    }
    // account as written -> its device's JSON value, from the nested and the dotted (--set) form
    std::vector<std::pair<std::string, nlohmann::json>> entries;
    for (const auto& [name, value] : table.items()) {
        if (name == "accounts") {
            if (!value.is_object()) {
                errors.push_back("accounts: is " + value.dump() +
                                 "; expected a table of ACCOUNT = \"DEVICE\", e.g. accounts = { 1234 = \"panel-bank\" }");
                continue;
            }
            for (const auto& [account, device] : value.items()) {
                entries.emplace_back(account, device);
            }
        } else if (name.rfind("accounts.", 0) == 0) {
            entries.emplace_back(name.substr(9), value);
        }
    }
    for (const auto& [written, device] : entries) {
        const std::string where = "accounts." + written;
        std::string account = trim(written);
        if (!isHexText(account, 16)) {
            errors.push_back(where + ": '" + written + "' is not an account; expected 1-16 hex digits");
            continue;
        }
        if (!device.is_string() || !isDeviceId(device.get<std::string>())) {
            errors.push_back(where + ": the device of account " + written + " is " + device.dump() +
                             "; expected a device id (1-64 of A-Z a-z 0-9 - _ . :, not starting with '_')");
            continue;
        }
        for (char& c : account) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (!out.emplace(account, device.get<std::string>()).second) {
            errors.push_back(where + ": account " + account + " is listed twice (upper and lower case?)");
        }
    }
    return errors;
}

std::string accountsTableText(const std::map<std::string, std::string>& accounts)
{
    std::string text = "accounts = {";
    for (const auto& [account, device] : accounts) {
        text += (text.size() > 12 ? ", " : " ") + account + " = \"" + device + "\"";
    }
    return text + " }";
}

bool isDeviceId(std::string_view id) noexcept
{
    if (id.empty() || id.size() > 64 || id.front() == '_' || id == "." || id == "..") {
        return false;
    }
    for (char c : id) {
        const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' || c == ':';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> validate(const SiaSettings& settings)
{
    std::vector<std::string> problems;
    if (!isDeviceId(settings.device)) {
        problems.push_back("device: '" + settings.device + "' is not a device id");
    }
    // Checked here, not only when the sockets open, so that the message can say where it is.
    in6_addr address{};
    if (inet_pton(AF_INET, settings.listen.c_str(), &address) != 1 &&
        inet_pton(AF_INET6, settings.listen.c_str(), &address) != 1) {
        problems.push_back("listen: '" + settings.listen +
                           "' is not a numeric IPv4 or IPv6 address; expected e.g. \"0.0.0.0\" (every interface), "
                           "\"127.0.0.1\" or \"::\" (the port is the setting 'port')");
    }
    if (settings.port < 0 || settings.port > 65535) {
        problems.push_back("port: " + std::to_string(settings.port) + " is not 0..65535");
    }
    if (settings.accounts.empty()) {
        problems.emplace_back("accounts: empty; expected the panels' accounts as a table of ACCOUNT = \"DEVICE\", e.g. "
                              "accounts = { 1234 = \"panel-bank\", AAA = \"panel-shop\" }");
    }
    for (const auto& [account, device] : settings.accounts) {
        if (device == settings.device) {
            problems.push_back("accounts." + account + ": account " + account + " uses the receiver's own device id '" +
                               device + "'");
        }
    }
    if (!isHexText(settings.receiver, 6)) {
        problems.push_back("receiver: '" + settings.receiver + "' is not 1-6 hex digits");
    }
    if (!isHexText(settings.prefix, 6)) {
        problems.push_back("prefix: '" + settings.prefix + "' is not 1-6 hex digits");
    }
    if (settings.timeFutureSec < 0 || settings.timePastSec < 0) {
        problems.emplace_back("time_window_s: must not be negative");
    }
    if (settings.connectionTimeoutMs < 100 || settings.ackTimeoutMs < 100) {
        problems.emplace_back("connection_timeout_ms / ack_timeout_ms: at least 100");
    }
    if (settings.maxConnections < 1) {
        problems.emplace_back("max_connections: at least 1");
    }
    return problems;
}

std::string settingsMessage(const std::string& problem, const SettingsWhere& where)
{
    // The key is the problem's first word: "account.1234.key_env: names ...", "port: 70000 is ...".
    size_t end = 0;
    while (end < problem.size() && (std::isalnum(static_cast<unsigned char>(problem[end])) != 0 ||
                                    problem[end] == '_' || problem[end] == '.' || problem[end] == '-')) {
        ++end;
    }
    const std::string origin = where && end > 0 ? where(problem.substr(0, end)) : std::string();
    return (origin.empty() ? std::string() : origin + ": ") + "settings: " + problem;
}

} // namespace ccoc::sia
