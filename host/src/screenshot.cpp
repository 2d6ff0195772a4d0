#include "screenshot.hpp"

#include <epoxy/gl.h>
#include <stb/stb_image_write.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace ccoc::host {

bool writeFramebufferPng(const std::string& path, int width, int height, std::string& why)
{
    if (width <= 0 || height <= 0) {
        why = "the window has no pixels (" + std::to_string(width) + "x" + std::to_string(height) + ")";
        return false;
    }
    const size_t stride = static_cast<size_t>(width) * 3;
    std::vector<unsigned char> pixels(stride * static_cast<size_t>(height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    if (glGetError() != GL_NO_ERROR) {
        why = "glReadPixels failed";
        return false;
    }
    // OpenGL's rows run bottom-up; PNG's top-down.
    std::vector<unsigned char> flipped(pixels.size());
    for (int row = 0; row < height; ++row) {
        std::memcpy(flipped.data() + static_cast<size_t>(row) * stride,
                    pixels.data() + static_cast<size_t>(height - 1 - row) * stride, stride);
    }
    errno = 0;
    if (stbi_write_png(path.c_str(), width, height, 3, flipped.data(), static_cast<int>(stride)) == 0) {
        why = errno != 0 ? std::strerror(errno) : "cannot write the file";
        return false;
    }
    return true;
}

} // namespace ccoc::host
