// http_file_server.hpp: a minimal HTTP/1.0 server on 127.0.0.1 that serves one file's bytes.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace ccoc::test {

/// Answers every GET with `body` (200, Content-Length), one connection at a time, on its own
/// thread, until destroyed.
class HttpFileServer {
 public:
  explicit HttpFileServer(std::string body);
  ~HttpFileServer();
  HttpFileServer(const HttpFileServer&) = delete;
  HttpFileServer& operator=(const HttpFileServer&) = delete;
  HttpFileServer(HttpFileServer&&) = delete;
  HttpFileServer& operator=(HttpFileServer&&) = delete;

  int port() const { return port_; }
  int requestsServed() const { return served_.load(); }

 private:
  void serve();

  std::string body_;
  int listenFd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> served_{0};
  std::thread thread_;
};

/// The whole content of a file ("" when unreadable).
std::string readWholeFile(const std::string& path);

}  // namespace ccoc::test
