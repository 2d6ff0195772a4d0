// `ccoc-host --check SITE`: the real binary on site files written here, with real CURVE key pairs
// in files beside them. It must refuse (exit 2) what the host would refuse at start, naming the
// entry, the file and the line, never a secret; it must say "ok" (exit 0) for a site that starts.
#include "curve_site.hpp"

#include "child_process.hpp"
#include "demo_site.hpp"
#include "xvfb_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

using namespace ccoc;
using namespace ccoc::curve_test;
using namespace std::chrono_literals;
using test::ChildProcess;

namespace {

const std::string kHost = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-host";

struct CheckResult {
    int exitCode = -1;
    std::string output; // stdout and stderr
};

CheckResult runCheck(const std::string& site, const std::map<std::string, std::string>& env = {})
{
    ChildProcess host({kHost, "--check", site}, env);
    const auto code = host.wait(30s);
    return {code.value_or(-1), host.output()};
}

void writeSite(const std::string& path, const std::string& text)
{
    std::ofstream out(path);
    out << text;
    REQUIRE(out.good());
}

// 1-based line of the first line of `text` that contains `needle` (0: none).
int lineOf(const std::string& text, const std::string& needle)
{
    int line = 1;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t end = text.find('\n', start);
        const std::string current = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (current.find(needle) != std::string::npos) {
            return line;
        }
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
        ++line;
    }
    return 0;
}

// The site file's position prefix of the line holding `needle`: "PATH:LINE:".
std::string at(const CurveSite& curve, const std::string& text, const std::string& needle)
{
    const int line = lineOf(text, needle);
    REQUIRE(line > 0);
    return curve.path() + ":" + std::to_string(line) + ":";
}

// A CURVE site the host runs completely: broker and host keys, the embedded alarm service, a
// camera wall and a driver under ccoc-driverd, each with its own matching key. `driverSecret`
// names the key file of the driver's entry (its own pair: "sim-1").
std::string fullSite(CurveSite& curve, const std::string& driverSecret)
{
    return kStation +
           "[[panel]]\nid = \"w1\"\ntype = \"camera.wall\"\n\n"
           "[[driver]]\nid = \"sim-1\"\nplugin = \"sim\"\n\n" +
           curve.busSection(curve.allow("alarms", "alarms", "alarms",
                                        "publish = [\"state/alarms/\", \"event/alarms/\", \"cmd/\"]\ndevices = [\"alarms\"]") +
                            curve.allow("wall.w1", "wall.w1", "wall.w1",
                                        "publish = [\"state/wall.w1/\", \"event/wall.w1/\"]\ndevices = [\"wall.w1\"]") +
                            "[[bus.allow]]\nname = \"sim-1\"\npublic_key = \"" + curve.key("sim-1").publicKey +
                            "\"\nsecret_key_file = \"keys/" + driverSecret + "\"\npublish = [\"state/\", \"event/\"]\n");
}

} // namespace

TEST_CASE("host/check-clean-curve-site-says-ok")
{
    CurveSite curve;
    const std::string text = fullSite(curve, "sim-1.key");
    writeSite(curve.path(), text);
    const CheckResult result = runCheck(curve.path());
    INFO(result.output);
    CHECK(result.exitCode == 0);
    CHECK(result.output.find("ok\n") != std::string::npos);
    CHECK(result.output.find("warning") == std::string::npos);
}

TEST_CASE("host/check-allow-entry-key-file-missing")
{
    CurveSite curve;
    const std::string text = fullSite(curve, "gone.key"); // never written
    writeSite(curve.path(), text);
    const CheckResult result = runCheck(curve.path());
    INFO(result.output);
    CHECK(result.exitCode == 2);
    CHECK(result.output.find("ok\n") == std::string::npos);
    // The entry, the line of its secret_key_file, the file, and that the driver would not start.
    CHECK(result.output.find(at(curve, text, "keys/gone.key")) != std::string::npos);
    CHECK(result.output.find("[[bus.allow]] 'sim-1'") != std::string::npos);
    CHECK(result.output.find("cannot read the key file " + (curve.dir.path / "keys" / "gone.key").string()) !=
          std::string::npos);
    CHECK(result.output.find("[[driver]] sim-1 is not started") != std::string::npos);
}

TEST_CASE("host/check-key-file-of-another-pair-is-refused-without-showing-it")
{
    CurveSite curve;
    curve.key("stranger");
    const std::string text = fullSite(curve, "stranger.key");
    writeSite(curve.path(), text);
    const CheckResult result = runCheck(curve.path());
    INFO(result.output);
    CHECK(result.exitCode == 2);
    CHECK(result.output.find(at(curve, text, "keys/stranger.key")) != std::string::npos);
    CHECK(result.output.find("[[bus.allow]] 'sim-1'") != std::string::npos);
    CHECK(result.output.find((curve.dir.path / "keys" / "stranger.key").string() + " does not belong to the entry's "
                                                                                     "public_key") != std::string::npos);
    CHECK_FALSE(curve.holdsSecret(result.output));
}

