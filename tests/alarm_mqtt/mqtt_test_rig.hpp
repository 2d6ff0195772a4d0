// The MQTT driver's test rig: a real mosquitto on a free port, a real `ccoc-bus broker`, the mqtt
// driver in a real ccoc-driverd, and a bus client in the test that sees every event and keeps a
// mirror of retained state. Sensors are played by mosquitto_pub.
#pragma once

#include "child_process.hpp"

#include "ccoc/bus/client.hpp"

#include <nlohmann/json.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ccoc::mqtttest {

using namespace std::chrono_literals;
using Json = nlohmann::json;
using test::ChildProcess;

inline const std::string kBusTool = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-bus";
inline const std::string kDriverd = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-driverd";
inline const std::string kMqttDriver = std::string(CCOC_PLUGIN_DIR) + "/mqtt.so";

// A Zigbee2MQTT door contact "front_door" reported as device door-front, point 001.
inline const std::string kZigbeeDoor = R"(
[[driver.settings.sensor]]
device = "door-front"
name = "front_door"
point = "001"
)";

// A TCP port nobody listens on now (the kernel's pick).
inline int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    ::close(fd);
    return ntohs(address.sin_port);
}

// How often `text` occurs in `output`.
inline size_t occurrences(const std::string& output, const std::string& text)
{
    size_t count = 0;
    for (size_t at = output.find(text); at != std::string::npos; at = output.find(text, at + 1)) {
        ++count;
    }
    return count;
}

// Polls until `done` holds (every 20 ms) or the timeout passes.
inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(20ms);
    }
    return done();
}

// A mosquitto broker of our own, with a generated config; stop() and start() keep its port.
class Mosquitto {
public:
    Mosquitto(const std::string& dir, const std::string& extraConfig) : port_(freePort()), config_(dir + "/mosquitto.conf")
    {
        std::ofstream out(config_);
        out << "listener " << port_ << " 127.0.0.1\npersistence false\nlog_dest stderr\n" << extraConfig;
        out.close();
        ::chmod(config_.c_str(), 0644);
        start();
    }

    void start()
    {
        process_ = std::make_unique<ChildProcess>(std::vector<std::string>{CCOC_MOSQUITTO, "-c", config_});
        INFO(process_->output());
        REQUIRE(process_->waitForOutput(" running", 10s));
    }
    void stop()
    {
        process_->stop();
        process_.reset();
    }
    [[nodiscard]] int port() const noexcept { return port_; }
    // What mosquitto has logged so far (connections, TLS errors).
    [[nodiscard]] std::string output() const { return process_ != nullptr ? process_->output() : std::string(); }

    std::vector<std::string> login; // mosquitto_pub's -u USER -P PASSWORD where the broker wants them

    // Publishes as a sensor would (QoS 1; `retain`: as the broker's last value of the topic),
    // waiting until mosquitto_pub is done.
    void publish(const std::string& topic, const std::string& payload, bool retain = false) const
    {
        std::vector<std::string> argv{CCOC_MOSQUITTO_PUB, "-h", "127.0.0.1", "-p", std::to_string(port_), "-q", "1",
                                      "-t", topic, "-m", payload};
        if (retain) {
            argv.emplace_back("-r");
        }
        argv.insert(argv.end(), login.begin(), login.end());
        ChildProcess pub(argv);
        const auto code = pub.wait(10s);
        INFO(pub.output());
        REQUIRE(code == 0);
    }

private:
    int port_;
    std::string config_;
    std::unique_ptr<ChildProcess> process_;
};

struct RigOptions {
    std::string sensors;        // [[driver.settings.sensor]] tables, TOML
    std::string extraSettings;  // more keys of [driver.settings]
    std::string mosquittoConfig = "allow_anonymous true\n";
    std::map<std::string, std::string> driverEnv;
    std::map<std::string, std::string> mqttUsers; // user -> password: mosquitto then takes no one else
    int driverPort = 0;         // the port the driver connects to (a TLS listener); 0: the plain listener
};

