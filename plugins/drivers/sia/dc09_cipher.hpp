// AES for encrypted SIA DC-09 frames (OpenSSL's libcrypto, EVP API): the account keys, and the
// cipher DC-09 prescribes: AES-CBC with an all-zero IV and no padding scheme (the sender pads the
// plain text itself, with characters before a '|'), carried as upper-case hex text.
// Thread: any; every function is pure except randomPad (libcrypto's random generator, thread-safe).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::sia {

// An AES-128, -192 or -256 key. Its bytes are wiped when it goes away; nothing here prints them.
class AesKey {
public:
    AesKey() = default;
    explicit AesKey(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
    ~AesKey();
    AesKey(const AesKey& other) = default;
    AesKey& operator=(const AesKey& other);
    AesKey(AesKey&& other) noexcept : bytes_(std::move(other.bytes_)) {}
    AesKey& operator=(AesKey&& other) noexcept;

    [[nodiscard]] bool empty() const noexcept { return bytes_.empty(); }
    [[nodiscard]] size_t bits() const noexcept { return bytes_.size() * 8; }
    [[nodiscard]] const std::vector<uint8_t>& bytes() const noexcept { return bytes_; }

private:
    void wipe() noexcept;
    std::vector<uint8_t> bytes_;
};

// Reads a key written as 32, 48 or 64 hex digits (AES-128/192/256). Returns "" and sets `out`, or
// what is wrong without repeating the text ("has 31 characters; expected 32, 48 or 64 hex digits").
[[nodiscard]] std::string parseAesKeyHex(std::string_view hex, AesKey& out);

struct Decrypted {
    std::string plain;  // the decrypted bytes (a multiple of 16)
    std::string error;  // "" or what was wrong ("hex text of 30 digits is not a multiple of 32")
};

// Decrypts DC-09 cipher text: hex digits (either case) of whole 16-byte blocks, AES-CBC, IV 0.
[[nodiscard]] Decrypted decryptHex(std::string_view hex, const AesKey& key);

// Encrypts `plain` (a multiple of 16 bytes) the same way; upper-case hex. Empty on failure.
[[nodiscard]] std::string encryptToHex(std::string_view plain, const AesKey& key);

// `content` with pad characters and a '|' before it, so that the whole is a multiple of 16
// bytes: DC-09's plain text before encryption. The pad is random printable characters other
// than '|', '[' and ']' (with the zero IV, the random first block is what makes two encryptions
// of the same report differ).
[[nodiscard]] std::string padForEncryption(std::string_view content);

} // namespace ccoc::sia
