// process_tools.cpp: posix_spawn, line reading with a deadline, /proc CPU accounting.
#include "process_tools.hpp"

#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ccoc::bench {

ChildProcess spawnChild(const std::vector<std::string>& argv, bool captureStdout,
                        std::string& error) {
  ChildProcess child;
  int fds[2] = {-1, -1};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (captureStdout) {
    if (pipe2(fds, O_CLOEXEC) != 0) {
      error = std::string("pipe: ") + std::strerror(errno);
      return child;
    }
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  }
  std::vector<std::string> copy = argv;
  std::vector<char*> pointers;
  for (std::string& s : copy) {
    pointers.push_back(s.data());
  }
  pointers.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, copy[0].c_str(), &actions, nullptr, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (captureStdout) {
    close(fds[1]);
  }
  if (rc != 0) {
    error = "cannot start " + argv[0] + ": " + std::strerror(rc);
    if (captureStdout) {
      close(fds[0]);
    }
    return child;
  }
  child.pid = pid;
  child.stdoutFd = captureStdout ? fds[0] : -1;
  return child;
}

std::string readLine(const ChildProcess& child, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string text;
  while (text.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd pfd{child.stdoutFd, POLLIN, 0};
    if (left.count() <= 0 || poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
      return {};
    }
    char buffer[256];
    const ssize_t n = read(child.stdoutFd, buffer, sizeof buffer);
    if (n <= 0) {
      return {};
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text.substr(0, text.find('\n'));
}

void stopChild(ChildProcess& child, std::chrono::milliseconds grace) {
  if (child.pid <= 0) {
    return;
  }
  kill(child.pid, SIGINT);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(child.pid, &status, WNOHANG) == child.pid) {
      child.pid = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (child.pid > 0) {
    kill(child.pid, SIGKILL);
    waitpid(child.pid, &status, 0);
    child.pid = -1;
  }
  if (child.stdoutFd >= 0) {
    close(child.stdoutFd);
    child.stdoutFd = -1;
  }
}

double cpuSecondsOf(pid_t pid) {
  const std::string path =
      pid == 0 ? std::string("/proc/self/stat") : "/proc/" + std::to_string(pid) + "/stat";
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) {
    return 0.0;
  }
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  double utime = 0;
  double stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) {
      utime = std::stod(field);
    } else if (index == 15) {
      stime = std::stod(field);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string executableDirectory() {
  char buffer[4096];
  const ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) {
    return ".";
  }
  std::string path(buffer, static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/'));
}

}  // namespace ccoc::bench
