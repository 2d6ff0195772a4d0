// The sia driver's settings, declared once (ccoc/settings.hpp): ccoc-host --check and ccoc-driverd
// check a site's [[driver]] settings against it before the driver starts (a typo such as `prot`
// is refused with the known keys), and the docs' table is generated from it. What a declaration
// cannot say (an account is 1-16 hex digits, a key has 32, 48 or 64 of them) the driver checks
// itself, at the same FILE:LINE:COL (sia_settings.cpp, account_keys.cpp).
#include "sia_declaration.hpp"

namespace ccoc::sia {

const settings::Declarations& siaDeclarations()
{
    using settings::Declaration;
    static const settings::Declarations declarations{
        Declaration::driver("sia", "SIA DC-09 receiver for intruder alarm panels (TCP and UDP on one port)")
            .table("accounts", "Allow-list of the panels: ACCOUNT = \"DEVICE\", the panel's DC-09 account (1-16 hex "
                               "digits, any case) and the device id its alarms are published under")
            .required().orLegacyString()
            .string("accounts.*", "The device id the account's alarms are published under").notEmpty()
            .ipAddress("listen", "Numeric IPv4 or IPv6 address the TCP and UDP sockets bind to").byDefault("\"0.0.0.0\"")
            .integer("port", "The TCP and UDP port; 0: the system picks one (logged and published)").range(0, 65535)
            .byDefault("0")
            .string("device", "The receiver's own device id (its state and commands)").byDefault("\"sia-receiver\"")
            .notEmpty()
            .string("receiver", "Receiver number (hex) written in a NAK and a bare DUH").byDefault("\"0\"").notEmpty()
            .string("prefix", "Account prefix, the line (hex), written in a NAK and a bare DUH").byDefault("\"0\"")
            .notEmpty()
            .integer("time_window_s", "Sets both time_future_s and time_past_s").range(0, 86400)
            .integer("time_future_s", "A frame's timestamp may be this far ahead of the receiver's clock")
            .range(0, 86400).byDefault("20")
            .integer("time_past_s", "A frame's timestamp may be this far behind the receiver's clock").range(0, 86400)
            .byDefault("40")
            .integer("ack_timeout_ms", "Longest wait for the broker to journal an alarm; then the panel gets no answer")
            .range(100, 600000).byDefault("5000")
            .integer("connection_timeout_ms", "A TCP connection with no complete frame this long is closed")
            .range(100, 3600000).byDefault("60000")
            .integer("max_connections", "TCP connections at once; more are refused").range(1, 65535).byDefault("256")
            .integer("panel_timeout_s", "A panel silent this long is published online: false; 0: never")
            .range(0, 86400 * 7).byDefault("0")
            .table("account", "Encrypted DC-09 per account: [driver.settings.account.ACCOUNT] tables")
            .envName("account.*.key_env", "Environment variable holding the account's AES key (32, 48 or 64 hex digits)")
            .string("account.*.key", "The account's AES key in the file (prefer key_env)").secret()
            .boolean("account.*.require_encryption", "Refuse the account's plain frames").byDefault("true"),
        // The panels are [[device]]s for their zone, cameras and procedure; the driver reads no
        // settings of theirs, so settings there would be silently ignored: refused.
        Declaration::device("sia", "The panels' [[device]] entries take no settings of the sia driver"),
    };
    return declarations;
}

} // namespace ccoc::sia

CCOC_SETTINGS_DECLARATIONS(ccoc::sia::siaDeclarations())
