// Socket helpers of the SIA receiver: addresses in and out of text, binding TCP and UDP to one
// port. Thread: any (they touch only what they are given).
#pragma once

#include <sys/socket.h>

#include <string>

namespace ccoc::sia {

// strerror(error) as a string.
std::string errorText(int error);
// "192.0.2.7:5001" or "[2001:db8::1]:5001".
std::string peerText(const sockaddr_storage& address);
// The numeric IPv4 or IPv6 `listen` address with `port`; false when `listen` is neither.
bool makeAddress(const std::string& listen, int port, sockaddr_storage& out, socklen_t& length);
// The local port `fd` is bound to, 0 when unknown.
int boundPort(int fd);
// Closes fd when open and sets it to -1.
void closeFd(int& fd);

} // namespace ccoc::sia
