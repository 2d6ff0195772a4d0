// The alarm panel in the real ccoc-host under a private Xvfb, with the real embedded alarm service
// and camera wall: a driver's alarm events become records the panel draws in their priority
// colours; a rule pushes the alarm's camera to the wall with a mark in the priority's colour; an
// alarm closed through the service leaves the list and takes its mark off the wall.
#include <catch2/catch.hpp>

#include "child_process.hpp"
#include "journal_fault_support.hpp"
#include "png_image.hpp"
#include "tone_analysis.hpp"
#include "xvfb_server.hpp"

#include "ccoc/bus/client.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <mutex>
#include <optional>
#include <memory>
#include <thread>

using namespace std::chrono_literals;
using ccoc::test::ChildProcess;
using ccoc::test::PngImage;

namespace {

const std::string kHost = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-host";

// A desk in `language`: the alarm list on the left, a 2x2 camera wall on the right; two alarm devices; a rule
// that pushes the panic button's camera to the wall's first tile with a mark.
// `panelSettings`: more settings of the alarm list (", sound = true").
// `alarmsKeys`: more keys of [alarms] ("journal = ...").
std::string writeSite(const std::string& dir, const std::string& language, const std::string& panelSettings,
                      const std::string& alarmsKeys = "")
{
    const std::string path = dir + "/site.toml";
    std::string text = R"([site]
name = "สถานีทดสอบ"
name_en = "Test station"
station_code = "TST"

[ui]
language = "LANGUAGE"
font_size = 16
operator = "op-test"

[[screen]]
id = "desk"
x = 0
y = 0
width = 1280
height = 720
fullscreen = false

[[panel]]
id = "alarms"
type = "alarm.list"
settings = { wall = "wall.wall", wall_tile = 2, select_top = trueMORE }

[[panel]]
id = "wall"
type = "camera.wall"
settings = { layout = "2x2" }

[[layout]]
screen = "desk"
columns = 2
rows = 1
  [[layout.region]]
  panel = "alarms"
  cell = [0, 0]
  [[layout.region]]
  panel = "wall"
  cell = [1, 0]

[[camera]]
id = "cam1"
name = "กล้องหน้า"
name_en = "Front camera"
url = "rtsp://127.0.0.1:9/nothing-here"

[[device]]
id = "panic-desk"
name = "ปุ่มฉุกเฉินโต๊ะหน้า"
name_en = "Front desk panic button"
kind = "sensor"
zone = "front"
cameras = ["cam1"]
procedure = "Look at the front camera, then send the patrol."

[[device]]
id = "pir-yard"
name = "เซ็นเซอร์ลานจอด"
name_en = "Yard motion sensor"
kind = "sensor"
zone = "yard"

[alarms]
service = "embedded"
ALARMS

[[alarm_rule]]
id = "panic-to-wall"
types = ["panic"]
screen = "desk"
tile = 1

[[plugin]]
id = "alarms"

[[plugin]]
id = "camera_wall"
)";
    text.replace(text.find("LANGUAGE"), 8, language);
    text.replace(text.find("MORE"), 4, panelSettings);
    text.replace(text.find("ALARMS"), 6, alarmsKeys);
    std::ofstream(path) << text;
    return path;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

struct Desk {
    ccoc::test::XvfbServer xvfb{1280, 720};
    ccoc::test::TempDir dir{"ccoc-alarm-desk"};
    std::string frontend = "ipc://" + dir + "/frontend";
    std::string publisher = "ipc://" + dir + "/publisher";
    ccoc::test::TempDir shots{"ccoc-alarm-shots"};
    ccoc::test::TempDir configDir{"ccoc-alarm-config"};
    std::unique_ptr<ChildProcess> host;
    std::unique_ptr<ccoc::bus::Client> driver;
    std::unique_ptr<ccoc::bus::Client> console;

    // frames 0: until stopped; else that many at 10 fps, then a screenshot.
    Desk(int frames, const std::string& language, const std::string& panelSettings = "",
         const std::string& alarmsKeys = "")
    {
        std::vector<std::string> argv = {kHost, "--config", writeSite(dir, language, panelSettings, alarmsKeys), "--frames",
                                         std::to_string(frames > 0 ? frames : 1000000)};
        if (frames > 0) {
            argv.insert(argv.end(), {"--screenshot-dir", shots});
        }
        host = std::make_unique<ChildProcess>(
            argv, std::map<std::string, std::string>{{"DISPLAY", xvfb.display()},
                                                     {"CCOC_BUS_FRONTEND", frontend},
                                                     {"CCOC_BUS_PUBLISHER", publisher},
                                                     {"CCOC_HEADLESS_FPS", "10"},
                                                     {"CCOC_ALARM_TRACE", "1"},
                                                     {"XDG_CONFIG_HOME", configDir.path()}});
        driver = start("sim-alarms", ccoc::bus::Role::Driver, {"panic-desk", "pir-yard"}, false);
        console = start("test-console", ccoc::bus::Role::Console, {}, true);
    }

