// Starts one driver process for the supervisor: argv with only stdin/stdout/stderr inherited, in
// a process group of its own, in the launch's working directory, with the launch's environment
// added to the host's, and bound to die with the host: the child gets SIGTERM when the thread
// that started it ends (PR_SET_PDEATHSIG), which the supervisor's thread does only in stop() or
// with the whole host.
//
// Thread: any; called by the supervisor's thread.
#pragma once

#include "driver_supervisor.hpp"

#include <sys/types.h>

#include <string>

namespace ccoc::host {

// The pid, or -1 and the reason (a program not found, exec failed) in `error`.
pid_t spawnProcess(const DriverLaunch& launch, std::string& error);

} // namespace ccoc::host
