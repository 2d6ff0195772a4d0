// The start-up check of declared settings in a child process: reading a driver's or service's
// declaration dlopen()s its shared object, and a broken one (a static initialiser that crashes,
// a declaration function that aborts) must not take the host down with it. The plugins the host
// loads itself are checked the same way; they would fail in the loader anyway.
#include "declared_settings.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace ccoc::host {

namespace {

// Each message as one record: a kind letter ('E' error, 'W' warning), the text, a NUL.
void writeAll(int fd, const std::string& bytes)
{
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += static_cast<size_t>(n);
    }
}

std::string encode(const DeclaredSettingsReport& report)
{
    std::string out;
    for (const auto& error : report.errors) {
        out += 'E' + error + '\0';
    }
    for (const auto& warning : report.warnings) {
        out += 'W' + warning + '\0';
    }
    return out;
}

void decode(const std::string& bytes, DeclaredSettingsReport& report)
{
    size_t start = 0;
    while (start < bytes.size()) {
        const size_t end = bytes.find('\0', start);
        if (end == std::string::npos) {
            break;  // a record cut short: the child died while writing it
        }
        const std::string record = bytes.substr(start, end - start);
        if (!record.empty()) {
            (record[0] == 'E' ? report.errors : report.warnings).push_back(record.substr(1));
        }
        start = end + 1;
    }
}

} // namespace

DeclaredSettingsReport checkDeclaredSettingsIsolated(const site::Site& site, const std::vector<std::string>& pluginSearchPath)
{
    int fds[2];
    if (::pipe(fds) != 0) {
        return checkDeclaredSettings(site, pluginSearchPath);  // no pipe: check here, as --check does
    }
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return checkDeclaredSettings(site, pluginSearchPath);
    }
    if (child == 0) {
        ::close(fds[0]);
        writeAll(fds[1], encode(checkDeclaredSettings(site, pluginSearchPath)));
        ::close(fds[1]);
        ::_exit(0);  // no destructors, no atexit handlers of the parent's state
    }
    ::close(fds[1]);
    std::string bytes;
    char buffer[4096];
    while (true) {
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        bytes.append(buffer, static_cast<size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    DeclaredSettingsReport report;
    decode(bytes, report);
    if (WIFSIGNALED(status) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const std::string how = WIFSIGNALED(status) ? std::string("killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
                                                          ::strsignal(WTERMSIG(status)) + ")"
                                                    : "exited with status " + std::to_string(WEXITSTATUS(status));
        report.warnings.push_back("reading the settings declarations of this site's plugins, drivers and services " + how +
                                  " in a child process; the settings after that point are not checked. A shared object "
                                  "of the site fails when it is loaded: run ccoc-host --check " + site.sourceFile +
                                  " to see which (its driver or service will fail in its own process, the host runs on)");
    }
    return report;
}

} // namespace ccoc::host
