// camsim_process.hpp: runs the real ccoc-camsim for a test and waits for its ready line.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

namespace ccoc::test {

/// A running ccoc-camsim child process. Stopped (SIGTERM, then SIGKILL) when destroyed.
class CamsimProcess {
 public:
  /// Starts CCOC_BINARY_DIR/bin/ccoc-camsim with `args` and waits up to `readyTimeout` for its
  /// "ready rtsp://HOST:PORT/" line. Returns nullptr and sets `error` when it fails.
  static std::unique_ptr<CamsimProcess> start(const std::vector<std::string>& args,
                                              std::chrono::milliseconds readyTimeout,
                                              std::string& error);
  ~CamsimProcess();
  CamsimProcess(const CamsimProcess&) = delete;
  CamsimProcess& operator=(const CamsimProcess&) = delete;
  CamsimProcess(CamsimProcess&&) = delete;
  CamsimProcess& operator=(CamsimProcess&&) = delete;

  /// SIGTERM and wait up to `timeout` for the exit; SIGKILL after. Returns true on a clean exit.
  bool stop(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  /// SIGSTOP: the server freezes with every connection open and sends nothing more (a camera
  /// that hangs). thaw() (SIGCONT) lets it go on; stop() thaws first.
  void freeze();
  void thaw();

  /// RTSP connections the server has accepted so far (its "client connected" lines; every
  /// connection attempt of a client, with or without a valid login). Never blocks.
  int clientConnections();

  /// "rtsp://127.0.0.1:PORT/" as printed on the ready line.
  const std::string& baseUrl() const { return baseUrl_; }
  int port() const { return port_; }

 private:
  CamsimProcess(pid_t pid, int stdoutFd) : pid_(pid), stdoutFd_(stdoutFd) {}
  pid_t pid_;
  int stdoutFd_;
  std::string baseUrl_;
  int port_ = 0;
  std::string unreadOutput_;  // stdout after the ready line, not yet counted
  int clientConnections_ = 0;
};

/// A TCP server on 127.0.0.1 that accepts connections and never says a word: the camera whose
/// connection hangs.
class SilentServer {
 public:
  SilentServer();
  ~SilentServer();
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  SilentServer(SilentServer&&) = delete;
  SilentServer& operator=(SilentServer&&) = delete;

  int port() const { return port_; }
  /// Connections accepted so far (polled, never blocks).
  int acceptedCount();

 private:
  int listenFd_ = -1;
  int port_ = 0;
  std::vector<int> accepted_;
};

/// A port on 127.0.0.1 where nothing listens (bound, then closed).
int unusedPort();

}  // namespace ccoc::test
