#include "mqtt_connection.hpp"

#include <mosquitto.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace ccoc::mqtt {
namespace {

// How long one mosquitto_loop waits for the socket: also how soon stop() is noticed.
constexpr int kLoopTimeoutMs = 100;

std::string errorText(int code, int savedErrno)
{
    if (code == MOSQ_ERR_ERRNO) {
        return std::strerror(savedErrno);
    }
    return mosquitto_strerror(code);
}

} // namespace

MqttConnection::MqttConnection(MqttSettings settings, std::vector<std::string> topics, Handlers handlers)
    : settings_(std::move(settings)), topics_(std::move(topics)), handlers_(std::move(handlers))
{
}

MqttConnection::~MqttConnection()
{
    stop();
    if (client_ != nullptr) {
        mosquitto_destroy(client_);
    }
}

bool MqttConnection::start(std::string& error)
{
    // A persistent session (clean session off) makes the broker queue the QoS 1 alarms published
    // while the driver is away; the client id is stable ("ccoc-" + driver id), so it finds them.
    client_ = mosquitto_new(settings_.clientId.c_str(), !settings_.persistentSession, this);
    if (client_ == nullptr) {
        error = "libmosquitto could not make a client: " + std::string(std::strerror(errno));
        return false;
    }
    // MQTT 3.1.1 rather than libmosquitto's default 3.1: only 3.1.1 CONNACKs say "session present".
    const int protocolRc = mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    if (protocolRc != MOSQ_ERR_SUCCESS) {
        error = std::string("libmosquitto refused MQTT 3.1.1: ") + mosquitto_strerror(protocolRc);
        return false;
    }
    if (!settings_.username.empty()) {
        const int rc = mosquitto_username_pw_set(client_, settings_.username.c_str(),
                                                 settings_.password.empty() ? nullptr : settings_.password.c_str());
        if (rc != MOSQ_ERR_SUCCESS) {
            error = std::string("username/password refused by libmosquitto: ") + mosquitto_strerror(rc);
            return false;
        }
    }
    if (settings_.tls.enabled && !applyTls(error)) {
        return false;
    }
    mosquitto_log_callback_set(client_, &MqttConnection::onLog);
    mosquitto_connect_with_flags_callback_set(client_, &MqttConnection::onConnect);
    mosquitto_subscribe_callback_set(client_, &MqttConnection::onSubscribe);
    mosquitto_message_callback_set(client_, &MqttConnection::onMessage);
    backoffMs_ = settings_.reconnectMinMs;
    thread_ = std::thread([this] { run(); });
    return true;
}

void MqttConnection::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool MqttConnection::pause(int ms)
{
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

// The connection thread: connect, run the socket until it fails, wait the backoff, again.
void MqttConnection::run()
{
    const auto stopping = [this] {
        std::lock_guard lock(mutex_);
        return stopping_;
    };
    while (!stopping()) {
        refusal_.clear();
        attemptErrors_.clear();
        connectSent_ = false;
        connackSeen_ = false;
        int rc = mosquitto_connect_async(client_, settings_.host.c_str(), settings_.port, settings_.keepaliveSec);
        int savedErrno = errno;
        while (rc == MOSQ_ERR_SUCCESS && !stopping()) {
            rc = mosquitto_loop(client_, kLoopTimeoutMs, 1);
            savedErrno = errno;
        }
        if (stopping()) {
            break;
        }
        std::string reason = !refusal_.empty() ? refusal_ : tlsFailure(rc, savedErrno);
        if (reason.empty()) {
            reason = errorText(rc, savedErrno);
        }
        const int retryMs = backoffMs_;
        if (handlers_.lost) {
            handlers_.lost(reason, retryMs);
        }
        backoffMs_ = std::min(backoffMs_ * 2, settings_.reconnectMaxMs);
        if (!pause(retryMs)) {
            break;
        }
    }
    // A clean DISCONNECT, so the broker does not wait for the keepalive to notice the driver is
    // gone (and, for a persistent session, starts queueing for it at once).
    if (mosquitto_disconnect(client_) == MOSQ_ERR_SUCCESS) {
        mosquitto_loop(client_, kLoopTimeoutMs, 1);
    }
}

void MqttConnection::onConnect(mosquitto* client, void* self, int code, int flags)
{
    auto* connection = static_cast<MqttConnection*>(self);
    connection->connackSeen_ = true;
    if (code != 0) {
        // The loop fails right after this; the refusal is the better reason to report.
        connection->refusal_ = std::string("the broker refused the connection: ") + mosquitto_connack_string(code);
        return;
    }
    connection->backoffMs_ = connection->settings_.reconnectMinMs;
    if (connection->handlers_.session) {
        connection->handlers_.session((flags & 0x01) != 0);
    }
    // Subscribed again even on a resumed session: harmless, and needed when the broker lost it
    // (restarted without persistence, or the session expired).
    connection->pendingSubscriptions_ = connection->topics_.size();
    for (const auto& topic : connection->topics_) {
        // QoS 1: a sensor's change is delivered at least once; repeats are harmless (change-only).
        if (mosquitto_subscribe(client, nullptr, topic.c_str(), 1) != MOSQ_ERR_SUCCESS) {
            --connection->pendingSubscriptions_; // a topic libmosquitto refuses (checked at settings) gets no SUBACK
        }
    }
    if (connection->pendingSubscriptions_ == 0 && connection->handlers_.connected) {
        connection->handlers_.connected();
    }
}

// Reported connected only once the broker has every subscription: from then on no change is missed.
void MqttConnection::onSubscribe(mosquitto* /*client*/, void* self, int /*messageId*/, int /*qosCount*/,
                                 const int* /*grantedQos*/)
{
    auto* connection = static_cast<MqttConnection*>(self);
    if (connection->pendingSubscriptions_ == 0) {
        return;
    }
    --connection->pendingSubscriptions_;
    if (connection->pendingSubscriptions_ == 0 && connection->handlers_.connected) {
        connection->handlers_.connected();
    }
}

void MqttConnection::onMessage(mosquitto* /*client*/, void* self, const mosquitto_message* message)
{
    auto* connection = static_cast<MqttConnection*>(self);
    if (message == nullptr || message->topic == nullptr || !connection->handlers_.message) {
        return;
    }
    const std::string_view payload(static_cast<const char*>(message->payload),
                                   message->payload != nullptr ? static_cast<size_t>(message->payloadlen) : 0);
    connection->handlers_.message(message->topic, payload);
}

} // namespace ccoc::mqtt
