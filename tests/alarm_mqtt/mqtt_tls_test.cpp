// The mqtt driver over TLS, end to end: a real mosquitto with a TLS listener (and a plain one,
// where the sensors, played by mosquitto_pub, publish), certificates made by openssl at test
// time, the driver in ccoc-driverd, and what reaches the bus.
#include "mqtt_test_rig.hpp"
#include "tls_test_pki.hpp"

using namespace ccoc::mqtttest;

namespace {

// Rig options for a driver on mosquitto's TLS listener, signed by CA "ca" with `serverCert`.
RigOptions tlsRig(const TestPki& pki, const std::string& serverCert, bool requireCertificate,
                  const std::string& driverTlsSettings, std::map<std::string, std::string> driverEnv = {})
{
    RigOptions options;
    options.sensors = kZigbeeDoor;
    options.extraSettings = driverTlsSettings;
    options.driverEnv = std::move(driverEnv);
    options.driverPort = freePort();
    options.mosquittoConfig = "allow_anonymous true\nlistener " + std::to_string(options.driverPort) +
                              " 127.0.0.1\ncafile " + pki.path("ca.crt") + "\ncertfile " + pki.path(serverCert + ".crt") +
                              "\nkeyfile " + pki.path(serverCert + ".key") + "\nrequire_certificate " +
                              (requireCertificate ? "true" : "false") + "\n";
    return options;
}

std::string caSetting(const TestPki& pki, const std::string& ca)
{
    return "tls = true\nca_file = \"" + pki.path(ca + ".crt") + "\"\n";
}

std::string faultText(const std::optional<Json>& fault)
{
    return fault.has_value() ? (*fault).value("text", "") : std::string();
}

} // namespace

