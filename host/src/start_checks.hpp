// What ccoc-host checks when it starts, about files the site file only names: the CURVE key files
// of [bus] (the broker's, the host's own, each driver's [[bus.allow]] entry) and the driver
// plugins. BusRuntime calls these when it starts the bus and the drivers; `ccoc-host --check`
// calls the same functions, so a check never says "ok" for a site the host would not run.
//
// Every message says where (FILE:LINE:COL of the key in the site file), what is wrong and what was
// expected; none contains a key or a password.
//
// Thread: any; no shared state (reads files, and the site file again for positions on errors).
#pragma once

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/client.hpp"
#include "ccoc/site.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ccoc::host {

// The embedded broker's settings from [bus]. With CURVE: reads server_secret_key_file and checks
// that it holds the secret half of server_public_key (a broker with another pair's secret refuses
// every client's handshake, the host's own included). Error: the file is missing, unreadable, no
// key, or not the pair's; the message names server_secret_key_file and its line.
bus::Status brokerConfigForSite(const site::Site& site, bus::BrokerConfig& config);

// The host's own client settings from [bus]. With CURVE: reads client_secret_key_file and checks
// it against client_public_key. Error: as above, naming client_secret_key_file and its line.
bus::Status hostClientConfigForSite(const site::Site& site, bus::ClientConfig& config);

enum class Severity { Error, Warning };

struct StartProblem {
    Severity severity = Severity::Error;
    std::string message;
};

// The key of a [[driver]] on a CURVE bus: its [[bus.allow]] entry (name = the driver's id) with a
// usable secret_key_file. On success, when `env` is given, adds the variables ccoc-driverd reads
// (the key file's path and the public keys, never the secret). A problem is an Error for a driver
// run by ccoc-driverd (the host does not start it: the broker would refuse it at every restart),
// a Warning for a `command` driver (started anyway: it may bring its own key).
// Without CURVE: no problem, nothing added.
std::optional<StartProblem> checkDriverKeys(const site::Site& site, const site::Driver& driver,
                                            std::vector<std::pair<std::string, std::string>>* env);

// The key of a [[service]] on a CURVE bus: its [[bus.allow]] entry (name = the service's id), as
// for a driver run by ccoc-driverd (an Error: the host does not start it). Without CURVE: none.
std::optional<StartProblem> checkServiceKeys(const site::Site& site, const site::Service& service,
                                             std::vector<std::pair<std::string, std::string>>* env);

// The service .so of a [[service]]: `path` when given, else the first DIR/services/PLUGIN.so of
// `searchPath` (services have their own folder: a panel plugin may have the same id). Empty
// when there is none.
std::string findServicePlugin(const site::Service& service, const std::vector<std::string>& searchPath);

// The ccoc-serviced the host runs services with: $CCOC_SERVICED when set and not empty, else
// ccoc-serviced beside the host binary. Does not check that it exists.
std::string servicedPath(const std::string& executablePath);

// The driver .so of a [[driver]] run by ccoc-driverd: `path` when given, else the first
// DIR/PLUGIN.so or DIR/drivers/PLUGIN.so of `searchPath`. Empty when there is none.
std::string findDriverPlugin(const site::Driver& driver, const std::vector<std::string>& searchPath);

// The ccoc-driverd the host runs driver plugins with: $CCOC_DRIVERD when set and not empty, else
// ccoc-driverd beside the host binary `executablePath` (argv[0]). Does not check that it exists.
std::string driverdPath(const std::string& executablePath);

} // namespace ccoc::host