TEST_CASE("host/check-broker-and-host-key-files")
{
    CurveSite curve;
    std::string text = fullSite(curve, "sim-1.key");
    // The broker's file holds the host's secret; the host's own file is missing.
    text.replace(text.find("keys/broker.key"), 15, "keys/host.key");
    text.replace(text.find("client_secret_key_file = \"keys/host.key\""), 40, "client_secret_key_file = \"keys/no.key\"");
    writeSite(curve.path(), text);
    const CheckResult result = runCheck(curve.path());
    INFO(result.output);
    CHECK(result.exitCode == 2);
    CHECK(result.output.find(at(curve, text, "server_secret_key_file") + "26: server_secret_key_file of [bus]: the "
                             "secret key in " + (curve.dir.path / "keys" / "host.key").string() +
                             " does not belong to server_public_key") != std::string::npos);
    CHECK(result.output.find(at(curve, text, "client_secret_key_file") + "26: client_secret_key_file of [bus]: cannot "
                             "read the key file " + (curve.dir.path / "keys" / "no.key").string() + "; expected") !=
          std::string::npos);
    CHECK_FALSE(curve.holdsSecret(result.output));
}

TEST_CASE("host/check-peers-the-host-runs-need-entries")
{
    CurveSite curve;
    // No "alarms" and no "wall.w1" entry: the alarm service and the wall would stay off the bus.
    const std::string text = kStation + "[[panel]]\nid = \"w1\"\ntype = \"camera.wall\"\n\n" +
                             "[[driver]]\nid = \"sim-1\"\nplugin = \"sim\"\n\n" +
                             curve.busSection(curve.allow("sim-1", "sim-1", "sim-1", "publish = [\"state/\"]"));
    writeSite(curve.path(), text);
    const CheckResult result = runCheck(curve.path());
    INFO(result.output);
    CHECK(result.exitCode == 2);
    CHECK(result.output.find("[[bus.allow]] name = \"alarms\"") != std::string::npos);
    CHECK(result.output.find("[[service]] alarms is not started") != std::string::npos);
    CHECK(result.output.find("[[bus.allow]] name = \"wall.w1\"") != std::string::npos);
}

TEST_CASE("host/check-entry-no-peer-here-uses-is-only-a-warning")
{
    CurveSite curve;
    // ops-1 is a workstation's key: its file lives on that workstation.
    const std::string text = fullSite(curve, "sim-1.key") + "\n[[bus.allow]]\nname = \"ops-1\"\npublic_key = \"" +
                             curve.key("ops-1").publicKey + "\"\nsecret_key_file = \"keys/elsewhere.key\"\n";
    writeSite(curve.path(), text);
    const CheckResult result = runCheck(curve.path());
    INFO(result.output);
    CHECK(result.exitCode == 0);
    CHECK(result.output.find("ok\n") != std::string::npos);
    CHECK(result.output.find("warning: bus: " + at(curve, text, "keys/elsewhere.key")) != std::string::npos);
    CHECK(result.output.find("'ops-1'") != std::string::npos);
}

TEST_CASE("host/check-camera-password-env-unset-is-refused-as-at-start")
{
    CurveSite curve; // for its folder only: this site has no [bus]
    const std::string variable = "CCOC_CHECK_TEST_CAMERA_PASSWORD";
    const std::string text = kStation + "[[camera]]\nid = \"cam1\"\nname = \"กล้อง 1\"\nurl = \"rtsp://10.0.0.1/main\"\n"
                                        "username = \"viewer\"\npassword_env = \"" + variable + "\"\n";
    writeSite(curve.path(), text);
    REQUIRE(std::getenv(variable.c_str()) == nullptr);

    // The host refuses to load a site whose camera password is missing, so the check does too.
    const CheckResult unset = runCheck(curve.path());
    INFO(unset.output);
    CHECK(unset.exitCode == 2);
    CHECK(unset.output.find(at(curve, text, "password_env")) != std::string::npos);
    CHECK(unset.output.find("'" + variable + "' named by 'password_env' is not set") != std::string::npos);

    const std::string password = "pw-that-must-not-show-7f3a";
    const CheckResult set = runCheck(curve.path(), {{variable, password}});
    INFO(set.output);
    CHECK(set.exitCode == 0);
    CHECK(set.output.find("ok\n") != std::string::npos);
    CHECK(set.output.find(password) == std::string::npos);
}

