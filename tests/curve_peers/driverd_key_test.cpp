// Drivers under ccoc-driverd on a CURVE bus: one with its own key from [[bus.allow]] comes online;
// one whose key file holds another pair's secret is stopped before it connects, saying why; one
// with a key the broker does not know is refused by the broker, which logs it.
#include "curve_site.hpp"

#include "child_process.hpp"

#include <algorithm>

using namespace ccoc;
using namespace ccoc::curve_test;
using namespace std::chrono_literals;
using bus::test::LogCollector;
using bus::test::waitUntil;
using test::ChildProcess;

namespace {

const std::string kDriverd = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-driverd";
const std::string kSim = std::string(CCOC_PLUGIN_DIR) + "/sim.so";

std::string simDriver(const std::string& id, const std::string& door) {
    return "[[driver]]\nid = \"" + id + "\"\nplugin = \"sim\"\nsettings = { doors = \"" + door +
           "\", lights = \"\", motion = \"\", panic = \"\", mean_interval_s = 1.0, seed = 7 }\n\n";
}

std::string simRights(const std::string& door) {
    return "publish = [\"state/" + door + "/\", \"event/" + door + "/\", \"telemetry/" + door + "/\"]\ndevices = [\"" +
           door + "\"]";
}

std::vector<std::string> driverdArgs(const CurveSite& curve, const std::string& id) {
    return {kDriverd, "--id", id, "--plugin", kSim, "--site", curve.path(), "--frontend", curve.frontend(),
            "--publisher", curve.publisher()};
}

bool online(const bus::Broker& broker, const std::string& id) {
    const auto drivers = broker.drivers();
    return std::any_of(drivers.begin(), drivers.end(),
                       [&](const bus::DriverInfo& driver) { return driver.source == id && driver.online; });
}

} // namespace

TEST_CASE("bus/curve-driverd-own-key-online-wrong-key-refused") {
    CurveSite curve;
    const site::Site site =
        curve.write(kStation + simDriver("sim-1", "door-1") + simDriver("sim-2", "door-2") + simDriver("sim-3", "door-3") +
                    curve.busSection(curve.allow("sim-1", "sim-1", "sim-1", simRights("door-1")) +
                                     curve.allow("sim-2", "sim-2", "stranger", simRights("door-2")) +
                                     curve.allow("sim-3", "sim-3", "sim-3", simRights("door-3"))));
    LogCollector logs;
    auto broker = curve.broker(site, logs);

    // Its own key: online, and its state reaches the bus.
    ChildProcess good(driverdArgs(curve, "sim-1"));
    CHECK(waitUntil([&] { return online(*broker, "sim-1"); }, 15000));
    INFO(good.output());
    CHECK(good.running());

    // The key file holds the secret of another pair: it never connects, and says which entry and
    // file are wrong (never the key).
    ChildProcess mismatched(driverdArgs(curve, "sim-2"));
    const auto code = mismatched.wait(15s);
    const std::string said = mismatched.output();
    INFO(said);
    CHECK(code == 4);
    CHECK(said.find("ccoc-driverd: driver 'sim-2' stays off the bus: bus: " + curve.path()) != std::string::npos);
    CHECK(said.find("secret_key_file of [[bus.allow]] 'sim-2': the secret key in " +
                    (curve.dir.path / "keys" / "stranger.key").string() + " does not belong to the entry's public_key") !=
          std::string::npos);
    CHECK_FALSE(curve.holdsSecret(said));
    CHECK_FALSE(online(*broker, "sim-2"));

    // A consistent pair the broker does not know (handed over as the host would, by file path in
    // the environment): the broker refuses it and logs the key's public half.
    ChildProcess stranger(driverdArgs(curve, "sim-3"),
                          {{"CCOC_BUS_SECRET_KEY_FILE", (curve.dir.path / "keys" / "stranger.key").string()},
                           {"CCOC_BUS_PUBLIC_KEY", curve.key("stranger").publicKey}});
    CHECK(waitUntil([&] { return logs.contains("unknown public key " + curve.key("stranger").publicKey); }, 15000));
    CHECK(logs.contains("no [[bus.allow]] entry has that public_key"));
    CHECK_FALSE(online(*broker, "sim-3"));
    CHECK(online(*broker, "sim-1"));
    CHECK_FALSE(curve.holdsSecret(logs.all()));
    stranger.stop();
    good.stop();
}

TEST_CASE("bus/curve-driverd-without-key-says-which-entry") {
    CurveSite curve;
    curve.write(kStation + simDriver("sim-9", "door-9") + curve.busSection(""));
    ChildProcess driverd(driverdArgs(curve, "sim-9"));
    const auto code = driverd.wait(15s);
    INFO(driverd.output());
    CHECK(code == 4);
    CHECK(driverd.output().find("'sim-9' has no key of its own in " + curve.path() + ":") != std::string::npos);
    CHECK(driverd.output().find("expected [[bus.allow]] name = \"sim-9\" with public_key and secret_key_file") !=
          std::string::npos);
}
