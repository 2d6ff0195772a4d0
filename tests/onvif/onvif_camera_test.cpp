// The client end to end against onvif_test_camera.py over real HTTP on 127.0.0.1. The test camera
// checks every request's envelope with lxml and recomputes the digest with hashlib, so these tests
// also check our requests against an implementation that shares no code with ours.
#include "camera.hpp"
#include "child_process.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <regex>
#include <stdexcept>

using namespace ccoc::onvif;
using namespace std::chrono_literals;

namespace {

struct TestCamera {
    std::unique_ptr<ccoc::test::ChildProcess> process;
    std::string deviceUrl;

    explicit TestCamera(std::vector<std::string> options = {})
    {
        std::vector<std::string> argv{"/usr/bin/python3", CCOC_SOURCE_DIR "/tests/onvif/onvif_test_camera.py"};
        argv.insert(argv.end(), options.begin(), options.end());
        process = std::make_unique<ccoc::test::ChildProcess>(argv);
        if (!process->waitForOutput("\n", 10s)) {
            throw std::runtime_error("test camera did not start: " + process->output());
        }
        std::smatch m;
        const std::string out = process->output();
        if (!std::regex_search(out, m, std::regex("port (\\d+)"))) {
            throw std::runtime_error("test camera printed no port: " + out);
        }
        deviceUrl = "http://127.0.0.1:" + m[1].str() + "/onvif/device_service";
    }
};

Credentials creds(std::string password = "secret")
{
    return Credentials{"admin", std::move(password), AuthMode::UsernameToken};
}

} // namespace

TEST_CASE("onvif/device_information: digest accepted, services found, profiles and stream URI read")
{
    TestCamera cam;
    Camera c(cam.deviceUrl, creds(), 5s);
    auto info = c.deviceInformation();
    REQUIRE(info.ok());
    CHECK(info.value().manufacturer == "CCOC & Test");
    CHECK(info.value().serialNumber == "SN42");
    auto services = c.discoverServices();
    REQUIRE(services.ok());
    CHECK(services.value().ptz == cam.deviceUrl.substr(0, cam.deviceUrl.rfind('/')) + "/ptz_x");
    auto profiles = c.profiles();
    REQUIRE(profiles.ok());
    REQUIRE(profiles.value().size() == 1);
    CHECK(profiles.value()[0].token == "prof1");
    CHECK(profiles.value()[0].ptzConfigurationToken == "ptzc1");
    CHECK(profiles.value()[0].width == 1920);
    CHECK(profiles.value()[0].height == 1080);
    auto uri = c.streamUri("prof1");
    REQUIRE(uri.ok());
    CHECK(uri.value() == "rtsp://127.0.0.1:8554/prof1");
}

TEST_CASE("onvif/wrong_password: refused with ter:NotAuthorized in words, after one clock re-read")
{
    TestCamera cam;
    Camera c(cam.deviceUrl, creds("wrong"), 5s);
    auto info = c.deviceInformation();
    REQUIRE_FALSE(info.ok());
    CHECK(info.error().kind == ErrorKind::Fault);
    CHECK(info.error().subcode == "ter:NotAuthorized");
    CHECK(info.error().message.find("Sender not Authorized") != std::string::npos);
    CHECK(c.soap().clockReads() == 2);
}

TEST_CASE("onvif/clock_skew_reread: a camera two hours ahead is reached with its own clock")
{
    TestCamera cam({"--clock-offset", "7200"});
    Camera c(cam.deviceUrl, creds(), 5s);
    REQUIRE(c.deviceInformation().ok());
    CHECK(c.soap().clockOffset() > 7190s);
    CHECK(c.soap().clockOffset() < 7210s);
}

TEST_CASE("onvif/ptz_moves_and_presets: status, moves, presets and home change the camera's state")
{
    TestCamera cam;
    Camera c(cam.deviceUrl, creds(), 5s);
    auto options = c.ptzOptions("ptzc1");
    REQUIRE(options.ok());
    CHECK(options.value().continuousPanTilt);
    CHECK(options.value().absolutePanTilt);
    CHECK(options.value().tiltRange.min == Approx(-0.5));
    REQUIRE(options.value().timeoutSeconds.has_value());
    CHECK(options.value().timeoutSeconds->max == Approx(60));
    REQUIRE(c.continuousMove("prof1", PtzVector{0.5, 0.0, std::nullopt}, 2).ok());
    CHECK(c.ptzStatus("prof1").value().panTiltMove == "MOVING");
    REQUIRE(c.stop("prof1", true, true).ok());
    CHECK(c.ptzStatus("prof1").value().panTiltMove == "IDLE");
    REQUIRE(c.absoluteMove("prof1", PtzVector{0.25, 0.5, 0.75}).ok());
    REQUIRE(c.relativeMove("prof1", PtzVector{0.25, std::nullopt, std::nullopt}).ok());
    auto status = c.ptzStatus("prof1");
    REQUIRE(status.ok());
    CHECK(*status.value().position.pan == Approx(0.5));
    CHECK(*status.value().position.zoom == Approx(0.75));
    CHECK_FALSE(status.value().utcTime.empty());
    auto token = c.setPreset("prof1", "gate <1> & door");
    REQUIRE(token.ok());
    auto presets = c.presets("prof1");
    REQUIRE(presets.ok());
    REQUIRE(presets.value().size() == 1);
    CHECK(presets.value()[0].name == "gate <1> & door");
    REQUIRE(c.gotoHome("prof1").ok());
    CHECK(*c.ptzStatus("prof1").value().position.pan == Approx(0));
    REQUIRE(c.gotoPreset("prof1", token.value()).ok());
    CHECK(*c.ptzStatus("prof1").value().position.pan == Approx(0.5));
    REQUIRE(c.removePreset("prof1", token.value()).ok());
    CHECK(c.gotoPreset("prof1", token.value()).error().subcode == "ter:NoToken");
    auto outOfRange = c.absoluteMove("prof1", PtzVector{2.0, 0.0, std::nullopt});
    CHECK(outOfRange.error().subcode == "ter:InvalidArgVal");
}

