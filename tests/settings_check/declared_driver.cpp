// A driver shared object that only declares settings: enough for `ccoc-host --check` and
// ccoc-driverd's check, which read the declaration and never start the driver.
#include "ccoc/settings.hpp"

using ccoc::settings::Declaration;
using ccoc::settings::Declarations;

CCOC_SETTINGS_DECLARATIONS(Declarations{
    Declaration::driver("declared", "A driver for the settings tests")
        .listenAddress("listen", "Where it listens").byDefault("\"127.0.0.1:0\"")
        .integer("port", "TCP port").range(0, 65535).byDefault("0")
        .table("accounts", "Accounts by number")
        .envName("accounts.*.key_env", "The variable that holds the account's key").required(),
    Declaration::device("declared", "A device of the test driver")
        .choice("contact", {"normally_open", "normally_closed"}, "How the contact rests").byDefault("\"normally_open\""),
})