TEST_CASE("host/check-driver-settings-env-unset-is-a-warning")
{
    CurveSite curve;
    const std::string variable = "CCOC_CHECK_TEST_KEY_PASSWORD";
    const std::string text = kStation + "[[service]]\nid = \"alarms\"\nplugin = \"alarms\"\nenabled = false\n\n[[driver]]\nid = \"mqtt-1\"\nplugin = \"mqtt\"\n"
                                        "[driver.settings]\nkey_password_env = \"" + variable + "\"\n"
                                        "[[driver.settings.sensor]]\ndevice = \"door-1\"\nname = \"front_door\"\n";
    writeSite(curve.path(), text);
    REQUIRE(std::getenv(variable.c_str()) == nullptr);
    // The host starts without it (only the driver reading it may refuse its settings): a warning.
    const CheckResult unset = runCheck(curve.path());
    INFO(unset.output);
    CHECK(unset.exitCode == 0);
    CHECK(unset.output.find("ok\n") != std::string::npos);
    CHECK(unset.output.find("warning: " + at(curve, text, "key_password_env")) != std::string::npos);
    CHECK(unset.output.find("'" + variable + "' named by 'key_password_env' in the settings of [[driver]] 'mqtt-1' "
                            "is not set") != std::string::npos);

    const std::string secret = "key-pw-not-shown-91c2";
    const CheckResult set = runCheck(curve.path(), {{variable, secret}});
    INFO(set.output);
    CHECK(set.exitCode == 0);
    CHECK(set.output.find("warning") == std::string::npos);
    CHECK(set.output.find(secret) == std::string::npos);
}

TEST_CASE("host/check-driver-plugin-not-on-the-plugin-path")
{
    CurveSite curve;
    const std::string text = kStation + "[[service]]\nid = \"alarms\"\nplugin = \"alarms\"\nenabled = false\n\n[[driver]]\nid = \"x-1\"\nplugin = \"no_such_driver\"\n";
    writeSite(curve.path(), text);
    const CheckResult result = runCheck(curve.path());
    INFO(result.output);
    CHECK(result.exitCode == 2);
    CHECK(result.output.find(at(curve, text, "no_such_driver") + "10: [[driver]] 'x-1': no no_such_driver.so on the "
                             "plugin path") != std::string::npos);
}

TEST_CASE("host/check-driver-plugins-need-ccoc-driverd")
{
    CurveSite curve;
    const std::string text = kStation + "[[service]]\nid = \"alarms\"\nplugin = \"alarms\"\nenabled = false\n\n[[driver]]\nid = \"sim-1\"\nplugin = \"sim\"\n";
    writeSite(curve.path(), text);
    // Beside the host in the build tree: fine.
    const CheckResult beside = runCheck(curve.path());
    INFO(beside.output);
    CHECK(beside.exitCode == 0);
    // Where the host would look for it, there is none: every start of the driver would fail.
    const std::string missing = (curve.dir.path / "no-driverd").string();
    const CheckResult result = runCheck(curve.path(), {{"CCOC_DRIVERD", missing}});
    INFO(result.output);
    CHECK(result.exitCode == 2);
    CHECK(result.output.find(at(curve, text, "[[driver]]") + "1: [[driver]] 'sim-1' runs under ccoc-driverd, and " +
                             missing + " is not an executable file") != std::string::npos);
}

namespace {

// A port nobody listens on now (bound to port 0, then released).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    socklen_t length = sizeof(address);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    ::close(fd);
    return ntohs(address.sin_port);
}

// A site without security on these endpoints (no alarm service, no drivers: only the bus).
std::string plainBusSite(const std::string& busKeys)
{
    return kStation + "[[service]]\nid = \"alarms\"\nplugin = \"alarms\"\nenabled = false\n\n[bus]\n" + busKeys;
}

const std::string kOpenWarning = ": the bus has no security (security = \"none\") and its ";

} // namespace

TEST_CASE("host/check-plain-bus-on-all-interfaces-warns-at-security")
{
    CurveSite curve;
    const std::string frontend = "tcp://0.0.0.0:" + std::to_string(freePort());
    const std::string text = plainBusSite("security = \"none\"\nfrontend = \"" + frontend + "\"\npublisher = \"" +
                                          curve.publisher() + "\"\n");
    writeSite(curve.path(), text);
    const CheckResult result = runCheck(curve.path());
    INFO(result.output);
    // A warning, not an error: the site runs, but the operator is told what anyone can do.
    CHECK(result.exitCode == 0);
    CHECK(result.output.find("warning: " + at(curve, text, "security = ") + "12" + kOpenWarning + "frontend " +
                             frontend + " can be reached from other machines: any of them can join as any driver or "
                             "console") != std::string::npos);
    CHECK(result.output.find("expected security = \"curve\"") != std::string::npos);
}

