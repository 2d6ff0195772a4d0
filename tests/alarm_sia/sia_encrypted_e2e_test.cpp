// Encrypted SIA DC-09 (AES) end to end: real broker, ccoc-driverd running sia.so with per-account
// keys (from the environment and from the settings), panels sending frames encrypted by the
// openssl tool over real TCP and UDP, alarms read back from the bus, encrypted ACKs decrypted by
// the openssl tool again.
#include <catch2/catch.hpp>

#include "openssl_tool.hpp"
#include "sia_test_bus.hpp"

#include <cstdlib>
#include <string>

using namespace std::chrono_literals;
using ccoc::siatest::checkedBody;
using ccoc::siatest::checkNak;
using ccoc::siatest::kDriverd;
using ccoc::siatest::kSiaDriver;
using ccoc::siatest::opensslAes;
using ccoc::siatest::SiaBus;
using ccoc::siatest::TcpPanel;
using ccoc::siatest::UdpPanel;
using ccoc::test::ChildProcess;
using Json = nlohmann::json;

namespace {

const std::string kKey128 = "2B7E151628AED2A6ABF7158809CF4F3C";
const std::string kKey256 = "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4";
const std::string kWrongKey = "FFEEDDCCBBAA99887766554433221100";
const std::string kKeyVariable = "CCOC_TEST_SIA_KEY_1234";

std::string stamp(int64_t offsetSec = 0)
{
    return "_" + ccoc::sia::formatTimestamp(ccoc::siatest::nowUnix() + offsetSec);
}

// A whole encrypted frame: "*<id>"<header>[ and the openssl-encrypted hex of <pad>|<content>.
std::string encryptedFrame(const std::string& id, const std::string& header, const std::string& keyHex,
                           const std::string& content)
{
    const std::string cipherText = opensslAes(true, keyHex, ccoc::siatest::paddedPlain(content));
    return ccoc::sia::encodeFrame("\"*" + id + "\"" + header + "[" + ccoc::siatest::hexOf(cipherText));
}

// Checks an encrypted ACK: "*ACK" with the frame's header, and hex that decrypts (openssl, the
// account's key) to <pad>|]_<receiver's time>, the time within a few seconds of ours.
void checkEncryptedAck(const std::optional<std::string>& answer, const std::string& header, const std::string& keyHex)
{
    const std::string body = checkedBody(answer);
    const std::string prefix = "\"*ACK\"" + header + "[";
    INFO("ACK body: " << body);
    REQUIRE(body.rfind(prefix, 0) == 0);
    const std::string hex = body.substr(prefix.size());
    REQUIRE(hex.size() % 32 == 0);
    REQUIRE(hex.find_first_not_of("0123456789ABCDEF") == std::string::npos);
    const std::string plain = opensslAes(false, keyHex, ccoc::siatest::bytesOfHex(hex));
    INFO("decrypted ACK: " << plain);
    const size_t bar = plain.find('|');
    REQUIRE(bar != std::string::npos);
    CHECK(plain.substr(0, bar).find_first_of("[]") == std::string::npos);
    REQUIRE(plain.substr(bar + 1, 2) == "]_");
    const auto time = ccoc::sia::parseTimestamp(plain.substr(bar + 3));
    REQUIRE(time.has_value());
    CHECK(std::abs(*time - ccoc::siatest::nowUnix()) <= 5);
}

} // namespace

TEST_CASE("alarm_sia/e2e encrypted: AES-128 SIA-DCS and AES-256 ADM-CID alarms reach the bus, the ACKs are encrypted")
{
    // Account 1234's key comes from the environment, AAA's from the settings themselves.
    SiaBus bus({"account.1234.key_env=" + kKeyVariable, "account.AAA.key=" + kKey256}, {{kKeyVariable, kKey128}});
    CHECK(bus.driver->output().find("(2 with an AES key)") != std::string::npos);

    TcpPanel panel(bus.port);
    REQUIRE(panel.send(encryptedFrame("SIA-DCS", "0042L0#1234", kKey128, "#1234|Nri1/BA003]" + stamp())));
    checkEncryptedAck(panel.answer(), "0042L0#1234", kKey128);
    auto events = bus.events.waitFor(1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].path == "panel-bank/alarm");
    CHECK(events[0].reliable);
    CHECK(events[0].payload["type"] == "intrusion");
    CHECK(events[0].payload["active"] == true);
    CHECK(events[0].payload["account"] == "1234");
    CHECK(events[0].payload["code"] == "SIA BA003");
    CHECK(events[0].payload["point"] == "003");

    UdpPanel udp(bus.port);
    REQUIRE(udp.send(encryptedFrame("ADM-CID", "0043R1L0#AAA", kKey256, "#AAA|1110 02 017]" + stamp())));
    checkEncryptedAck(udp.answer(), "0043R1L0#AAA", kKey256);
    events = bus.events.waitFor(2);
    REQUIRE(events.size() == 2);
    CHECK(events[1].path == "panel-shop/alarm");
    CHECK(events[1].payload["type"] == "fire");
    CHECK(events[1].payload["account"] == "AAA");
    CHECK(events[1].payload["code"] == "ADM-CID 1110 02 017");
    CHECK(events[1].payload["point"] == "017");
    CHECK(events[1].payload["transport"] == "udp");

    // An encrypted link test gets an encrypted ACK and no alarm.
    REQUIRE(panel.send(encryptedFrame("NULL", "0044L0#1234", kKey128, "]" + stamp())));
    checkEncryptedAck(panel.answer(), "0044L0#1234", kKey128);

    const std::string log = bus.driver->output();
    INFO(log);
    CHECK(log.find("encrypted SIA-DCS seq 0042 account 1234 (panel-bank)") != std::string::npos);
    CHECK(log.find("encrypted ADM-CID seq 0043 account AAA (panel-shop)") != std::string::npos);
    CHECK(log.find(kKey128) == std::string::npos);
    CHECK(log.find(kKey256) == std::string::npos);
    CHECK(bus.events.waitFor(2, 0ms).size() == 2);
    CHECK(bus.stopDriver() == 0);
}

