// url_redaction_test.cpp: passwords never survive redaction; credentials are encoded safely.
#include <catch2/catch.hpp>

#include "ccoc/video/url_redaction.hpp"

using ccoc::video::redactCredentials;
using ccoc::video::redactUrl;
using ccoc::video::urlWithCredentials;

TEST_CASE("video/redact_url") {
  CHECK(redactUrl("rtsp://admin:secret@10.0.0.5:554/stream1") ==
        "rtsp://admin:***@10.0.0.5:554/stream1");
  CHECK(redactUrl("rtsp://10.0.0.5/stream1") == "rtsp://10.0.0.5/stream1");
  CHECK(redactUrl("rtsp://viewer@cam/x") == "rtsp://viewer@cam/x");
  CHECK(redactUrl("http://u:p@ss@host/a?b=c") == "http://u:***@host/a?b=c");
  CHECK(redactUrl("/srv/clips/gate.mp4") == "/srv/clips/gate.mp4");
  CHECK(redactCredentials("open rtsp://a:b@h/1 failed; tried http://c:d@k too") ==
        "open rtsp://a:***@h/1 failed; tried http://c:***@k too");
}

TEST_CASE("video/url_with_credentials") {
  CHECK(urlWithCredentials("rtsp://cam:554/s", "op", "p@ss:w/rd") ==
        "rtsp://op:p%40ss%3Aw%2Frd@cam:554/s");
  CHECK(urlWithCredentials("rtsp://old:pw@cam/s", "new", "x") == "rtsp://new:x@cam/s");
  CHECK(urlWithCredentials("rtsp://cam/s", "", "ignored") == "rtsp://cam/s");
  const std::string withSecret = urlWithCredentials("rtsp://cam/s", "op", "TopSecret");
  CHECK(redactUrl(withSecret).find("TopSecret") == std::string::npos);
}
