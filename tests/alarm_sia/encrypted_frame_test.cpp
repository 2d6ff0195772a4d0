// Encrypted DC-09 without sockets: the account keys read from the settings (both forms, every
// mistake named, no key echoed), frames encrypted by the openssl tool read by decryptFrame, the
// encrypted ACK read back by the openssl tool, and the receiver's decisions for keyed accounts.
#include <catch2/catch.hpp>

#include "account_keys.hpp"
#include "encrypted_frame.hpp"
#include "frame_processor.hpp"
#include "openssl_tool.hpp"

#include <map>

using namespace ccoc::sia;
using ccoc::siatest::hexOf;
using ccoc::siatest::opensslAes;
using ccoc::siatest::paddedPlain;

namespace {

const std::string kKey128 = "2B7E151628AED2A6ABF7158809CF4F3C";
const std::string kKey192 = "8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B";
const int64_t kNowUnix = *parseTimestamp("14:12:04,09-25-2019");
const std::string kStamp = "_14:12:04,09-25-2019";

std::string lineOf(const std::string& body)
{
    const std::string frame = encodeFrame(body);
    return frame.substr(1, frame.size() - 2);
}

AesKey keyOf(const std::string& hex)
{
    AesKey key;
    REQUIRE(parseAesKeyHex(hex, key).empty());
    return key;
}

FrameParse parsedEncrypted(const std::string& header, const std::string& keyHex, const std::string& content)
{
    const std::string cipherHex = hexOf(opensslAes(true, keyHex, paddedPlain(content)));
    FrameParse parse = parseFrame(lineOf(header + "[" + cipherHex), {kNowUnix, 20, 40});
    REQUIRE(parse.problem == FrameProblem::None);
    REQUIRE(parse.frame.encrypted);
    return parse;
}

SiaSettings settingsWith(const std::string& json, const std::map<std::string, std::string>& env,
                         std::vector<std::string>& errors)
{
    SiaSettings settings;
    REQUIRE(parseAccounts("1234=panel-bank,AAA=panel-shop", settings.accounts).empty());
    errors = readAccountKeys(json, settings, [&](const std::string& name) -> std::optional<std::string> {
        const auto found = env.find(name);
        return found != env.end() ? std::optional<std::string>(found->second) : std::nullopt;
    });
    return settings;
}

} // namespace

TEST_CASE("alarm_sia/crypto: keys of 128, 192 and 256 bits are read, others refused without echoing them")
{
    AesKey key;
    CHECK(parseAesKeyHex(kKey128, key).empty());
    CHECK(key.bits() == 128);
    CHECK(parseAesKeyHex(kKey192, key).empty());
    CHECK(key.bits() == 192);
    CHECK(parseAesKeyHex(kKey128 + kKey128, key).empty());
    CHECK(key.bits() == 256);
    const std::string shortKey = kKey128.substr(1);
    CHECK(parseAesKeyHex(shortKey, key) == "has 31 characters; expected 32, 48 or 64 hex digits (an AES-128, -192 or -256 key)");
    const std::string notHex = "G" + kKey128.substr(1);
    const std::string why = parseAesKeyHex(notHex, key);
    CHECK_THAT(why, Catch::StartsWith("is not hex"));
    CHECK(why.find(notHex) == std::string::npos);
}

TEST_CASE("alarm_sia/crypto: frames encrypted by openssl decrypt to their data and timestamp")
{
    FrameParse parse = parsedEncrypted(R"("*SIA-DCS"0042R1L0#1234)", kKey128, "#1234|Nri1/BA003][XLON]" + kStamp);
    parse = decryptFrame(parse, keyOf(kKey128), {kNowUnix, 20, 40});
    INFO(parse.detail);
    REQUIRE(parse.problem == FrameProblem::None);
    CHECK(parse.frame.data == "#1234|Nri1/BA003");
    REQUIRE(parse.frame.extended.size() == 1);
    CHECK(parse.frame.extended[0] == "XLON");
    CHECK(parse.frame.timestampUnix == kNowUnix);

    parse = parsedEncrypted(R"("*ADM-CID"0043L0#1234)", kKey192, "#1234|1130 01 003]" + kStamp);
    CHECK(decryptFrame(parse, keyOf(kKey128), {kNowUnix, 20, 40}).problem == FrameProblem::Undecryptable);
    CHECK(decryptFrame(parse, keyOf(kKey192), {kNowUnix, 20, 40}).frame.data == "#1234|1130 01 003");
    CHECK(decryptFrame(parse, keyOf(kKey192), {kNowUnix + 100, 20, 40}).problem == FrameProblem::StaleTimestamp);

    parse = parsedEncrypted(R"("*ADM-CID"0044L0#1234)", kKey128, "#1234|1130 01 003]");
    const FrameParse noStamp = decryptFrame(parse, keyOf(kKey128), {kNowUnix, 20, 40});
    CHECK(noStamp.problem == FrameProblem::BadTimestamp);
    CHECK_THAT(noStamp.detail, Catch::Contains("encrypted frames must carry one"));

    parse = parseFrame(lineOf(R"("*SIA-DCS"0045L0#1234[0123456789ABCDEF)"), {kNowUnix, 20, 40});
    const FrameParse partial = decryptFrame(parse, keyOf(kKey128), {kNowUnix, 20, 40});
    CHECK(partial.problem == FrameProblem::Undecryptable);
    CHECK_THAT(partial.detail, Catch::Contains("a multiple of 32"));
}