TEST_CASE("alarm_sia/e2e encrypted: a wrong key, a missing key, a plain frame of an encrypting account are refused")
{
    SiaBus bus({"account.1234.key_env=" + kKeyVariable}, {{kKeyVariable, kKey128}});
    TcpPanel panel(bus.port);

    // Encrypted with another key: it does not decrypt, NAK (plain, with the receiver's time).
    REQUIRE(panel.send(encryptedFrame("SIA-DCS", "0050L0#1234", kWrongKey, "#1234|Nri1/BA003]" + stamp())));
    checkNak(panel.answer());
    // Out of the time window (the timestamp is inside the encrypted part): NAK.
    REQUIRE(panel.send(encryptedFrame("SIA-DCS", "0051L0#1234", kKey128, "#1234|Nri1/BA004]" + stamp(-300))));
    checkNak(panel.answer());
    // No timestamp, which encrypted frames must carry: NAK.
    REQUIRE(panel.send(encryptedFrame("SIA-DCS", "0052L0#1234", kKey128, "#1234|Nri1/BA005]")));
    checkNak(panel.answer());
    // Encrypted for AAA, which has no key here: DUH, the panel takes its backup path.
    REQUIRE(panel.send(encryptedFrame("ADM-CID", "0053L0#AAA", kKey128, "#AAA|1130 01 003]" + stamp())));
    CHECK(checkedBody(panel.answer()) == R"("DUH"0053L0#AAA[])");
    // A plain frame of 1234, whose key requires encryption: DUH.
    REQUIRE(panel.send(ccoc::siatest::frameOf(R"("ADM-CID"0054L0#1234[#1234|1130 01 006])")));
    CHECK(checkedBody(panel.answer()) == R"("DUH"0054L0#1234[])");
    // Plain frames of AAA (no key) still pass; then a good encrypted one of 1234.
    REQUIRE(panel.send(ccoc::siatest::frameOf(R"("ADM-CID"0055L0#AAA[#AAA|1130 01 007])")));
    CHECK(checkedBody(panel.answer()) == R"("ACK"0055L0#AAA[])");
    REQUIRE(panel.send(encryptedFrame("SIA-DCS", "0056L0#1234", kKey128, "#1234|Nri1/PA008]" + stamp())));
    checkEncryptedAck(panel.answer(), "0056L0#1234", kKey128);

    // Only the two accepted frames reached the bus, in order.
    const auto events = bus.events.waitFor(2);
    REQUIRE(events.size() == 2);
    CHECK(events[0].payload["point"] == "007");
    CHECK(events[1].payload["type"] == "panic");
    CHECK(events[1].payload["point"] == "008");

    const std::string log = bus.driver->output();
    INFO(log);
    CHECK(log.find("NAK to tcp 127.0.0.1:") != std::string::npos);
    CHECK(log.find("encrypted \"*SIA-DCS\" seq 0050 of account 1234 does not decrypt to text with the account's "
                   "AES-128 key") != std::string::npos);
    CHECK(log.find("behind the receiver's clock") != std::string::npos);
    CHECK(log.find("seq 0052 of account 1234 has no timestamp; encrypted frames must carry one") != std::string::npos);
    CHECK(log.find("encrypted \"*ADM-CID\" seq 0053 of account AAA, which has no AES key configured here") !=
          std::string::npos);
    CHECK(log.find("plain \"ADM-CID\" seq 0054 of account 1234, which must be encrypted") != std::string::npos);
    CHECK(log.find(kKey128) == std::string::npos);
    const Json counters =
        bus.state("sia-receiver/receiver", [](const Json& v) { return v["frames"] == 7; });
    CHECK(counters["naks"] == 3);
    CHECK(counters["duh"] == 2);
    CHECK(counters["acks"] == 2);
    CHECK(bus.stopDriver() == 0);
}

