// One HTTP POST through libcurl: the SOAP transport. HTTP digest authentication is curl's
// (CURLAUTH_DIGEST); nothing of HTTP is written here by hand.
#pragma once

#include "onvif_result.hpp"

#include <chrono>
#include <string>

namespace ccoc::onvif {

struct HttpPost {
    std::string url;
    std::string body;
    std::string contentType;
    std::string user;          // with httpDigest only
    std::string password;      // with httpDigest only
    bool httpDigest = false;
    std::chrono::milliseconds timeout{5000}; // the whole exchange, connect included
};

struct HttpAnswer {
    long status = 0;
    std::string body;
    bool digestChallenge = false; // a 401 with "WWW-Authenticate: Digest ..."
};

// Sends the POST and waits for the whole answer. Errors: Transport (no connection), Timeout.
// Any HTTP status is an answer; the caller decides. Thread: any (a curl handle per call).
Result<HttpAnswer> httpPost(const HttpPost& request);

} // namespace ccoc::onvif
