// ccoc-driverd's CURVE key pair: on a bus with security = "curve" the driver connects with the
// key of its own [[bus.allow]] entry (name = the driver id), whose secret half is read from a
// file. The secret key never travels on the command line: only the file's path does.
//
// Thread: main thread, before the runner starts.
#pragma once

#include "driver_runner.hpp"

#include "ccoc/site.hpp"

#include <string>

namespace ccoc::driverd {

// Keys given on the command line or in the environment (--secret-key-file /
// CCOC_BUS_SECRET_KEY_FILE, --public-key / CCOC_BUS_PUBLIC_KEY, --server-public-key /
// CCOC_BUS_SERVER_PUBLIC_KEY). Empty: not given.
struct KeyOptions {
    std::string secretKeyFile;
    std::string publicKey;
    std::string serverPublicKey;
};

// Fills options.curve. With a site (`bus` not null): when [bus] security = "curve", the
// [[bus.allow]] entry named options.driverId gives the key pair (a given secret key file or key
// replaces the entry's). Without a site: the three given keys, all or none. The secret key must
// belong to the public key. Returns the error to print (naming files and entries, never a
// key), empty when the keys are usable or none are needed.
std::string resolveDriverKeys(const site::BusSettings* bus, const KeyOptions& given, RunnerOptions& options);

} // namespace ccoc::driverd
