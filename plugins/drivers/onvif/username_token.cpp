#include "username_token.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <ctime>
#include <vector>

namespace ccoc::onvif {
namespace {

std::string base64(const unsigned char* data, size_t size)
{
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<size_t>(written));
    return out;
}

bool unbase64(const std::string& text, std::vector<unsigned char>& out)
{
    if (text.empty() || text.size() % 4 != 0) {
        return false;
    }
    out.assign(text.size() / 4 * 3 + 1, 0);
    const int written = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                        static_cast<int>(text.size()));
    if (written < 0) {
        return false;
    }
    // EVP_DecodeBlock counts the padding as zero bytes; drop them.
    size_t size = static_cast<size_t>(written);
    for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
        --size;
    }
    out.resize(size);
    return true;
}

} // namespace

std::string passwordDigest(const std::string& nonceBase64, const std::string& created, const std::string& password)
{
    std::vector<unsigned char> input;
    if (!unbase64(nonceBase64, input)) {
        return {};
    }
    input.insert(input.end(), created.begin(), created.end());
    input.insert(input.end(), password.begin(), password.end());
    unsigned char hash[SHA_DIGEST_LENGTH];
    SHA1(input.data(), input.size(), hash);
    return base64(hash, sizeof hash);
}

std::string formatUtc(std::chrono::system_clock::time_point time)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

UsernameToken makeUsernameToken(const std::string& password, std::chrono::system_clock::time_point cameraNow)
{
    unsigned char nonce[16];
    RAND_bytes(nonce, sizeof nonce);
    UsernameToken token;
    token.nonceBase64 = base64(nonce, sizeof nonce);
    token.created = formatUtc(cameraNow);
    token.digest = passwordDigest(token.nonceBase64, token.created, password);
    return token;
}

} // namespace ccoc::onvif
