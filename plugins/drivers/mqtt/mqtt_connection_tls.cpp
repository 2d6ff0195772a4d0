// MqttConnection's TLS: setting it up on the libmosquitto client, and turning what libmosquitto
// and OpenSSL logged during a failed attempt into words an integrator can act on.
#include "mqtt_connection.hpp"

#include <mosquitto.h>

#include <algorithm>
#include <cstring>

namespace ccoc::mqtt {
namespace {

// libmosquitto logs a few lines per failed attempt; a bound keeps a chatty one from growing this.
constexpr size_t kMaxAttemptErrors = 8;

// "OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed" -> "certificate verify failed"
std::string opensslReason(const std::string& line)
{
    const size_t marker = line.rfind("::");
    if (line.find("OpenSSL Error") != std::string::npos && marker != std::string::npos) {
        return line.substr(marker + 2);
    }
    return line.rfind("Error: ", 0) == 0 ? line.substr(7) : line;
}

} // namespace

bool MqttConnection::applyTls(std::string& error)
{
    const TlsSettings& tls = settings_.tls;
    const auto orNull = [](const std::string& text) { return text.empty() ? nullptr : text.c_str(); };
    int rc = mosquitto_tls_set(client_, orNull(tls.caFile), orNull(tls.caPath), orNull(tls.certFile),
                               orNull(tls.keyFile), tls.keyPassword.empty() ? nullptr : &MqttConnection::keyPassword);
    if (rc != MOSQ_ERR_SUCCESS) {
        error = std::string("TLS files refused by libmosquitto (ca_file, ca_path, cert_file, key_file): ") +
                mosquitto_strerror(rc);
        return false;
    }
    // 1 = SSL_VERIFY_PEER: the broker's certificate is always checked against the CA.
    rc = mosquitto_tls_opts_set(client_, 1, orNull(tls.version), nullptr);
    if (rc != MOSQ_ERR_SUCCESS) {
        error = "tls_version \"" + tls.version + "\" refused by libmosquitto: " + mosquitto_strerror(rc);
        return false;
    }
    rc = mosquitto_tls_insecure_set(client_, tls.insecure);
    if (rc != MOSQ_ERR_SUCCESS) {
        error = std::string("tls_insecure refused by libmosquitto: ") + mosquitto_strerror(rc);
        return false;
    }
    return true;
}

void MqttConnection::onLog(mosquitto* /*client*/, void* self, int level, const char* text)
{
    auto* connection = static_cast<MqttConnection*>(self);
    if (text == nullptr) {
        return;
    }
    if (level == MOSQ_LOG_DEBUG && std::strstr(text, "sending CONNECT") != nullptr) {
        connection->connectSent_ = true;
    }
    if ((level == MOSQ_LOG_ERR || level == MOSQ_LOG_WARNING) && connection->attemptErrors_.size() < kMaxAttemptErrors) {
        connection->attemptErrors_.emplace_back(text);
    }
}

// OpenSSL's password callback; libmosquitto hands it the client as its user data.
int MqttConnection::keyPassword(char* buffer, int size, int /*readWrite*/, void* client)
{
    auto* connection = static_cast<MqttConnection*>(mosquitto_userdata(static_cast<mosquitto*>(client)));
    if (connection == nullptr || buffer == nullptr || size <= 0) {
        return 0;
    }
    const std::string& password = connection->settings_.tls.keyPassword;
    const int length = std::min(static_cast<int>(password.size()), size - 1);
    std::memcpy(buffer, password.data(), static_cast<size_t>(length));
    buffer[length] = '\0';
    return length;
}

std::string MqttConnection::tlsFailure(int code, int savedErrno) const
{
    const TlsSettings& tls = settings_.tls;
    if (!tls.enabled) {
        return {};
    }
    const auto logged = [this](const char* text) {
        return std::any_of(attemptErrors_.begin(), attemptErrors_.end(),
                           [text](const std::string& line) { return line.find(text) != std::string::npos; });
    };
    std::string detail;
    for (const auto& line : attemptErrors_) {
        detail += (detail.empty() ? "" : "; ") + opensslReason(line);
    }
    // A link that was up (CONNACK came) and then broke: no handshake or certificate problem.
    if (connackSeen_) {
        return detail.empty() ? std::string() : "the TLS link was lost (" + detail + ")";
    }
    const std::string caWhere = !tls.caFile.empty() ? "ca_file \"" + tls.caFile + "\"" : "ca_path \"" + tls.caPath + "\"";
    const std::string certWhere = "cert_file \"" + tls.certFile + "\"";
    if (logged("host name verification failed")) {
        return "TLS: the broker's certificate is not for host \"" + settings_.host +
               "\" (host name verification failed); expected a broker certificate whose subjectAltName names the "
               "'host' setting";
    }
    if (logged("certificate verify failed")) {
        return "TLS: the broker's certificate is not trusted (certificate verify failed): not signed by the CA in " +
               caWhere + ", expired or not yet valid";
    }
    if (logged("Unable to load CA")) {
        return "TLS: could not load the CA certificates of " + caWhere + " (" + detail + ")";
    }
    if (logged("Unable to load client") || logged("key values mismatch")) {
        return "TLS: could not load the client certificate and key (" + detail + "); expected in 'key_file' the "
               "private key of the certificate in 'cert_file'";
    }
    if (logged("certificate required")) {
        return "TLS: the broker requires a client certificate (" + detail + "); expected 'cert_file' and 'key_file'";
    }
    if (logged("alert unknown ca") || logged("alert bad certificate") || logged("alert certificate")) {
        return "TLS: the broker refused the client certificate in " + certWhere + " (" + detail +
               "); expected a certificate signed by a CA the broker trusts";
    }
    if (logged("wrong version number") || logged("unexpected eof") || logged("packet length too long")) {
        return "TLS handshake failed (" + detail + "): is port " + std::to_string(settings_.port) +
               " a TLS listener of the broker? expected the port of its TLS listener (usually 8883)";
    }
    if (logged("OpenSSL Error")) {
        return "TLS handshake failed: " + detail;
    }
    // No OpenSSL error: the broker dropped the link after the handshake, before answering CONNECT.
    // mosquitto does that to a client without the certificate its listener requires.
    if (connectSent_ && !connackSeen_ && (code == MOSQ_ERR_ERRNO || code == MOSQ_ERR_CONN_LOST)) {
        const std::string why = code == MOSQ_ERR_ERRNO ? std::strerror(savedErrno) : mosquitto_strerror(code);
        if (tls.certFile.empty()) {
            return "TLS: the broker closed the connection before answering CONNECT (" + why +
                   "): a broker that requires a client certificate does this; expected 'cert_file' and 'key_file' "
                   "for such a broker";
        }
        return "TLS: the broker closed the connection before answering CONNECT (" + why +
               "): a broker that does not accept the client certificate in " + certWhere + " does this";
    }
    return {};
}

} // namespace ccoc::mqtt
