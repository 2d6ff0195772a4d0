// camsim_process.cpp: spawning ccoc-camsim, reading its ready line, stopping it; silent servers.
#include "camsim_process.hpp"

#include <csignal>
#include <cstring>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ccoc::test {
namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

std::unique_ptr<CamsimProcess> CamsimProcess::start(const std::vector<std::string>& args,
                                                    std::chrono::milliseconds readyTimeout,
                                                    std::string& error) {
  const std::string program = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-camsim";
  if (access(program.c_str(), X_OK) != 0) {
    error = program + " is missing: build the ccoc-camsim target (needs libgstrtspserver-1.0-dev)";
    return nullptr;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  std::vector<std::string> argvStrings{program};
  argvStrings.insert(argvStrings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argvStrings) {
    argv.push_back(s.data());
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    error = "posix_spawn " + program + ": " + std::strerror(rc);
    return nullptr;
  }
  std::unique_ptr<CamsimProcess> process(new CamsimProcess(pid, fds[0]));

  const auto deadline = Clock::now() + readyTimeout;
  std::string output;
  while (output.find('\n') == std::string::npos) {
    pollfd pfd{fds[0], POLLIN, 0};
    if (poll(&pfd, 1, remainingMs(deadline)) <= 0) {
      error = "ccoc-camsim printed no ready line within " +
              std::to_string(readyTimeout.count()) + " ms (got '" + output + "')";
      return nullptr;
    }
    char buffer[256];
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n <= 0) {
      error = "ccoc-camsim exited before its ready line (got '" + output + "')";
      return nullptr;
    }
    output.append(buffer, static_cast<std::size_t>(n));
  }
  const std::string line = output.substr(0, output.find('\n'));
  const std::string prefix = "ready ";
  const auto colon = line.rfind(':');
  if (line.rfind(prefix, 0) != 0 || colon == std::string::npos) {
    error = "unexpected first line from ccoc-camsim: '" + line + "'";
    return nullptr;
  }
  process->baseUrl_ = line.substr(prefix.size());
  process->unreadOutput_ = output.substr(output.find('\n') + 1);
  process->port_ = std::atoi(line.c_str() + colon + 1);
  return process;
}

int CamsimProcess::clientConnections() {
  for (;;) {
    pollfd pfd{stdoutFd_, POLLIN, 0};
    if (poll(&pfd, 1, 0) <= 0 || (pfd.revents & POLLIN) == 0) {
      break;
    }
    char buffer[256];
    const ssize_t n = read(stdoutFd_, buffer, sizeof buffer);
    if (n <= 0) {
      break;
    }
    unreadOutput_.append(buffer, static_cast<std::size_t>(n));
  }
  for (auto end = unreadOutput_.find('\n'); end != std::string::npos;
       end = unreadOutput_.find('\n')) {
    if (unreadOutput_.compare(0, end, "client connected") == 0) {
      ++clientConnections_;
    }
    unreadOutput_.erase(0, end + 1);
  }
  return clientConnections_;
}

void CamsimProcess::freeze() {
  if (pid_ > 0) {
    kill(pid_, SIGSTOP);
  }
}

void CamsimProcess::thaw() {
  if (pid_ > 0) {
    kill(pid_, SIGCONT);
  }
}

bool CamsimProcess::stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) {
    return true;
  }
  kill(pid_, SIGTERM);
  kill(pid_, SIGCONT);  // a frozen server acts on SIGTERM only once it runs again
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  while (Clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return false;
}

CamsimProcess::~CamsimProcess() {
  stop();
  close(stdoutFd_);
}

SilentServer::SilentServer() {
  listenFd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  listen(listenFd_, 16);
  socklen_t length = sizeof address;
  getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
}

int SilentServer::acceptedCount() {
  // The kernel completes the handshake from the backlog; taking the sockets keeps them open.
  for (;;) {
    const int fd = accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      break;
    }
    accepted_.push_back(fd);
  }
  return static_cast<int>(accepted_.size());
}

SilentServer::~SilentServer() {
  for (const int fd : accepted_) {
    close(fd);
  }
  close(listenFd_);
}

int unusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace ccoc::test
