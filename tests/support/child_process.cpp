#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace ccoc::test {
namespace {

int decodeStatus(int status)
{
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

} // namespace

std::string makeTempDir(const std::string& prefix)
{
    // Kept until exit by a function-local static, whose destructor runs when main returns.
    static std::mutex mutex;
    static std::vector<TempDir> unowned;
    TempDir dir(prefix);
    std::string path = dir.path();
    const std::lock_guard lock(mutex);
    unowned.push_back(std::move(dir));
    return path;
}

ChildProcess::ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env)
{
    if (argv.empty()) {
        throw std::runtime_error("ChildProcess needs a program");
    }
    outputPath_ = outputDir_ + "/output.log";
    // Environment: ours, with `env` added or replacing.
    std::map<std::string, std::string> merged;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        const size_t eq = entry.find('=');
        if (eq != std::string::npos) {
            merged[entry.substr(0, eq)] = entry.substr(eq + 1);
        }
    }
    for (auto& [key, value] : env) {
        merged[key] = value;
    }
    std::vector<std::string> envStrings;
    for (auto& [key, value] : merged) {
        envStrings.push_back(key + "=" + value);
    }
    std::vector<char*> envp;
    for (auto& s : envStrings) {
        envp.push_back(s.data());
    }
    envp.push_back(nullptr);
    std::vector<char*> args;
    for (auto& a : argv) {
        args.push_back(a.data());
    }
    args.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
}

ChildProcess::~ChildProcess()
{
    if (pid_ > 0 && !exitCode_.has_value()) {
        stop(std::chrono::milliseconds(2000));
    }
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout)
{
    if (exitCode_.has_value()) {
        return exitCode_;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        int status = 0;
        const pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            exitCode_ = decodeStatus(status);
            return exitCode_;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool ChildProcess::running()
{
    return !wait(std::chrono::milliseconds(0)).has_value();
}

bool ChildProcess::waitForOutput(const std::string& text, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (output().find(text) != std::string::npos) {
            return true;
        }
        if (!running()) {
            return output().find(text) != std::string::npos;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

void ChildProcess::signal(int signalNumber)
{
    if (pid_ > 0 && !exitCode_.has_value()) {
        ::kill(pid_, signalNumber);
    }
}

int ChildProcess::stop(std::chrono::milliseconds grace)
{
    signal(SIGTERM);
    if (auto code = wait(grace)) {
        return *code;
    }
    signal(SIGKILL);
    return wait(std::chrono::milliseconds(10000)).value_or(-1);
}

std::string ChildProcess::output() const
{
    std::ifstream in(outputPath_);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace ccoc::test
