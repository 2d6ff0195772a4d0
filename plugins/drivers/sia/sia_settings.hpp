// The sia driver's settings (its [[driver]] settings table), parsed and checked. Pure.
#pragma once

#include "dc09_cipher.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::sia {

// An account's encryption: its AES key and whether its plain frames are refused.
struct AccountKey {
    AesKey key;
    bool requireEncryption = true; // account.ACCT.require_encryption; true unless set false
};

struct SiaSettings {
    std::string device = "sia-receiver"; // the receiver's own device id (state DEVICE/receiver)
    std::string listen = "0.0.0.0";      // address the TCP and UDP sockets bind to
    int port = 0;                        // 0: the system picks one (logged and published)
    std::map<std::string, std::string> accounts; // account (upper-case hex) -> device id
    std::map<std::string, AccountKey> keys;      // account (upper-case hex) -> its AES key (encrypted DC-09)
    std::string receiver = "0";          // receiver number in NAK and bare DUH answers
    std::string prefix = "0";            // account prefix (line) in NAK and bare DUH answers
    int timeFutureSec = 20;              // a timestamp may be this far ahead of our clock
    int timePastSec = 40;                // ... and this far behind it
    int connectionTimeoutMs = 60000;     // a TCP connection with no complete frame this long is closed
    int ackTimeoutMs = 5000;             // longest wait for the bus to take an alarm before no answer
    int panelTimeoutSec = 0;             // > 0: a panel silent this long is published online:false
    int maxConnections = 256;            // TCP connections at once; more are refused
};

// The old string form "1234=panel-bank, AAA=panel-shop" into `out` (account upper-cased), read
// for one release. Returns "" or what is wrong ("accounts: 'AAA' has no '=DEVICE'").
[[nodiscard]] std::string parseAccounts(std::string_view text, std::map<std::string, std::string>& out);

// The table form, `accounts = { 1234 = "panel-bank", AAA = "panel-shop" }` (or a
// [driver.settings.accounts] table, or the dotted keys "accounts.1234" of --set), from the settings
// table as JSON, into `out` (account upper-cased). Returns every mistake, each starting with the
// key it is about ("accounts.12G4: ..."). A table without "accounts" gives none.
[[nodiscard]] std::vector<std::string> readAccountsTable(const std::string& settingsJson,
                                                         std::map<std::string, std::string>& out);

// What to paste instead of the old string: accounts = { 1234 = "panel-bank", AAA = "panel-shop" }.
[[nodiscard]] std::string accountsTableText(const std::map<std::string, std::string>& accounts);

// true for a bus topic segment usable as a device id (1-64 of A-Z a-z 0-9 - _ . :, not "_..."
// and not "." or "..").
[[nodiscard]] bool isDeviceId(std::string_view id) noexcept;

// Checks ranges, ids and the listen address; returns every problem, each starting with the key it
// is about ("listen: '0.0.0.O' is not ..."), so that settingsMessage finds its position.
[[nodiscard]] std::vector<std::string> validate(const SiaSettings& settings);

// Where a key of the settings table was written ("FILE:LINE:COL", the settings service's `where`),
// or of its nearest table when the key is absent; empty when unknown.
using SettingsWhere = std::function<std::string(const std::string& key)>;

// One settings mistake as the driver logs it: "FILE:LINE:COL: settings: " + `problem`, or
// "settings: " + `problem` when `where` knows nothing. Every problem of parseAccounts, validate and
// readAccountKeys starts with the key it is about ("account.1234.key: ..."), which is looked up.
[[nodiscard]] std::string settingsMessage(const std::string& problem, const SettingsWhere& where);

} // namespace ccoc::sia