TEST_CASE("host/check-plain-bus-default-security-warns-at-the-endpoint")
{
    CurveSite curve;
    // security left at its default: the warning points at the endpoint that is open.
    const std::string publisher = "tcp://*:" + std::to_string(freePort());
    const std::string text = plainBusSite("frontend = \"" + curve.frontend() + "\"\npublisher = \"" + publisher + "\"\n");
    writeSite(curve.path(), text);
    const CheckResult result = runCheck(curve.path());
    INFO(result.output);
    CHECK(result.exitCode == 0);
    CHECK(result.output.find("warning: " + at(curve, text, "publisher = ") + "13" + kOpenWarning + "publisher " +
                             publisher + " can be reached") != std::string::npos);
}

TEST_CASE("host/check-plain-bus-on-loopback-does-not-warn")
{
    for (const std::string& frontend :
         {std::string("tcp://127.0.0.1:5570"), std::string("tcp://localhost:5570"), std::string("tcp://[::1]:5570")}) {
        CurveSite curve;
        INFO(frontend);
        writeSite(curve.path(), plainBusSite("security = \"none\"\nfrontend = \"" + frontend + "\"\npublisher = \"" +
                                             curve.publisher() + "\"\n"));
        const CheckResult result = runCheck(curve.path());
        INFO(result.output);
        CHECK(result.exitCode == 0);
        CHECK(result.output == "ok\n");
    }
}

TEST_CASE("host/check-demo-site-with-the-keys-the-demo-setup-makes-says-ok")
{
    // configs/demo.toml runs with CURVE; the same setup step as ./ccoc demo makes its keys.
    const test::DemoSite demo;
    const CheckResult result = runCheck(demo.sitePath());
    INFO(result.output);
    CHECK(result.exitCode == 0);
    CHECK(result.output == "ok\n");
}

TEST_CASE("host/start-plain-bus-warns-loudly-off-loopback-and-notes-local-joins-on-it")
{
    test::XvfbServer xvfb(640, 480);
    CurveSite curve;
    const std::string open = "tcp://0.0.0.0:" + std::to_string(freePort());
    const std::string text = plainBusSite("security = \"none\"\nfrontend = \"" + open + "\"\npublisher = \"" +
                                          curve.publisher() + "\"\n");
    writeSite(curve.path(), text);
    {
        ChildProcess host({kHost, "--config", curve.path(), "--frames", "3"}, {{"DISPLAY", xvfb.display()}});
        REQUIRE(host.wait(60s).has_value());
        INFO(host.output());
        CHECK(host.output().find("warn  [bus] WARNING: " + at(curve, text, "security = ") + "12" + kOpenWarning +
                                 "frontend " + open + " can be reached from other machines") != std::string::npos);
    }
    // On loopback only: an info line that still says who can join.
    const std::string local = "tcp://127.0.0.1:" + std::to_string(freePort());
    writeSite(curve.path(), plainBusSite("security = \"none\"\nfrontend = \"" + local + "\"\npublisher = \"" +
                                         curve.publisher() + "\"\n"));
    ChildProcess host({kHost, "--config", curve.path(), "--frames", "3"}, {{"DISPLAY", xvfb.display()}});
    REQUIRE(host.wait(60s).has_value());
    INFO(host.output());
    CHECK(host.output().find("WARNING") == std::string::npos);
    CHECK(host.output().find("info  [bus] " + at(curve, text, "security = ") + "12: the bus has no security (security = "
                             "\"none\") and listens on loopback only (" + local) != std::string::npos);
    CHECK(host.output().find("any process of this machine can join as any driver or console") != std::string::npos);
}

TEST_CASE("tools/ccoc-bus-broker-warns-loudly-on-a-plain-bus-off-loopback")
{
    CurveSite curve;
    const std::string open = "tcp://0.0.0.0:" + std::to_string(freePort());
    const std::string text = plainBusSite("security = \"none\"\nfrontend = \"" + open + "\"\npublisher = \"" +
                                          curve.publisher() + "\"\n");
    writeSite(curve.path(), text);
    ChildProcess broker({std::string(CCOC_BINARY_DIR) + "/bin/ccoc-bus", "broker", "--config", curve.path()});
    INFO(broker.output());
    REQUIRE(broker.waitForOutput("running: frontend", 30s));
    CHECK(broker.output().find("[warning] WARNING: " + at(curve, text, "security = ") + "12" + kOpenWarning +
                               "frontend " + open + " can be reached from other machines") != std::string::npos);
}
