// Reads the current framebuffer (the back buffer, before swap) and writes it as a PNG.
#pragma once

#include <string>

namespace ccoc::host {

// [main-thread, GL context current] Returns false and sets `why` on failure.
bool writeFramebufferPng(const std::string& path, int width, int height, std::string& why);

} // namespace ccoc::host
