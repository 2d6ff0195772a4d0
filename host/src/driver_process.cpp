// Starting one driver process (see driver_process.hpp): fork, then in the child only
// async-signal-safe calls up to exec, because the host has many threads.
#include "driver_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>

extern char** environ;

namespace ccoc::host {
namespace {

// The host's environment with `extra` added or replacing entries of the same name.
std::vector<std::string> mergedEnvironment(const std::vector<std::pair<std::string, std::string>>& extra)
{
    std::map<std::string, std::string> values;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string text(*entry);
        const size_t eq = text.find('=');
        if (eq != std::string::npos) {
            values[text.substr(0, eq)] = text.substr(eq + 1);
        }
    }
    for (const auto& [name, value] : extra) {
        values[name] = value;
    }
    std::vector<std::string> result;
    result.reserve(values.size());
    for (const auto& [name, value] : values) {
        result.push_back(name + "=" + value);
    }
    return result;
}

std::vector<char*> pointers(std::vector<std::string>& strings)
{
    std::vector<char*> result;
    result.reserve(strings.size() + 1);
    for (auto& s : strings) {
        result.push_back(s.data());
    }
    result.push_back(nullptr);
    return result;
}

// argv[0] as execve needs it: a name without '/' looked up on PATH here, before fork, because
// the child of a threaded process may only make async-signal-safe calls. Empty when not found.
std::string resolveProgram(const std::string& program, const std::vector<std::string>& env)
{
    if (program.find('/') != std::string::npos) {
        return program;
    }
    std::string path = "/usr/local/bin:/usr/bin:/bin";
    for (const auto& entry : env) {
        if (entry.rfind("PATH=", 0) == 0) {
            path = entry.substr(5);
        }
    }
    size_t start = 0;
    for (;;) {
        const size_t colon = path.find(':', start);
        const std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
        if (access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        if (colon == std::string::npos) {
            return {};
        }
        start = colon + 1;
    }
}

// The child's side of spawnProcess: only async-signal-safe calls. Reports a failure as errno
// through `report` (close-on-exec, so a successful exec closes it with nothing written).
[[noreturn]] void execChild(const char* program, char* const* argv, char* const* envp, const char* directory,
                            pid_t parent, int report)
{
    // Die with the host: a driver left behind would keep its devices and its id on the next
    // host's bus. The signal comes when the supervisor's thread ends, which it does only after
    // stop() or with the whole host. SIGTERM lets ccoc-driverd stop in order; it ends itself
    // soon after when it finds it has no parent (see its main.cpp).
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    // The host may have died between fork and prctl: then no signal will ever come.
    if (getppid() != parent) {
        _exit(127);
    }
    // Its own process group: a terminal's Ctrl-C reaches the host, which stops drivers in order;
    // and killing the group ends anything the driver started.
    setpgid(0, 0);
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    for (int signalNumber : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD}) {
        sigaction(signalNumber, &defaults, nullptr);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // The host's sockets, X connection and files are none of the driver's business.
    if (report > 3) {
        close_range(3, static_cast<unsigned>(report - 1), 0);
    }
    close_range(static_cast<unsigned>(report + 1), ~0U, 0);
    if (directory != nullptr && chdir(directory) != 0) {
        const int error = errno;
        (void)!write(report, &error, sizeof error);
        _exit(127);
    }
    execve(program, argv, envp);
    const int error = errno;
    (void)!write(report, &error, sizeof error);
    _exit(127);
}

} // namespace

pid_t spawnProcess(const DriverLaunch& launch, std::string& error)
{
    std::vector<std::string> argv = launch.argv;
    std::vector<std::string> env = mergedEnvironment(launch.env);
    const std::string program = resolveProgram(argv.front(), env);
    if (program.empty()) {
        error = "not found on PATH";
        return -1;
    }
    std::vector<char*> argvPointers = pointers(argv);
    std::vector<char*> envPointers = pointers(env);
    const char* directory = launch.workingDirectory.empty() ? nullptr : launch.workingDirectory.c_str();
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
        error = std::strerror(errno);
        return -1;
    }
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
        close(report[0]);
        execChild(program.c_str(), argvPointers.data(), envPointers.data(), directory, parent, report[1]);
    }
    close(report[1]);
    if (pid < 0) {
        error = std::strerror(errno);
        close(report[0]);
        return -1;
    }
    // Also set from here, so no signal sent to the group can miss a child that has not run yet.
    setpgid(pid, pid);
    int childError = 0;
    ssize_t got = -1;
    do {
        got = read(report[0], &childError, sizeof childError);
    } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == static_cast<ssize_t>(sizeof childError)) {
        int ignored = 0;
        waitpid(pid, &ignored, 0);
        error = std::strerror(childError);
        return -1;
    }
    return pid;
}

} // namespace ccoc::host
