// tone_analysis.hpp: what an alarm tone written by ALSA's "file" PCM (raw, mono 16-bit at
// 48 kHz) contains: its beeps, their length and pitch.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace ccoc::test {

inline constexpr unsigned kToneRate = 48000;

inline std::vector<std::int16_t> readSamples(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::int16_t> samples(bytes.size() / 2);
    for (size_t i = 0; i < samples.size(); ++i) {
        const auto low = static_cast<unsigned char>(bytes[2 * i]);
        const auto high = static_cast<unsigned char>(bytes[2 * i + 1]);
        samples[i] = static_cast<std::int16_t>(static_cast<std::uint16_t>(low | (high << 8)));
    }
    return samples;
}

struct Beep {
    double seconds = 0;
    double hz = 0;
};

// Beeps found in the samples: runs of loud 5 ms blocks, each with its frequency from the zero
// crossings inside it.
inline std::vector<Beep> beepsIn(const std::vector<std::int16_t>& samples)
{
    constexpr size_t kBlock = kToneRate / 200;
    std::vector<Beep> beeps;
    bool inBeep = false;
    size_t start = 0;
    for (size_t block = 0; block * kBlock < samples.size() + kBlock; ++block) {
        const size_t from = block * kBlock;
        const size_t to = std::min(samples.size(), from + kBlock);
        double energy = 0;
        for (size_t i = from; i < to; ++i) {
            energy += static_cast<double>(samples[i]) * samples[i];
        }
        const bool loud = to > from && std::sqrt(energy / static_cast<double>(to - from)) > 1000.0;
        if (loud && !inBeep) {
            inBeep = true;
            start = from;
        } else if (!loud && inBeep) {
            inBeep = false;
            size_t crossings = 0;
            for (size_t i = start + 1; i < from; ++i) {
                crossings += (samples[i - 1] < 0) != (samples[i] < 0) ? 1 : 0;
            }
            const double seconds = static_cast<double>(from - start) / kToneRate;
            beeps.push_back({seconds, static_cast<double>(crossings) / 2.0 / seconds});
        }
    }
    return beeps;
}

} // namespace ccoc::test
