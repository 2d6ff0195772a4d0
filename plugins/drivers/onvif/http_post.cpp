#include "http_post.hpp"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>

namespace ccoc::onvif {
namespace {

size_t appendBody(char* data, size_t size, size_t count, void* user)
{
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

size_t readHeader(char* data, size_t size, size_t count, void* user)
{
    std::string line(data, size * count);
    for (char& c : line) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (line.rfind("www-authenticate:", 0) == 0 && line.find("digest") != std::string::npos) {
        *static_cast<bool*>(user) = true;
    }
    return size * count;
}

struct CurlFree {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

} // namespace

Result<HttpAnswer> httpPost(const HttpPost& request)
{
    // curl_global_init is not thread-safe; the first call makes it once for the process.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) {
        return makeError(ErrorKind::Transport, request.url + ": curl could not make a handle");
    }
    HttpAnswer answer;
    std::unique_ptr<curl_slist, SlistFree> headers(
        curl_slist_append(nullptr, ("Content-Type: " + request.contentType).c_str()));
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); // no SIGALRM for DNS timeouts in a threaded driver
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, readHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &answer.digestChallenge);
    if (request.httpDigest) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
        curl_easy_setopt(c, CURLOPT_USERNAME, request.user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, request.password.c_str());
    }
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        return makeError(ErrorKind::Timeout, request.url + ": no answer within " +
                                                 std::to_string(request.timeout.count()) + " ms");
    }
    if (rc != CURLE_OK) {
        return makeError(ErrorKind::Transport, request.url + ": " + curl_easy_strerror(rc));
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
    return answer;
}

} // namespace ccoc::onvif