TEST_CASE("alarm_mqtt/tls: a door alarm reaches the bus while the driver's broker link is TLS checked against ca_file")
{
    TestPki pki;
    pki.makeCa("ca");
    pki.issue("broker", "ca", "IP:127.0.0.1");
    MqttRig rig(tlsRig(pki, "broker", false, caSetting(pki, "ca")));
    REQUIRE(rig.waitSubscribed());
    // The driver knows only the TLS listener's port: its link can only be TLS.
    CHECK(rig.driver->output().find("MQTT broker 127.0.0.1:" + std::to_string(rig.mqtt.port()) + " ") ==
          std::string::npos);
    CHECK(occurrences(rig.driver->output(), " (TLS) as ccoc-mqtt-1, subscribed to ") == 1);
    REQUIRE(rig.waitState("door-front/online", true));

    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":false})");
    const auto open = rig.waitAlarm("door-front", "door", true);
    REQUIRE(open.has_value());
    CHECK((*open)["text"] == "front_door: open");

    // A TLS link that breaks is a lost broker, not a certificate problem, and comes back by itself.
    rig.mqtt.stop();
    const auto fault = rig.waitAlarm("door-front", "device_fault", true);
    REQUIRE(fault.has_value());
    INFO(faultText(fault));
    CHECK(faultText(fault).find("unreachable") != std::string::npos);
    CHECK(faultText(fault).find("certificate") == std::string::npos);
    CHECK(faultText(fault).find("handshake") == std::string::npos);
    rig.mqtt.start();
    REQUIRE(rig.waitSubscribed(2));
    CHECK(rig.waitAlarm("door-front", "device_fault", false).has_value());
    CHECK(occurrences(rig.driver->output(), " (TLS) as ccoc-mqtt-1, subscribed to ") == 2);
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/tls: a broker certificate from another CA is refused, said in words, retried, nothing lost")
{
    TestPki pki;
    pki.makeCa("ca");
    pki.makeCa("other");
    pki.issue("broker", "ca", "IP:127.0.0.1");
    MqttRig rig(tlsRig(pki, "broker", false, caSetting(pki, "other")));

    const auto fault = rig.waitAlarm("door-front", "device_fault", true);
    REQUIRE(fault.has_value());
    INFO(rig.driver->output());
    CHECK(faultText(fault).find("the broker's certificate is not trusted (certificate verify failed): not signed by "
                                "the CA in ca_file \"" + pki.path("other.crt") + "\"") != std::string::npos);
    CHECK(rig.driver->output().find("TLS: the broker's certificate is not trusted") != std::string::npos);
    CHECK(rig.waitState("door-front/online", false));
    // It keeps trying with its backoff (100..400 ms here): mosquitto sees the attempts come.
    CHECK(eventually([&] { return occurrences(rig.mqtt.output(), "New connection from 127.0.0.1") >= 3; }, 15s));
    CHECK(occurrences(rig.driver->output(), "subscribed to ") == 0);
    // Nothing else is lost: one fault for the device, the driver still runs and stops cleanly.
    CHECK(rig.countAlarms("door-front", [](const Json& a) { return a.value("type", "") == "device_fault"; }) == 1);
    CHECK(rig.driver->running());
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/tls: a broker certificate for another host name is refused, tls_insecure accepts it and warns")
{
    TestPki pki;
    pki.makeCa("ca");
    pki.issue("broker", "ca", "DNS:mqtt.elsewhere.example");
    {
        MqttRig rig(tlsRig(pki, "broker", false, caSetting(pki, "ca")));
        const auto fault = rig.waitAlarm("door-front", "device_fault", true);
        REQUIRE(fault.has_value());
        CHECK(faultText(fault).find("TLS: the broker's certificate is not for host \"127.0.0.1\" (host name "
                                    "verification failed)") != std::string::npos);
        rig.checkCleanStop();
    }
    MqttRig rig(tlsRig(pki, "broker", false, caSetting(pki, "ca") + "tls_insecure = true\n"));
    REQUIRE(rig.waitSubscribed());
    CHECK(rig.driver->output().find("tls_insecure = true: the broker's certificate is NOT checked against host "
                                    "\"127.0.0.1\"") != std::string::npos);
    rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":false})");
    CHECK(rig.waitAlarm("door-front", "door", true).has_value());
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/tls: a listener requiring client certificates takes the driver's (encrypted key), refuses a stranger's and none")
{
    TestPki pki;
    pki.makeCa("ca");
    pki.issue("broker", "ca", "IP:127.0.0.1");
    pki.issue("driver", "ca", "", "key-pw-R4nd0m");
    {
        MqttRig rig(tlsRig(pki, "broker", true,
                           caSetting(pki, "ca") + "cert_file = \"" + pki.path("driver.crt") + "\"\nkey_file = \"" +
                               pki.path("driver.key") + "\"\nkey_password_env = \"CCOC_TEST_MQTT_KEY_PW\"\n",
                           {{"CCOC_TEST_MQTT_KEY_PW", "key-pw-R4nd0m"}}));
        REQUIRE(rig.waitSubscribed());
        rig.mqtt.publish("zigbee2mqtt/front_door", R"({"contact":false})");
        CHECK(rig.waitAlarm("door-front", "door", true).has_value());
        rig.checkCleanStop();
        CHECK(rig.driver->output().find("key-pw-R4nd0m") == std::string::npos);
    }
    {
        // A client certificate from a CA the broker does not trust.
        pki.makeCa("other");
        pki.issue("stranger", "other", "");
        MqttRig rig(tlsRig(pki, "broker", true,
                           caSetting(pki, "ca") + "cert_file = \"" + pki.path("stranger.crt") + "\"\nkey_file = \"" +
                               pki.path("stranger.key") + "\"\n"));
        const auto fault = rig.waitAlarm("door-front", "device_fault", true);
        REQUIRE(fault.has_value());
        INFO(faultText(fault));
        CHECK(faultText(fault).find("TLS: the broker ") != std::string::npos);
        CHECK(faultText(fault).find("client certificate in cert_file \"" + pki.path("stranger.crt") + "\"") !=
              std::string::npos);
        rig.checkCleanStop();
    }
    MqttRig rig(tlsRig(pki, "broker", true, caSetting(pki, "ca")));
    const auto fault = rig.waitAlarm("door-front", "device_fault", true);
    REQUIRE(fault.has_value());
    INFO(faultText(fault));
    // OpenSSL's alert when it arrives in time ("tlsv13 alert certificate required"), else the
    // link closed before CONNACK: either way the words name the missing client certificate.
    CHECK(faultText(fault).find("TLS: the broker ") != std::string::npos);
    CHECK(faultText(fault).find("client certificate") != std::string::npos);
    CHECK(faultText(fault).find("expected 'cert_file' and 'key_file'") != std::string::npos);
    // mosquitto's side of it, so the test knows why it was refused.
    CHECK(eventually([&] { return rig.mqtt.output().find("peer did not return a certificate") != std::string::npos; },
                     10s));
    CHECK(occurrences(rig.driver->output(), "subscribed to ") == 0);
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/tls: tls = true on a plain listener's port says the port is no TLS listener and keeps trying")
{
    TestPki pki;
    pki.makeCa("ca");
    RigOptions options;
    options.sensors = kZigbeeDoor;
    options.extraSettings = caSetting(pki, "ca");
    MqttRig rig(options);
    const auto fault = rig.waitAlarm("door-front", "device_fault", true);
    REQUIRE(fault.has_value());
    INFO(faultText(fault));
    CHECK(faultText(fault).find("TLS handshake failed (") != std::string::npos);
    CHECK(faultText(fault).find("is port " + std::to_string(rig.mqtt.port()) + " a TLS listener of the broker?") !=
          std::string::npos);
    CHECK(eventually([&] { return occurrences(rig.mqtt.output(), "New connection from 127.0.0.1") >= 3; }, 15s));
    CHECK(occurrences(rig.driver->output(), "subscribed to ") == 0);
    rig.checkCleanStop();
}

TEST_CASE("alarm_mqtt/tls: bad TLS settings stop ccoc-driverd at start with messages naming key and file")
{
    TestPki pki;
    pki.makeCa("ca");
    pki.issue("driver", "ca", "");
    RigOptions options;
    options.sensors = kZigbeeDoor;
    options.extraSettings = "tls = true\nca_file = \"" + pki.path("missing-ca.crt") + "\"\ncert_file = \"" +
                            pki.path("driver.crt") + "\"\n";
    MqttRig rig(options);
    const auto code = rig.driver->wait(20s);
    const std::string log = rig.driver->output();
    INFO(log);
    REQUIRE(code.has_value());
    CHECK(*code == 3);
    CHECK(log.find("settings: 'ca_file' is \"" + pki.path("missing-ca.crt") +
                   "\", which does not exist; expected the PEM file of the CA certificate(s)") != std::string::npos);
    CHECK(log.find("settings: 'cert_file' is set without 'key_file'; expected both") != std::string::npos);
    CHECK(occurrences(rig.mqtt.output(), "New connection from") == 0);
}
