// SOAP calls to one camera with its credentials: WS-UsernameToken with the camera's clock (read
// once with GetSystemDateAndTime, the offset kept, re-read after an authentication failure and the
// request retried once), HTTP digest, or "auto" (switch to HTTP digest when the camera answers 401
// with a Digest challenge).
#pragma once

#include "onvif_result.hpp"
#include "soap_envelope.hpp"

#include <chrono>
#include <string>

namespace ccoc::onvif {

enum class AuthMode { None, UsernameToken, HttpDigest, Auto };

struct Credentials {
    std::string user;
    std::string password;
    AuthMode mode = AuthMode::Auto;
};

// Thread: one at a time per SoapClient (the driver gives each camera its own).
class SoapClient {
public:
    // `deviceUrl` is the device service (http://host/onvif/device_service), where the clock is read.
    SoapClient(std::string deviceUrl, Credentials credentials, std::chrono::milliseconds timeout);

    // Posts `body` to `url` with SOAP action `action`; the answer's envelope, or an Error in words
    // (faults decoded, HTTP statuses, timeouts).
    Result<XmlDoc> call(const std::string& url, const std::string& action, const Element& body);

    // Reads the camera's clock now (GetSystemDateAndTime, unauthenticated) and keeps the offset.
    Status readClock();
    [[nodiscard]] std::chrono::seconds clockOffset() const noexcept { return offset_; }
    [[nodiscard]] int clockReads() const noexcept { return clockReads_; }
    [[nodiscard]] const std::string& deviceUrl() const noexcept { return deviceUrl_; }

private:
    Result<XmlDoc> send(const std::string& url, const std::string& action, const Element& body, bool token);

    std::string deviceUrl_;
    Credentials credentials_;
    std::chrono::milliseconds timeout_;
    std::chrono::seconds offset_{0};
    bool clockRead_ = false;
    int clockReads_ = 0;
    bool digestNeeded_ = false;
};

} // namespace ccoc::onvif