    std::unique_ptr<ccoc::bus::Client> start(const std::string& id, ccoc::bus::Role role, std::vector<std::string> devices,
                                             bool mirror)
    {
        ccoc::bus::ClientConfig config;
        config.sourceId = id;
        config.role = role;
        config.devices = std::move(devices);
        config.frontendEndpoint = frontend;
        config.publisherEndpoint = publisher;
        config.mirrorState = mirror;
        auto client = std::make_unique<ccoc::bus::Client>(config);
        REQUIRE(client->start().ok());
        INFO(host->output());
        REQUIRE(client->waitReady(60000));  // the host's broker comes up with the host
        return client;
    }

    void raise(const std::string& device, const std::string& type, const std::string& eventId)
    {
        ccoc::bus::PublishOptions reliable;
        reliable.reliable = true;
        const nlohmann::json event = {{"type", type}, {"active", true}, {"event_id", eventId}, {"text", type + " test"}};
        REQUIRE(driver->publishEvent(device + "/alarm", event.dump(), reliable).ok());
    }

    // The rule's wall.set_tile needs the wall's bus peer up (the service does not retry a push
    // that found no wall), so the alarms are raised once the wall has published its state.
    void waitForWall()
    {
        INFO(host->output());
        REQUIRE(eventually([this] { return !wallState().empty(); }, std::chrono::seconds(60)));
    }

    // The wall's retained state, "" while there is none.
    std::string wallState() const
    {
        const auto entry = console->state("wall.wall/state");
        return entry ? entry->value : std::string();
    }

    // Sends a command and waits for its one answer: status and message.
    std::pair<ccoc::bus::CommandStatus, std::string> call(const std::string& device, const std::string& action,
                                                          const std::string& args)
    {
        std::mutex mutex;
        std::optional<ccoc::bus::Reply> answer;
        ccoc::bus::Command command;
        command.device = device;
        command.action = action;
        command.argsJson = args;
        command.ttlMs = 10000;
        REQUIRE(console->sendCommand(command, [&](const ccoc::bus::Reply& reply) {
            std::lock_guard lock(mutex);
            answer = reply;
        }).ok());
        REQUIRE(eventually([&] {
            std::lock_guard lock(mutex);
            return answer.has_value();
        }, std::chrono::seconds(20)));
        std::lock_guard lock(mutex);
        return {answer->status, answer->message};
    }

    // The open alarm of a device, from the service's retained records.
    std::string alarmOf(const std::string& device) const
    {
        for (const auto& entry : console->stateSnapshot("alarms/item")) {
            const auto record = nlohmann::json::parse(entry.value, nullptr, false);
            if (record.is_object() && record.value("device", "") == device) {
                return record.value("id", "");
            }
        }
        return {};
    }
};

}  // namespace

TEST_CASE("alarm_panel/host: the service's alarms drawn in priority colours, the rule's camera marked on the wall")
{
    Desk desk(250, "th");  // 25 s at 10 fps; Thai labels, the top alarm's details shown
    desk.waitForWall();
    desk.raise("panic-desk", "panic", "test-panic-1");
    desk.raise("pir-yard", "motion", "test-motion-1");
    INFO(desk.host->output());
    REQUIRE(desk.host->waitForOutput("alarm list 'alarms': 2 open, 2 unacknowledged", 60s));
    CHECK(desk.host->waitForOutput("event_id=test-panic-1", 10s));
    CHECK(desk.host->waitForOutput("event_id=test-motion-1", 10s));
    // The rule put cam1 on tile 1 with the alarm's mark, and the wall's retained state says so.
    const std::string panicId = desk.alarmOf("panic-desk");
    CHECK_FALSE(panicId.empty());
    CHECK(eventually([&] { return desk.wallState().find(R"("mark":{"alarm":")" + panicId + R"(","priority":1})") != std::string::npos; },
                     20s));
    INFO(desk.wallState());

    const auto code = desk.host->wait(120s);
    REQUIRE(code == 0);
    const std::string log = desk.host->output();
    INFO(log);
    // Still both open at the last frame (nothing closed them): the last count line says 2.
    const size_t lastCount = log.rfind(" open, ");
    REQUIRE(lastCount != std::string::npos);
    CHECK(log.compare(lastCount - 1, 24, "2 open, 2 unacknowledged") == 0);
    const PngImage shot = PngImage::load(desk.shots + "/desk.png");
    const ccoc::test::Rgb red{235, 50, 45}, yellow{240, 215, 40}, orange{245, 140, 30};
    const int w = shot.width, h = shot.height;
    // Left half, the list below the filter row: the P1 chip in red and the P3 chip in yellow (the
    // row flashes behind them while unacknowledged, the chip itself is solid); no P2 here.
    const int listTop = h * 3 / 20;
    CHECK(shot.fractionNear(0, listTop, w / 2, h * 3 / 4, red, 12) > 0.0005);
    CHECK(shot.fractionNear(0, listTop, w / 2, h * 3 / 4, yellow, 12) > 0.0005);
    CHECK(shot.fractionNear(0, listTop, w / 2, h * 3 / 4, orange, 6) < 0.0001);
    // Right half, the wall: tile 1 (top left of the 2x2) has a thick red frame; tile 4 has none.
    CHECK(shot.fractionNear(w / 2, 0, w * 3 / 4, h / 2, red, 12) > 0.01);
    CHECK(shot.fractionNear(w * 3 / 4, h / 2, w, h - 40, red, 12) < 0.001);
}