class MqttRig {
    // First, so that they exist before the members made from them.
    RigOptions options_;
    test::TempDir dir_;

public:
    // Sensors only, anonymous MQTT.
    explicit MqttRig(const std::string& sensors) : MqttRig(RigOptions{sensors, {}, "allow_anonymous true\n", {}, {}}) {}

    explicit MqttRig(RigOptions options)
        : options_(std::move(options)), dir_(prepareDir(options_)), mqtt(dir_, mosquittoConfig(options_, dir_))
    {
        if (!options_.mqttUsers.empty()) {
            mqtt.login = {"-u", options_.mqttUsers.begin()->first, "-P", options_.mqttUsers.begin()->second};
        }
        frontend_ = "ipc://" + dir_ + "/frontend";
        publisher_ = "ipc://" + dir_ + "/publisher";
        writeSite();
        broker_ = std::make_unique<ChildProcess>(std::vector<std::string>{
            kBusTool, "broker", "--config", site_, "--frontend", frontend_, "--publisher", publisher_});
        REQUIRE(broker_->waitForOutput("running", 10s));
        startClient();
        startDriver();
    }

    ~MqttRig()
    {
        if (client_ != nullptr) {
            client_->stop();
        }
    }
    MqttRig(const MqttRig&) = delete;
    MqttRig& operator=(const MqttRig&) = delete;
    MqttRig(MqttRig&&) = delete;
    MqttRig& operator=(MqttRig&&) = delete;

    // Stops ccoc-driverd with SIGTERM and checks that it exits with 0: under the sanitizers a
    // report (a leak at exit included) makes it fail.
    void checkCleanStop()
    {
        const int code = driver->stop(10s);
        INFO(driver->output());
        CHECK(code == 0);
        CHECK(driver->output().find("Sanitizer") == std::string::npos);
    }

    // Starts ccoc-driverd (again, after checkCleanStop()): a new process, its output a new log.
    void startDriver()
    {
        driver = std::make_unique<ChildProcess>(
            std::vector<std::string>{kDriverd, "--id", "mqtt-1", "--plugin", kMqttDriver, "--site", site_, "--frontend",
                                     frontend_, "--publisher", publisher_},
            options_.driverEnv);
    }

    // Waits until the driver has said "subscribed" `times` times in all (each (re)connection once).
    bool waitSubscribed(size_t times = 1, std::chrono::milliseconds timeout = 15s)
    {
        const bool reached =
            eventually([&] { return occurrences(driver->output(), "subscribed to ") >= times; }, timeout);
        if (!reached) {
            noteDriverOutput();
        }
        return reached;
    }

    // The first alarm event of `device` (from the `from`-th on) that `matches`, waiting up to
    // `timeout`; nullopt when none came.
    std::optional<Json> waitAlarm(const std::string& device, const std::function<bool(const Json&)>& matches,
                                  std::chrono::milliseconds timeout = 10s)
    {
        std::unique_lock lock(mutex_);
        std::optional<Json> found;
        changed_.wait_for(lock, timeout, [&] {
            for (const auto& [path, payload] : events_) {
                if (path == device + "/alarm" && matches(payload)) {
                    found = payload;
                    return true;
                }
            }
            return false;
        });
        if (!found) {
            noteDriverOutput();
        }
        return found;
    }
    std::optional<Json> waitAlarm(const std::string& device, const std::string& type, bool active,
                                  std::chrono::milliseconds timeout = 10s)
    {
        return waitAlarm(
            device, [&](const Json& a) { return a.value("type", "") == type && a.value("active", !active) == active; },
            timeout);
    }
    // How many alarm events of `device` matched so far.
    size_t countAlarms(const std::string& device, const std::function<bool(const Json&)>& matches)
    {
        std::lock_guard lock(mutex_);
        size_t count = 0;
        for (const auto& [path, payload] : events_) {
            count += path == device + "/alarm" && matches(payload) ? 1 : 0;
        }
        return count;
    }
    // Waits until the retained state at `path` is `value` (JSON compared).
    bool waitState(const std::string& path, const Json& value, std::chrono::milliseconds timeout = 10s)
    {
        const bool reached = eventually(
            [&] {
                const auto entry = client_->state(path);
                return entry.has_value() && Json::parse(entry->value, nullptr, false) == value;
            },
            timeout);
        if (!reached) {
            // What the mirror holds instead, and whether it is in step with the broker.
            const auto entry = client_->state(path);
            const auto stats = client_->stats();
            UNSCOPED_INFO("state " << path << " is "
                                   << (entry ? entry->value + " (broker_seq " + std::to_string(entry->brokerSeq) +
                                                   ", from " + entry->source + ")"
                                             : std::string("missing"))
                                   << ", expected " << value.dump() << "; mirror synced " << stats.stateSynced
                                   << ", resyncs " << stats.resyncs);
            noteDriverOutput();
        }
        return reached;
    }
    std::optional<Json> state(const std::string& path) const
    {
        const auto entry = client_->state(path);
        return entry.has_value() ? std::optional<Json>(Json::parse(entry->value)) : std::nullopt;
    }

