// The openssl command-line tool as the tests' independent AES: DC-09's AES-CBC with an all-zero IV
// and no padding, run as `openssl enc` on files, so the tests never encrypt with the driver's code.
#pragma once

#include <catch2/catch.hpp>

#include "child_process.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace ccoc::siatest {

inline std::string hexOf(const std::string& bytes)
{
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string hex;
    for (char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        hex += kDigits[byte >> 4];
        hex += kDigits[byte & 0x0F];
    }
    return hex;
}

inline std::string bytesOfHex(const std::string& hex)
{
    std::string bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    return bytes;
}

// `input` (a multiple of 16 bytes) encrypted (or decrypted) with the hex key (32, 48 or 64
// digits: AES-128, -192, -256), by `openssl enc -aes-N-cbc -K KEY -iv 0 -nopad`.
inline std::string opensslAes(bool encrypt, const std::string& keyHex, const std::string& input)
{
    const ccoc::test::TempDir dir("ccoc-sia-openssl");
    const std::string in = dir + "/in.bin";
    const std::string out = dir + "/out.bin";
    std::ofstream(in, std::ios::binary) << input;
    const std::string command = std::string("openssl enc ") + (encrypt ? "-e" : "-d") + " -aes-" +
                                std::to_string(keyHex.size() * 4) + "-cbc -K " + keyHex + " -iv " +
                                std::string(32, '0') + " -nopad -in " + in + " -out " + out + " 2>" + dir + "/err.txt";
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0);
    std::ifstream file(out, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// DC-09's plain text before encryption: pad characters, '|', then `content`, a multiple of 16.
inline std::string paddedPlain(const std::string& content)
{
    const size_t padLength = 16 - (content.size() + 1) % 16;
    return std::string(padLength, 'Q') + "|" + content;
}

} // namespace ccoc::siatest
