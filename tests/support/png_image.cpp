#include "png_image.hpp"

#include <stb/stb_image.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <stdexcept>

namespace ccoc::test {

PngImage PngImage::load(const std::string& path)
{
    int width = 0, height = 0, channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &width, &height, &channels, 3);
    if (data == nullptr) {
        throw std::runtime_error("cannot read PNG " + path + ": " + stbi_failure_reason());
    }
    PngImage image;
    image.width = width;
    image.height = height;
    image.pixels.assign(data, data + static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
    stbi_image_free(data);
    return image;
}

Rgb PngImage::at(int x, int y) const
{
    const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 3;
    return {pixels[i], pixels[i + 1], pixels[i + 2]};
}

double PngImage::fractionNear(int x0, int y0, int x1, int y1, Rgb colour, int tolerance) const
{
    x0 = std::clamp(x0, 0, width);
    x1 = std::clamp(x1, 0, width);
    y0 = std::clamp(y0, 0, height);
    y1 = std::clamp(y1, 0, height);
    size_t near = 0, total = 0;
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
            const Rgb p = at(x, y);
            near += (std::abs(p.r - colour.r) <= tolerance && std::abs(p.g - colour.g) <= tolerance &&
                     std::abs(p.b - colour.b) <= tolerance)
                        ? 1
                        : 0;
            ++total;
        }
    }
    return total == 0 ? 0.0 : static_cast<double>(near) / static_cast<double>(total);
}

size_t PngImage::distinctColours(int x0, int y0, int x1, int y1) const
{
    std::set<uint32_t> colours;
    for (int y = std::max(y0, 0); y < std::min(y1, height); ++y) {
        for (int x = std::max(x0, 0); x < std::min(x1, width); ++x) {
            const Rgb p = at(x, y);
            colours.insert((uint32_t(p.r) << 16) | (uint32_t(p.g) << 8) | p.b);
        }
    }
    return colours.size();
}

} // namespace ccoc::test