    Mosquitto mqtt;
    std::unique_ptr<ChildProcess> driver;

private:
    // After a wait timed out: the driver's log goes with the next assertion, so a failure says why.
    void noteDriverOutput()
    {
        if (driver != nullptr) {
            UNSCOPED_INFO("ccoc-driverd output:\n" << driver->output());
        }
    }

    // A fresh folder, readable by mosquitto (it may drop to its own user), with a password file
    // when the options name users.
    static test::TempDir prepareDir(const RigOptions& options)
    {
        test::TempDir dir{"ccoc-mqtt"};
        ::chmod(dir.c_str(), 0755);
        const std::string passwords = dir + "/passwords";
        for (const auto& [user, password] : options.mqttUsers) {
            std::vector<std::string> argv{CCOC_MOSQUITTO_PASSWD, "-b", passwords, user, password};
            if (access(passwords.c_str(), F_OK) != 0) {
                argv.insert(argv.begin() + 1, "-c");
            }
            ChildProcess make(argv);
            REQUIRE(make.wait(10s) == 0);
            ::chmod(passwords.c_str(), 0644);
        }
        return dir;
    }
    static std::string mosquittoConfig(const RigOptions& options, const std::string& dir)
    {
        return options.mqttUsers.empty() ? options.mosquittoConfig
                                         : "allow_anonymous false\npassword_file " + dir + "/passwords\n";
    }

    void writeSite()
    {
        site_ = dir_ + "/site.toml";
        std::ofstream out(site_);
        out << "[site]\nname = \"ทดสอบ\"\nname_en = \"Test\"\nstation_code = \"TEST-MQTT\"\n\n[[screen]]\nid = \"desk\"\n\n"
            << "[[driver]]\nid = \"mqtt-1\"\nplugin = \"mqtt\"\n\n[driver.settings]\nport = "
            << (options_.driverPort != 0 ? options_.driverPort : mqtt.port())
            << "\nreconnect_min_ms = 100\nreconnect_max_ms = 400\n"
            << options_.extraSettings << "\n"
            << options_.sensors;
    }

    void startClient()
    {
        bus::ClientConfig config;
        config.sourceId = "mqtt-test";
        config.role = bus::Role::Tool;
        config.frontendEndpoint = frontend_;
        config.publisherEndpoint = publisher_;
        config.mirrorState = true;
        client_ = std::make_unique<bus::Client>(config);
        REQUIRE(client_->start().ok());
        REQUIRE(client_->waitReady(10000));
        client_->subscribe("event", [this](const bus::Message& message) {
            Json payload = Json::parse(message.payload, nullptr, false);
            {
                std::lock_guard lock(mutex_);
                events_.emplace_back(message.path, std::move(payload));
            }
            changed_.notify_all();
        });
        REQUIRE(client_->waitSubscribed(10000));
    }

    std::string frontend_;
    std::string publisher_;
    std::string site_;
    std::unique_ptr<ChildProcess> broker_;
    std::unique_ptr<bus::Client> client_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::pair<std::string, Json>> events_;
};

} // namespace ccoc::mqtttest
