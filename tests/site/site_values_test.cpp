// Site files: values that have a form of their own, checked where they are written. Camera URLs
// (scheme, host, port; credentials masked in the message) and a camera's password_env (a
// variable's name; what was written instead is never quoted, since it may be the secret itself).
// The *_env keys of plugins' and drivers' settings are checked by their declarations
// (tests/driver/driver_declarations_test.cpp).
#include "site_test_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using ccoc::site::test::errorsOf;
using ccoc::site::test::withHead;
using Lines = std::vector<std::string>;

namespace {

const std::string kUrlExpected =
    "expected rtsp://, rtsps://, http:// or https:// with a host and an optional port 1..65535 "
    "(rtsp://HOST[:PORT]/PATH), file:///PATH, or an absolute file path";

const std::string kEnvExpected = "expected the name of an environment variable: upper-case letters, digits and '_', "
                                 "not starting with a digit, e.g. CAM1_PASSWORD";

// A camera on lines 10-13 whose url (line 13, value at column 7) is `url`, plus `more`.
std::string camera(const std::string& url, const std::string& more = {}) {
    return withHead("[[camera]]\nid = \"c\"\nname = \"n\"\nurl = \"" + url + "\"\n" + more);
}

std::string joined(const Lines& lines) {
    std::string all;
    for (const std::string& line : lines) {
        all += line + "\n";
    }
    return all;
}

} // namespace

TEST_CASE("site/camera-url-accepted") {
    for (const char* url : {"rtsp://10.0.0.1/main", "rtsps://cam-1.station.local:322/h264", "http://127.0.0.1:8080/mjpg",
                            "HTTPS://cam.example/stream", "rtsp://admin:pa%2Fss@10.0.0.1:554/main",
                            "rtsp://[fe80::1]:554/main", "rtsp://[::1]/x", "file:///srv/clips/lobby.mkv",
                            "/srv/clips/lobby.mkv"}) {
        INFO(url);
        CHECK(errorsOf(camera(url)).empty());
    }
}

TEST_CASE("site/camera-url-scheme") {
    CHECK(errorsOf(camera("rtp://10.0.0.1/main")) ==
          Lines{"site.toml:13:7: 'url' of [[camera]] is 'rtp://10.0.0.1/main': its scheme 'rtp' is not one the camera "
                "wall reads; " + kUrlExpected});
    CHECK(errorsOf(camera("10.0.0.1/main")) ==
          Lines{"site.toml:13:7: 'url' of [[camera]] is '10.0.0.1/main': it is neither a URL with a scheme nor an "
                "absolute file path; " + kUrlExpected});
    CHECK(errorsOf(camera("file://clips/lobby.mkv")) ==
          Lines{"site.toml:13:7: 'url' of [[camera]] is 'file://clips/lobby.mkv': a file URL is file:// followed by "
                "an absolute path (file:///PATH); " + kUrlExpected});
}

TEST_CASE("site/camera-url-host-and-port") {
    CHECK(errorsOf(camera("rtsp:///main")) ==
          Lines{"site.toml:13:7: 'url' of [[camera]] is 'rtsp:///main': it has no host; " + kUrlExpected});
    CHECK(errorsOf(camera("rtsp://10.0.0.1:0/main")) ==
          Lines{"site.toml:13:7: 'url' of [[camera]] is 'rtsp://10.0.0.1:0/main': its port 0 is out of range; " +
                kUrlExpected});
    CHECK(errorsOf(camera("http://cam:65536/x")) ==
          Lines{"site.toml:13:7: 'url' of [[camera]] is 'http://cam:65536/x': its port 65536 is out of range; " +
                kUrlExpected});
    CHECK(errorsOf(camera("rtsp://10.0.0.1:rtsp/main")) ==
          Lines{"site.toml:13:7: 'url' of [[camera]] is 'rtsp://10.0.0.1:rtsp/main': its port is not a number; " +
                kUrlExpected});
    CHECK(errorsOf(camera("rtsp://fe80::1/main")) ==
          Lines{"site.toml:13:7: 'url' of [[camera]] is 'rtsp://fe80::1/main': its host has more than one ':' (an "
                "IPv6 address goes in [brackets]); " + kUrlExpected});
    CHECK(errorsOf(camera("rtsp://cam 1/main")) ==
          Lines{"site.toml:13:7: 'url' of [[camera]] is 'rtsp://cam 1/main': its host has characters a host name "
                "cannot have; " + kUrlExpected});
}

TEST_CASE("site/camera-url-sub-url-and-every-error") {
    // Both URLs of one camera, and the next camera too: one error never hides another.
    const Lines errors = errorsOf(camera("rtsp://10.0.0.1:99999/main", "sub_url = \"ftp://10.0.0.1/sub\"\n"
                                                                       "[[camera]]\nid = \"d\"\nname = \"n\"\n"
                                                                       "url = \"rtsp://:554/x\"\n"));
    CHECK(errors == Lines{"site.toml:13:7: 'url' of [[camera]] is 'rtsp://10.0.0.1:99999/main': its port 99999 is out "
                          "of range; " + kUrlExpected,
                          "site.toml:14:11: 'sub_url' of [[camera]] is 'ftp://10.0.0.1/sub': its scheme 'ftp' is not "
                          "one the camera wall reads; " + kUrlExpected,
                          "site.toml:18:7: 'url' of [[camera]] is 'rtsp://:554/x': it has no host; " + kUrlExpected});
}

TEST_CASE("site/camera-url-credentials-masked") {
    const Lines errors = errorsOf(camera("rtsp://admin:hunter2@10.0.0.1:70000/main"));
    CHECK(errors == Lines{"site.toml:13:7: 'url' of [[camera]] is 'rtsp://admin:***@10.0.0.1:70000/main': its port "
                          "70000 is out of range; " + kUrlExpected});
    // A password with an unescaped '/' ends the host part early; it is masked all the same.
    const Lines slashed = errorsOf(camera("rtsp://admin:pa/ss@10.0.0.1/main"));
    CHECK(slashed == Lines{"site.toml:13:7: 'url' of [[camera]] is 'rtsp://admin:***@10.0.0.1/main': its port is not "
                           "a number; " + kUrlExpected});
    // A token as the user name alone is masked too.
    const Lines token = errorsOf(camera("htp://c2VjcmV0LXRva2Vu@cam/main"));
    CHECK(token == Lines{"site.toml:13:7: 'url' of [[camera]] is 'htp://***@cam/main': its scheme 'htp' is not one the "
                         "camera wall reads; " + kUrlExpected});
    const std::string all = joined(errors) + joined(slashed) + joined(token);
    CHECK(all.find("hunter2") == std::string::npos);
    CHECK(all.find("ss@") == std::string::npos);
    CHECK(all.find("c2VjcmV0LXRva2Vu") == std::string::npos);
}

TEST_CASE("site/camera-password-env-not-echoed") {
    const Lines errors = errorsOf(camera("rtsp://10.0.0.1/main", "password_env = \"secret-7\"\n"));
    CHECK(errors == Lines{"site.toml:14:16: 'password_env' of [[camera]] is not a name of an environment variable (its "
                          "value is not shown: it may be a password); " + kEnvExpected});
    CHECK(joined(errors).find("secret-7") == std::string::npos);
    // Lower case is no variable name by the settings' rule either.
    CHECK(errorsOf(camera("rtsp://10.0.0.1/main", "password_env = \"cam1_password\"\n")).size() == 1);
}