TEST_CASE("onvif/no_continuous_move: a camera whose options have no continuous spaces says so")
{
    TestCamera cam({"--no-continuous"});
    Camera c(cam.deviceUrl, creds(), 5s);
    auto options = c.ptzOptions("ptzc1");
    REQUIRE(options.ok());
    CHECK_FALSE(options.value().continuousPanTilt);
    CHECK_FALSE(options.value().continuousZoom);
    CHECK(options.value().absolutePanTilt);
}

TEST_CASE("onvif/action_not_supported: the fault is an error value naming the operation")
{
    TestCamera cam({"--fault-action", "GotoHomePosition"});
    Camera c(cam.deviceUrl, creds(), 5s);
    auto home = c.gotoHome("prof1");
    REQUIRE_FALSE(home.ok());
    CHECK(home.error().subcode == "ter:ActionNotSupported");
    CHECK(home.error().message.find("(GotoHomePosition)") != std::string::npos);
}

TEST_CASE("onvif/old_camera_capabilities: without GetServices the addresses come from GetCapabilities")
{
    TestCamera cam({"--mode", "no-getservices"});
    Camera c(cam.deviceUrl, creds(), 5s);
    auto services = c.discoverServices();
    REQUIRE(services.ok());
    CHECK(services.value().media == cam.deviceUrl.substr(0, cam.deviceUrl.rfind('/')) + "/media_x");
    CHECK(c.profiles().ok());
}

TEST_CASE("onvif/nat_private_xaddr: a private address in GetServices is replaced by the host reached")
{
    TestCamera cam({"--mode", "nat"});
    Camera c(cam.deviceUrl, creds(), 5s);
    auto services = c.discoverServices();
    REQUIRE(services.ok());
    CHECK(services.value().ptz.find("192.168.1.64") == std::string::npos);
    CHECK(c.ptzStatus("prof1").ok());
}

TEST_CASE("onvif/bad_answers: malformed XML, HTTP 500 and a camera that never answers are errors in words")
{
    {
        TestCamera cam({"--mode", "malformed"});
        Camera c(cam.deviceUrl, creds(), 5s);
        auto r = c.deviceInformation();
        CHECK(r.error().kind == ErrorKind::Malformed);
        CHECK(r.error().message.find("not well-formed XML") != std::string::npos);
    }
    {
        TestCamera cam({"--mode", "http500"});
        Camera c(cam.deviceUrl, creds(), 5s);
        auto r = c.deviceInformation();
        CHECK(r.error().kind == ErrorKind::Http);
        CHECK(r.error().httpStatus == 500);
        CHECK(r.error().message.find("HTTP status 500") != std::string::npos);
    }
    {
        TestCamera cam({"--mode", "hang"});
        Camera c(cam.deviceUrl, creds(), 500ms);
        const auto start = std::chrono::steady_clock::now();
        auto r = c.deviceInformation();
        CHECK(r.error().kind == ErrorKind::Timeout);
        CHECK(r.error().message.find("no answer within 500 ms") != std::string::npos);
        CHECK(std::chrono::steady_clock::now() - start < 3s);
    }
}

TEST_CASE("onvif/http_digest_auto: a camera that challenges with HTTP digest is reached in auto and digest modes")
{
    TestCamera cam({"--http-digest"});
    Camera automatic(cam.deviceUrl, Credentials{"admin", "secret", AuthMode::Auto}, 5s);
    auto info = automatic.deviceInformation();
    INFO((info.ok() ? std::string() : info.error().message));
    INFO((cam.process->output()));
    REQUIRE(info.ok());
    CHECK(automatic.ptzStatus("prof1").ok());
    Camera digest(cam.deviceUrl, Credentials{"admin", "secret", AuthMode::HttpDigest}, 5s);
    CHECK(digest.deviceInformation().ok());
    Camera wrong(cam.deviceUrl, Credentials{"admin", "nope", AuthMode::HttpDigest}, 5s);
    auto refused = wrong.deviceInformation();
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().httpStatus == 401);
    CHECK(refused.error().message.find("not authorised") != std::string::npos);
}
