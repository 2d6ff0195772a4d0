// The MQTT sensor driver: a "ccoc.driver/1" plugin run by ccoc-driverd that listens to door
// contacts, motion, water, smoke and tamper sensors on an MQTT broker (Zigbee2MQTT, Shelly,
// plain text, JSON) and reports them on the bus as alarms (sdk/docs/alarms.md) and retained
// state. Settings: sdk/docs/mqtt-driver.md.
//
// Threads: settings are read at init; start() publishes the initial state and starts the MQTT
// connection thread, which then owns the sensor tracker and publishes (DriverBus is any-thread).
// stop() joins it. The driver thread never waits on the network.
#include "log_rate_limiter.hpp"
#include "mqtt_connection.hpp"
#include "mqtt_settings.hpp"
#include "sensor_payload.hpp"
#include "sensor_tracker.hpp"

#include "ccoc/driver.hpp"

#include <mosquitto.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

using namespace ccoc::mqtt;

std::optional<std::string> environmentVariable(const std::string& name)
{
    const char* value = std::getenv(name.c_str());
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
}

class MqttDriver : public ccoc::Driver {
public:
    explicit MqttDriver(const ccoc::Host& host) : Driver(host)
    {
        if (!bus().available()) {
            throw std::runtime_error("the mqtt driver needs the \"ccoc.bus/1\" service; run it with ccoc-driverd");
        }
        // Each mistake starts with its key's FILE:LINE:COL when the host knows it.
        const auto where = [&host](const std::string& key) { return host.settingWhere(key.c_str()); };
        SettingsResult read = readSettings(host.settingsJson(), {}, &environmentVariable, where);
        if (!read.ok()) {
            std::string message = "bad settings for the mqtt driver:";
            for (const auto& error : read.errors) {
                message += "\n  " + error;
            }
            throw std::runtime_error(message);
        }
        settings_ = std::move(read.settings);
        mosquitto_lib_init();
    }

    ~MqttDriver() override
    {
        connection_.reset(); // joins the connection thread before the tracker goes
        mosquitto_lib_cleanup();
    }
    MqttDriver(const MqttDriver&) = delete;
    MqttDriver& operator=(const MqttDriver&) = delete;
    MqttDriver(MqttDriver&&) = delete;
    MqttDriver& operator=(MqttDriver&&) = delete;

    std::vector<std::string> devices() override { return settings_.devices(); }

    bool start() override
    {
        if (settings_.clientId.empty()) {
            settings_.clientId = "ccoc-" + std::string(driverId());
        }
        if (settings_.tls.enabled && settings_.tls.insecure) {
            host().warn("tls_insecure = true: the broker's certificate is NOT checked against host \"" +
                        settings_.host + "\"; any certificate signed by the CA is accepted, so whoever holds one can "
                        "pose as the broker. Use it only to test; name the broker in its certificate instead");
        }
        tracker_ = std::make_unique<SensorTracker>(settings_);
        send(tracker_->initial());
        MqttConnection::Handlers handlers;
        handlers.session = [this](bool resumed) {
            if (!settings_.persistentSession) {
                return;
            }
            // Said at CONNACK, before the queued messages the broker sends right after it.
            if (resumed) {
                host().info("MQTT broker " + endpoint() + " kept the session of " + settings_.clientId +
                            ": resumed session, queued messages follow");
            } else {
                host().info("MQTT broker " + endpoint() + " had no session for " + settings_.clientId +
                            " (first connection, or the broker lost or expired it): new persistent session, "
                            "QoS 1 messages are queued for the driver from now on while it is away");
            }
        };
        handlers.connected = [this] {
            host().info("connected to MQTT broker " + endpoint() + " as " + settings_.clientId + ", subscribed to " +
                        std::to_string(tracker_->topics().size()) + " topics");
            send(tracker_->connected());
        };
        handlers.lost = [this](const std::string& reason, int retryMs) {
            if (auto held = limiter_.allow("link: " + reason)) {
                host().warn("MQTT broker " + endpoint() + ": " + reason + "; retrying in " + std::to_string(retryMs) +
                            " ms" + heldBackNote(*held));
            }
            send(tracker_->disconnected(reason));
        };
        handlers.message = [this](const std::string& topic, std::string_view payload) {
            std::vector<std::string> problems;
            send(tracker_->message(topic, payload, problems));
            for (const auto& problem : problems) {
                if (auto held = limiter_.allow("topic: " + topic)) {
                    host().warn("dropped MQTT message on '" + topic + "': " + problem + heldBackNote(*held));
                }
            }
        };
        connection_ = std::make_unique<MqttConnection>(settings_, tracker_->topics(), std::move(handlers));
        std::string error;
        if (!connection_->start(error)) {
            host().error(error);
            return false;
        }
        host().info("watching " + std::to_string(settings_.sensors.size()) + " sensors on MQTT broker " + endpoint());
        return true;
    }

    void command(ccoc::DriverCommand command) override
    {
        command.reply(CCOC_BUS_STATUS_REJECTED, "the mqtt driver takes no commands; its sensors only report");
    }

    void stop() override
    {
        if (connection_ != nullptr) {
            connection_->stop();
        }
        host().info("stopped");
    }

private:
    [[nodiscard]] std::string endpoint() const
    {
        return settings_.host + ":" + std::to_string(settings_.port) + (settings_.tls.enabled ? " (TLS)" : "");
    }

    static std::string heldBackNote(uint64_t held)
    {
        return held == 0 ? std::string() : " (" + std::to_string(held) + " more like it held back)";
    }

    // [connection thread, or the driver thread before it starts]
    void send(const std::vector<Publication>& publications)
    {
        for (const auto& publication : publications) {
            int code = 0;
            const bool ok = publication.event ? bus().publishEvent(publication.path, publication.json, true, &code)
                                              : bus().publishState(publication.path, publication.json, &code);
            if (!ok) {
                host().warn("publish " + publication.path + " failed with code " + std::to_string(code));
            }
        }
    }

    MqttSettings settings_;
    std::unique_ptr<SensorTracker> tracker_;
    LogRateLimiter limiter_; // connection thread only
    std::unique_ptr<MqttConnection> connection_;
};

} // namespace

CCOC_DRIVER(MqttDriver, "ccoc.driver.mqtt", "MQTT sensors", CCOC_PLUGIN_VERSION, "CCOC");
