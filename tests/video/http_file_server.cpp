// http_file_server.cpp: just enough HTTP for FFmpeg's http protocol to fetch a clip.
#include "http_file_server.hpp"

#include <fstream>
#include <sstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ccoc::test {

std::string readWholeFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

HttpFileServer::HttpFileServer(std::string body) : body_(std::move(body)) {
  listenFd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  listen(listenFd_, 8);
  socklen_t length = sizeof address;
  getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

HttpFileServer::~HttpFileServer() {
  stop_ = true;
  thread_.join();
  close(listenFd_);
}

void HttpFileServer::serve() {
  while (!stop_) {
    pollfd pfd{listenFd_, POLLIN, 0};
    if (poll(&pfd, 1, 50) <= 0) {
      continue;
    }
    const int client = accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      continue;
    }
    // Read the request head (FFmpeg sends it in one go); the path does not matter.
    std::string request;
    char buffer[2048];
    while (request.find("\r\n\r\n") == std::string::npos) {
      pollfd in{client, POLLIN, 0};
      if (poll(&in, 1, 2000) <= 0) {
        break;
      }
      const ssize_t n = read(client, buffer, sizeof buffer);
      if (n <= 0) {
        break;
      }
      request.append(buffer, static_cast<std::size_t>(n));
    }
    const std::string head = "HTTP/1.0 200 OK\r\nContent-Type: video/x-matroska\r\n"
                             "Content-Length: " + std::to_string(body_.size()) +
                             "\r\nConnection: close\r\n\r\n";
    std::string reply = head + body_;
    std::size_t sent = 0;
    while (sent < reply.size() && !stop_) {
      const ssize_t n = send(client, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        break;
      }
      sent += static_cast<std::size_t>(n);
    }
    ++served_;
    close(client);
  }
}

}  // namespace ccoc::test