TEST_CASE("alarm_panel/host: an alarm closed through the service leaves the list and its mark leaves the wall")
{
    // The desk's alarm tone goes to ALSA's "file" PCM: the samples land in a file.
    const ccoc::test::TempDir toneDir("ccoc-alarm-tone");
    const std::string tone = toneDir + "/tone.raw";
    Desk desk(0, "en", ", sound = true, sound_device = \"file:'" + tone + "',raw\"");
    desk.waitForWall();
    desk.raise("panic-desk", "panic", "test-panic-2");
    INFO(desk.host->output());
    REQUIRE(desk.host->waitForOutput("alarm list 'alarms': 1 open, 1 unacknowledged", 60s));
    // A P1 panic alarm: the urgent tone, three beeps, played by the panel through ALSA.
    CHECK(eventually([&] { return ccoc::test::beepsIn(ccoc::test::readSamples(tone)).size() == 3; }, 20s));
    CHECK(desk.host->output().find("alarm sound:") == std::string::npos);
    const std::string panicId = desk.alarmOf("panic-desk");
    REQUIRE_FALSE(panicId.empty());
    REQUIRE(eventually([&] { return desk.wallState().find(R"("mark")") != std::string::npos; }, 20s));

    // A mark that breaks the contract is refused with the reason, and the tile keeps its mark.
    auto [badStatus, badMessage] = desk.call("wall.wall", "wall.set_tile",
                                             R"({"tile": 1, "camera": "cam1", "mark": {"alarm": "A-1", "priority": 7}})");
    CHECK(badStatus == ccoc::bus::CommandStatus::Rejected);
    CHECK(badMessage.find(R"("mark" must be {"alarm": "ALARM-ID", "priority": 1..5})") != std::string::npos);

    // Another desk closes it (the panel sends the same command).
    auto [status, message] = desk.call(
        "alarms", "alarm.close",
        nlohmann::json{{"id", panicId}, {"operator", "test"}, {"outcome", "false_alarm"}, {"note", ""}}.dump());
    INFO(message);
    REQUIRE(status == ccoc::bus::CommandStatus::Ok);
    CHECK(desk.host->waitForOutput("alarm list 'alarms': 0 open, 0 unacknowledged", 20s));
    CHECK(desk.host->waitForOutput("alarm " + panicId + " closed, its mark removed", 20s));
    CHECK(eventually([&] { return desk.wallState().find(R"("mark")") == std::string::npos; }, 20s));
    CHECK(desk.host->stop() == 0);
}

TEST_CASE("alarm_panel/host: with the alarm journal unwritable the alarm is listed as not stored and the status bar is red")
{
    Desk desk(300, "en", "", "journal = \"alarms.sqlite\"");  // 30 s at 10 fps, then a screenshot
    const std::string journal = desk.dir + "/alarms.sqlite";
    INFO(desk.host->output());
    // The service is up with its journal open (write-ahead log and all) and says it is healthy.
    REQUIRE(eventually([&] {
        const auto health = desk.console->state("alarms/journal");
        return health && health->value.find(R"("ok":true)") != std::string::npos &&
               std::filesystem::exists(journal + "-wal");
    }, 60s));
    ccoc::alarm_test::ImmutableFiles immutable;
    if (!immutable.set(journal) || !immutable.set(journal + "-wal")) {
        WARN("skipped: " << immutable.whyNot());
        desk.host->stop();
        return;
    }
    // A P3 alarm (yellow): red in the status bar can only be the journal fault's chip.
    desk.raise("pir-yard", "motion", "test-motion-unstored");
    REQUIRE(eventually([&] {
        const auto health = desk.console->state("alarms/journal");
        return health && health->value.find(R"("ok":false)") != std::string::npos;
    }, 20s));
    const std::string motionId = desk.alarmOf("pir-yard");
    REQUIRE_FALSE(motionId.empty());
    // What every desk's list gets: the record marked not stored (the panel's mark is tested on the
    // view model; its thin red text is no reliable pixel count).
    const auto item = desk.console->state("alarms/item/" + motionId);
    REQUIRE(item);
    CHECK(item->value.find(R"("stored":false)") != std::string::npos);
    const auto code = desk.host->wait(120s);
    REQUIRE(code == 0);
    INFO(desk.host->output());
    const PngImage shot = PngImage::load(desk.shots + "/desk.png");
    const ccoc::test::Rgb red{235, 50, 45};
    const int w = shot.width, h = shot.height;
    // The status bar (the bottom 32 pixels): the fault's solid red chip.
    CHECK(shot.fractionNear(0, h - 32, w, h, red, 10) > 0.01);
    // Nowhere else: no P1 alarm is open (the fault's own alarm is P2, orange).
    CHECK(shot.fractionNear(0, 0, w, h - 34, red, 10) < 0.0005);
    CHECK(desk.host->output().find("the alarm journal cannot be written") != std::string::npos);
}
