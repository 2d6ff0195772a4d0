// One MQTT client connection (libmosquitto) on its own thread: connects, subscribes, delivers
// messages, and reconnects by itself with exponential backoff whenever the link is lost or cannot
// be made. Nothing here blocks the caller's thread: connecting, DNS and waiting all happen on the
// connection thread.
#pragma once

#include "mqtt_settings.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

struct mosquitto;
struct mosquitto_message;

namespace ccoc::mqtt {

class MqttConnection {
public:
    // Called on the connection thread, one at a time, never after stop() returns.
    struct Handlers {
        // CONNACK accepted; `resumed`: the broker still had this client id's persistent session
        // (CONNACK session present), so messages it queued while the driver was away follow, and
        // may come before `connected`. Always false with a clean session.
        std::function<void(bool resumed)> session;
        std::function<void()> connected; // CONNACK accepted and every subscription acknowledged (SUBACK)
        std::function<void(const std::string& reason, int retryMs)> lost; // a failed attempt or a lost link
        std::function<void(const std::string& topic, std::string_view payload)> message;
    };

    MqttConnection(MqttSettings settings, std::vector<std::string> topics, Handlers handlers);
    ~MqttConnection(); // stops
    MqttConnection(const MqttConnection&) = delete;
    MqttConnection& operator=(const MqttConnection&) = delete;
    MqttConnection(MqttConnection&&) = delete;
    MqttConnection& operator=(MqttConnection&&) = delete;

    // [driver-thread] Creates the client and starts the connection thread. Returns false (and
    // the reason in `error`) when libmosquitto cannot make a client; a broker that is down is no
    // error (the thread keeps trying).
    bool start(std::string& error);
    // [driver-thread] Disconnects and joins the thread (within about 200 ms unless a DNS lookup
    // is under way).
    void stop();

private:
    // `flags` is CONNACK's acknowledge flags: bit 0 is "session present".
    static void onConnect(mosquitto* client, void* self, int code, int flags);
    static void onSubscribe(mosquitto* client, void* self, int messageId, int qosCount, const int* grantedQos);
    static void onMessage(mosquitto* client, void* self, const mosquitto_message* message);
    // libmosquitto's own log lines: where it says why a TLS handshake failed.
    static void onLog(mosquitto* client, void* self, int level, const char* text);
    // libmosquitto asks for the client key's password (key_password_env) with this.
    static int keyPassword(char* buffer, int size, int readWrite, void* client);

    // mqtt_connection_tls.cpp: sets up TLS on client_ per settings_.tls; false and `error` when
    // libmosquitto refuses a setting.
    bool applyTls(std::string& error);
    // mqtt_connection_tls.cpp: the words for a failed attempt over TLS, from what libmosquitto
    // logged during it; empty when nothing points at TLS.
    [[nodiscard]] std::string tlsFailure(int code, int savedErrno) const;

    void run();
    // Waits up to `ms` unless stop() is called; returns false when stopping.
    bool pause(int ms);

    MqttSettings settings_;
    std::vector<std::string> topics_;
    Handlers handlers_;
    mosquitto* client_ = nullptr;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    // connection thread only
    int backoffMs_ = 0;
    std::string refusal_; // the broker's CONNACK refusal, reported as the reason of the loss
    size_t pendingSubscriptions_ = 0;
    std::vector<std::string> attemptErrors_; // libmosquitto's error lines during this attempt
    bool connectSent_ = false;               // this attempt got as far as sending CONNECT
    bool connackSeen_ = false;               // ... and the broker answered it
};

} // namespace ccoc::mqtt
