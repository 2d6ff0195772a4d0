// Reads a PNG for pixel statistics in tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ccoc::test {

struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
};

struct PngImage {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels; // RGB, rows top-down

    // Throws std::runtime_error when the file cannot be read.
    static PngImage load(const std::string& path);
    [[nodiscard]] Rgb at(int x, int y) const;
    // Fraction (0..1) of pixels in the rectangle within `tolerance` of `colour` on every channel.
    [[nodiscard]] double fractionNear(int x0, int y0, int x1, int y1, Rgb colour, int tolerance = 8) const;
    // Number of distinct colours in the rectangle (a blank area has 1).
    [[nodiscard]] size_t distinctColours(int x0, int y0, int x1, int y1) const;
};

} // namespace ccoc::test