TEST_CASE("alarm_sia/crypto: the encrypted ACK decrypts with openssl to a pad, a bar and the receiver's time")
{
    FrameParse parse = parsedEncrypted(R"("*SIA-DCS"0042R1L0#1234)", kKey128, "#1234|Nri1/BA003]" + kStamp);
    const std::string ack = encodeEncryptedAck(parse.frame, keyOf(kKey128), kNowUnix);
    const std::string body = ack.substr(9, ack.size() - 10);
    const std::string prefix = R"("*ACK"0042R1L0#1234[)";
    REQUIRE(body.rfind(prefix, 0) == 0);
    const std::string plain = opensslAes(false, kKey128, ccoc::siatest::bytesOfHex(body.substr(prefix.size())));
    REQUIRE(plain.size() == 32);
    CHECK(plain.substr(10) == "|]" + kStamp);
    CHECK(plain.substr(0, 10).find_first_of("|[]") == std::string::npos);
    // A random pad: two ACKs of the same frame differ.
    CHECK(encodeEncryptedAck(parse.frame, keyOf(kKey128), kNowUnix) != ack);
}

TEST_CASE("alarm_sia/settings: account keys from the nested table, dotted keys and the environment")
{
    std::vector<std::string> errors;
    SiaSettings settings = settingsWith(R"({"accounts":"x","account":{"1234":{"key_env":"KEY_1234"},
        "aaa":{"key":")" + kKey192 + R"(","require_encryption":false}}})",
                                        {{"KEY_1234", kKey128}}, errors);
    CHECK(errors.empty());
    REQUIRE(settings.keys.size() == 2);
    CHECK(settings.keys.at("1234").key.bits() == 128);
    CHECK(settings.keys.at("1234").requireEncryption);
    CHECK(settings.keys.at("AAA").key.bits() == 192);
    CHECK_FALSE(settings.keys.at("AAA").requireEncryption);

    settings = settingsWith(R"({"account.1234.key":")" + kKey128 + R"("})", {}, errors);
    CHECK(errors.empty());
    CHECK(settings.keys.count("1234") == 1);

    settings = settingsWith(R"({"account.1234.key":")" + kKey128 + R"(","account.1234.key_env":"K",
        "account.AAA.require_encryption":true,"account.AAA.kye":"x","account.12G4.key_env":"K",
        "account.4321.key_env":"K"})",
                            {{"K", kKey128}}, errors);
    CHECK(settings.keys.empty());
    std::string all;
    for (const auto& error : errors) {
        all += error + "\n";
    }
    INFO(all);
    CHECK(errors.size() == 5);
    CHECK_THAT(all, Catch::Contains("account.1234: both 'key' and 'key_env' are set"));
    CHECK_THAT(all, Catch::Contains("account.AAA.kye: unknown key; expected key_env, key or require_encryption"));
    CHECK_THAT(all, Catch::Contains("account.AAA: no 'key_env' (or 'key')"));
    CHECK_THAT(all, Catch::Contains("account.12G4: '12G4' is not an account"));
    CHECK_THAT(all, Catch::Contains("account.4321: account 4321 is not in 'accounts'"));
    CHECK(all.find(kKey128) == std::string::npos);

    settings = settingsWith(R"({"account.1234.key":12345678901234567890123456789012})", {}, errors);
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::Contains("account.1234.key: is not a text") && Catch::Contains("use key_env"));
}

TEST_CASE("alarm_sia/process: keyed accounts get encrypted ACKs, their plain frames and NULLs are refused")
{
    SiaSettings settings;
    REQUIRE(parseAccounts("1234=panel-bank,AAA=panel-shop", settings.accounts).empty());
    settings.keys["1234"].key = keyOf(kKey128);
    const FrameProcessor processor(settings);
    const int64_t nowUs = kNowUnix * 1000000;

    const std::string cipherHex = hexOf(opensslAes(true, kKey128, paddedPlain("#1234|1130 01 003]" + kStamp)));
    Outcome outcome = processor.process(lineOf(R"("*ADM-CID"0042L0#1234[)" + cipherHex), "192.0.2.7:5001", "tcp", nowUs);
    INFO(outcome.logLine);
    CHECK(outcome.answer == Outcome::Answer::Ack);
    CHECK(outcome.reply.substr(9, 18) == R"("*ACK"0042L0#1234[)");
    REQUIRE(outcome.events.size() == 1);
    CHECK(outcome.events[0].path == "panel-bank/alarm");
    CHECK(outcome.eventIds[0] == "sia:1234:0042:14:12:04,09-25-2019");

    outcome = processor.process(lineOf(R"("NULL"0000L0#1234[])"), "192.0.2.7:5001", "tcp", nowUs);
    CHECK(outcome.answer == Outcome::Answer::Duh);
    CHECK(outcome.problem == FrameProblem::EncryptionRequired);
    outcome = processor.process(lineOf(R"("ADM-CID"0043L0#1234[#1234|1130 01 003])"), "192.0.2.7:5001", "tcp", nowUs);
    CHECK(outcome.answer == Outcome::Answer::Duh);
    CHECK(outcome.events.empty());
    CHECK_THAT(outcome.logLine, Catch::Contains("which must be encrypted"));
    // AAA has no key: its plain frames pass, its encrypted ones are refused.
    outcome = processor.process(lineOf(R"("ADM-CID"0044L0#AAA[#AAA|1130 01 003])"), "192.0.2.7:5001", "tcp", nowUs);
    CHECK(outcome.answer == Outcome::Answer::Ack);
    outcome = processor.process(lineOf(R"("*ADM-CID"0045L0#AAA[)" + cipherHex), "192.0.2.7:5001", "tcp", nowUs);
    CHECK(outcome.answer == Outcome::Answer::Duh);
    CHECK(outcome.problem == FrameProblem::Encrypted);
}
