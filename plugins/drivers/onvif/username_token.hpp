// WS-Security UsernameToken with PasswordDigest (OASIS WSS UsernameToken Profile 1.0, section 3.1):
// Digest = Base64(SHA-1(nonce + Created + password)), nonce as raw bytes. ONVIF cameras check
// Created against their own clock, so the caller passes the camera's time, not ours.
#pragma once

#include <chrono>
#include <string>

namespace ccoc::onvif {

struct UsernameToken {
    std::string nonceBase64; // the nonce as it goes on the wire
    std::string created;     // xsd:dateTime in UTC, "2010-09-16T07:50:45Z"
    std::string digest;      // Base64(SHA-1(nonce + created + password))
};

// The digest for a nonce given in Base64. Returns "" if the nonce is not valid Base64.
// Thread: any.
std::string passwordDigest(const std::string& nonceBase64, const std::string& created, const std::string& password);

// A fresh token: 16 random bytes of nonce (OpenSSL RAND_bytes), Created from `cameraNow`.
// Thread: any.
UsernameToken makeUsernameToken(const std::string& password, std::chrono::system_clock::time_point cameraNow);

// "YYYY-MM-DDThh:mm:ssZ" for a time point. Thread: any.
std::string formatUtc(std::chrono::system_clock::time_point time);

} // namespace ccoc::onvif
