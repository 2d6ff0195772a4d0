// AES-CBC of DC-09 frames through libcrypto's EVP API (see dc09_cipher.hpp).
#include "dc09_cipher.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <memory>

namespace ccoc::sia {

namespace {

int hexDigit(char c) noexcept
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

// The bytes of an even-length hex text; nullopt when a character is not a hex digit.
std::optional<std::vector<uint8_t>> bytesOfHex(std::string_view hex)
{
    std::vector<uint8_t> bytes;
    bytes.reserve(hex.size() / 2);
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        const int high = hexDigit(hex[i]);
        const int low = hexDigit(hex[i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        bytes.push_back(static_cast<uint8_t>(high * 16 + low));
    }
    return bytes;
}

const EVP_CIPHER* cbcCipherFor(const AesKey& key) noexcept
{
    switch (key.bits()) {
    case 128: return EVP_aes_128_cbc();
    case 192: return EVP_aes_192_cbc();
    case 256: return EVP_aes_256_cbc();
    default: return nullptr;
    }
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// One AES-CBC pass (IV 0, no padding) over whole blocks; nullopt when libcrypto fails.
std::optional<std::string> runCbc(std::string_view input, const AesKey& key, bool encrypt)
{
    const EVP_CIPHER* cipher = cbcCipherFor(key);
    CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (cipher == nullptr || !context || input.size() % 16 != 0) {
        return std::nullopt;
    }
    const std::array<unsigned char, 16> zeroIv{};
    if (EVP_CipherInit_ex(context.get(), cipher, nullptr, key.bytes().data(), zeroIv.data(), encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_set_padding(context.get(), 0) != 1) {
        return std::nullopt;
    }
    std::string output(input.size() + 16, '\0');
    int written = 0;
    int tail = 0;
    auto* out = reinterpret_cast<unsigned char*>(output.data());
    if (EVP_CipherUpdate(context.get(), out, &written, reinterpret_cast<const unsigned char*>(input.data()),
                         static_cast<int>(input.size())) != 1 ||
        EVP_CipherFinal_ex(context.get(), out + written, &tail) != 1) {
        return std::nullopt;
    }
    output.resize(static_cast<size_t>(written + tail));
    return output;
}

} // namespace

AesKey::~AesKey()
{
    wipe();
}

AesKey& AesKey::operator=(const AesKey& other)
{
    if (this != &other) {
        wipe();
        bytes_ = other.bytes_;
    }
    return *this;
}

AesKey& AesKey::operator=(AesKey&& other) noexcept
{
    if (this != &other) {
        wipe();
        bytes_ = std::move(other.bytes_);
    }
    return *this;
}

void AesKey::wipe() noexcept
{
    if (!bytes_.empty()) {
        OPENSSL_cleanse(bytes_.data(), bytes_.size());
    }
    bytes_.clear();
}

std::string parseAesKeyHex(std::string_view hex, AesKey& out)
{
    if (hex.size() != 32 && hex.size() != 48 && hex.size() != 64) {
        return "has " + std::to_string(hex.size()) +
               " characters; expected 32, 48 or 64 hex digits (an AES-128, -192 or -256 key)";
    }
    auto bytes = bytesOfHex(hex);
    if (!bytes) {
        return "is not hex; expected 32, 48 or 64 hex digits 0-9 A-F (an AES-128, -192 or -256 key)";
    }
    out = AesKey(std::move(*bytes));
    return {};
}

Decrypted decryptHex(std::string_view hex, const AesKey& key)
{
    Decrypted result;
    if (hex.empty() || hex.size() % 32 != 0) {
        result.error = "the encrypted part has " + std::to_string(hex.size()) +
                       " characters; expected hex text of whole 16-byte AES blocks (a multiple of 32)";
        return result;
    }
    const auto bytes = bytesOfHex(hex);
    if (!bytes) {
        result.error = "the encrypted part is not hex text";
        return result;
    }
    const std::string_view cipherText(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    auto plain = runCbc(cipherText, key, false);
    if (!plain) {
        result.error = "AES-" + std::to_string(key.bits()) + " decryption failed in libcrypto";
        return result;
    }
    result.plain = std::move(*plain);
    return result;
}

std::string encryptToHex(std::string_view plain, const AesKey& key)
{
    const auto cipherText = runCbc(plain, key, true);
    if (!cipherText) {
        return {};
    }
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string hex;
    hex.reserve(cipherText->size() * 2);
    for (char c : *cipherText) {
        const auto byte = static_cast<uint8_t>(c);
        hex += kDigits[byte >> 4];
        hex += kDigits[byte & 0x0F];
    }
    return hex;
}

std::string padForEncryption(std::string_view content)
{
    // At least one pad character, so the first block always carries random text.
    const size_t padLength = 16 - (content.size() + 1) % 16 == 16 ? 16 : 16 - (content.size() + 1) % 16;
    std::array<unsigned char, 16> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        random.fill(0x41); // no randomness available: still a valid frame, only less varied
    }
    // Printable ASCII without '|', '[' and ']': 0x20..0x7E minus three.
    static constexpr std::string_view kAllowed =
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ\\^_`abcdefghijklmnopqrstuvwxyz{}~";
    std::string plain;
    plain.reserve(padLength + 1 + content.size());
    for (size_t i = 0; i < padLength; ++i) {
        plain += kAllowed[random[i] % kAllowed.size()];
    }
    plain += '|';
    plain += content;
    return plain;
}

} // namespace ccoc::sia