TEST_CASE("alarm_sia/e2e encrypted: require_encryption = false lets plain frames of a keyed account through")
{
    SiaBus bus({"account.1234.key_env=" + kKeyVariable, "account.1234.require_encryption=false"},
               {{kKeyVariable, kKey128}});
    TcpPanel panel(bus.port);
    REQUIRE(panel.send(ccoc::siatest::frameOf(R"("ADM-CID"0060L0#1234[#1234|1130 01 003])")));
    CHECK(checkedBody(panel.answer()) == R"("ACK"0060L0#1234[])");
    REQUIRE(panel.send(encryptedFrame("ADM-CID", "0061L0#1234", kKey128, "#1234|1130 01 004]" + stamp())));
    checkEncryptedAck(panel.answer(), "0061L0#1234", kKey128);
    CHECK(bus.events.waitFor(2).size() == 2);
    CHECK(bus.stopDriver() == 0);
}

TEST_CASE("alarm_sia/e2e encrypted: bad key settings stop the driver with messages naming the key, never its value")
{
    const ccoc::test::TempDir dir("ccoc-sia-keys");
    const std::string shortKey = kKey128.substr(0, 31);
    const std::string notHex = "XYZ" + kKey128.substr(3);
    ChildProcess driver({kDriverd, "--id", "sia-1", "--plugin", kSiaDriver, "--frontend", "ipc://" + dir + "/f",
                         "--publisher", "ipc://" + dir + "/p", "--set", "listen=127.0.0.1", "--set", "port=0", "--set",
                         "accounts=1234=panel-bank,AAA=panel-shop,BBB=panel-3", "--set", "account.1234.key=" + shortKey,
                         "--set", "account.AAA.key_env=CCOC_TEST_SIA_UNSET_VARIABLE", "--set",
                         "account.BBB.key_env=CCOC_TEST_SIA_BAD_KEY", "--set", "account.9999.key=" + kKey128, "--set",
                         "account.BBB.require_encryption=yes"},
                        {{"CCOC_TEST_SIA_BAD_KEY", notHex}});
    const auto code = driver.wait(20s);
    const std::string log = driver.output();
    INFO(log);
    REQUIRE(code.has_value());
    CHECK(*code == 3);
    CHECK(log.find("account.1234.key: has 31 characters; expected 32, 48 or 64 hex digits") != std::string::npos);
    CHECK(log.find("account.AAA.key_env: names CCOC_TEST_SIA_UNSET_VARIABLE, which is not set") != std::string::npos);
    CHECK(log.find("account.BBB.key_env: the variable CCOC_TEST_SIA_BAD_KEY is not hex; expected 32, 48 or 64") !=
          std::string::npos);
    CHECK(log.find("account.BBB.require_encryption: is \"yes\"; expected true or false") != std::string::npos);
    CHECK(log.find("account.9999: account 9999 is not in 'accounts'") != std::string::npos);
    CHECK(log.find(shortKey) == std::string::npos);
    CHECK(log.find(notHex) == std::string::npos);
    CHECK(log.find(kKey128) == std::string::npos);
    CHECK(log.find("SIA DC-09 receiver listening") == std::string::npos);
}

TEST_CASE("alarm_sia/e2e encrypted: keys in the site file's account tables, one of them from the environment")
{
    const std::string site = std::string(CCOC_SOURCE_DIR) + "/tests/alarm_sia/data/sia_encrypted_site.toml";
    const ccoc::test::TempDir dir("ccoc-sia-site");
    const std::vector<std::string> argv{kDriverd, "--id", "sia-enc", "--plugin", kSiaDriver, "--site", site,
                                        "--frontend", "ipc://" + dir + "/f", "--publisher", "ipc://" + dir + "/p"};
    {
        // The variable account 1234's key_env names is not set: the driver refuses to start.
        ChildProcess driver(argv);
        const auto code = driver.wait(20s);
        INFO(driver.output());
        REQUIRE(code.has_value());
        CHECK(*code == 3);
        CHECK(driver.output().find("account.1234.key_env: names CCOC_TEST_SIA_SITE_KEY_1234, which is not set") !=
              std::string::npos);
    }
    ChildProcess driver(argv, {{"CCOC_TEST_SIA_SITE_KEY_1234", kKey128}});
    INFO(driver.output());
    REQUIRE(driver.waitForOutput("(2 with an AES key)", 10s));
    CHECK(driver.stop() == 0);
}
