// The decoder: a pure function with limits (protocol sections 3, 4, 11), and its fuzz corpus.
#include "ccoc/bus/codec.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

using namespace ccoc::bus;

namespace {

const std::string kEnvelope =
    R"({"v":1,"id":"s:1","type":"state/1","src":"sim-1","session":"ab12","seq":1,"sent_us":5})";

DecodeResult decode(std::string topic, std::string envelope, std::string payload, Limits limits = {}) {
    return decodeMessage({topic, envelope, payload}, limits);
}

} // namespace

TEST_CASE("bus/decoder-accepts-valid") {
    const DecodeResult result = decode("state/cam-1/ptz/position/", kEnvelope, R"({"pan":1.5,"name":"\u0e01"})");
    REQUIRE(result.ok());
    CHECK(result.message->envelope.source == "sim-1");
    CHECK(result.message->envelope.seq == 1);
    CHECK(result.message->payload == R"({"pan":1.5,"name":"\u0e01"})");
    // Unknown envelope fields are ignored (protocol section 3).
    std::string withExtra = kEnvelope;
    withExtra.insert(withExtra.size() - 1, R"(,"added_in_rev_2":"x")");
    CHECK(decode("state/cam-1/x/", withExtra, "1").ok());
}

TEST_CASE("bus/decoder-limits") {
    SECTION("frame count") {
        CHECK(decodeMessage({"state/a/", kEnvelope}, {}).error.code == "frames");
        Limits limits;
        limits.maxFrames = 4;
        CHECK(decodeMessage({"state/a/", kEnvelope, "1", "x", "y"}, limits).error.code == "frames");
    }
    SECTION("size") {
        Limits limits;
        limits.maxMessageBytes = 200;
        CHECK(decode("state/a/", kEnvelope, std::string(300, '1'), limits).error.code == "size");
    }
    SECTION("depth") {
        const std::string deep = std::string(40, '[') + std::string(40, ']');
        const DecodeResult result = decode("state/a/", kEnvelope, deep);
        CHECK(result.error.code == "payload");
        CHECK(result.error.message.find("nesting deeper than 32") != std::string::npos);
        CHECK(decode("state/a/", kEnvelope, std::string(32, '[') + std::string(32, ']')).ok());
    }
    SECTION("utf-8") {
        CHECK(decode("state/a/", kEnvelope, "\"\xc0\xaf\"").error.code == "payload");     // overlong
        CHECK(decode("state/a/", kEnvelope, "\"\xed\xa0\x80\"").error.code == "payload"); // surrogate
        CHECK(decode("state/a/", kEnvelope, "\"\xe0\xb8\"").error.code == "payload");     // truncated
        CHECK(decode("state/a/", kEnvelope, "\"\\u0000\"").error.code == "payload");      // NUL
        CHECK(decode("state/a/", kEnvelope, "\"\xe0\xb8\x81\"").ok());                    // Thai ko kai
        // Long strings take the eight-bytes-at-a-time path: special bytes are still found.
        CHECK(decode("state/a/", kEnvelope, "\"aaaaaaaaaaaaaaaa\x01" "bbbbbbbbbbbbbbbbb\"").error.code == "payload");
        CHECK(decode("state/a/", kEnvelope, "\"aaaaaaaaaaaaaaaaaaa\"bbbbbbbbbbbbbbbbb\"").error.code == "payload");
        CHECK(decode("state/a/", kEnvelope, "\"aaaaaaaaaaaaaaaaaaaaaa\\\"bbbbbbbbbbbbbbb\"").ok());
        CHECK(decode("state/a/", kEnvelope, "\"aaaaaaaaaaaaa\xe0\xb8\x81" "aaaaaaaaaaaaaaaaaaaa\xff\"").error.code == "payload");
    }
    SECTION("envelope") {
        CHECK(decode("state/a/", R"({"v":1})", "1").error.message.find("'id' is missing") != std::string::npos);
        std::string nested = kEnvelope;
        nested.insert(nested.size() - 1, R"(,"x":{"y":1})");
        CHECK(decode("state/a/", nested, "1").error.code == "envelope");
        std::string badSeq = R"({"v":1,"id":"s:1","type":"state/1","src":"sim-1","session":"ab","seq":"1","sent_us":5})";
        CHECK(decode("state/a/", badSeq, "1").error.message.find("'seq' must be") != std::string::npos);
        std::string version2 = R"({"v":2,"id":"s:1","type":"state/1","src":"sim-1","session":"ab","seq":1,"sent_us":5})";
        CHECK(decode("state/a/", version2, "1").error.code == "version");
        CHECK(decode("state/a/", kEnvelope, "{\"a\":").error.code == "payload");
    }
    SECTION("type must match the topic's kind") {
        CHECK(decode("event/a/", kEnvelope, "1").error.code == "topic");
    }
}

TEST_CASE("bus/topic-grammar") {
    const Limits limits;
    CHECK(checkTopic("state/cam-1/ptz/", limits).empty());
    CHECK_FALSE(checkTopic("state/cam-1/ptz", limits).empty());  // no trailing slash
    CHECK_FALSE(checkTopic("state//x/", limits).empty());        // empty segment
    CHECK_FALSE(checkTopic("video/cam-1/", limits).empty());     // unknown kind
    CHECK_FALSE(checkTopic("state/cam 1/", limits).empty());     // space
    CHECK_FALSE(checkTopic("state/../", limits).empty());
    CHECK_FALSE(checkTopic("state/" + std::string(65, 'a') + "/", limits).empty());
    std::string many = "state/";
    for (int i = 0; i < 16; ++i) {
        many += "a/";
    }
    CHECK_FALSE(checkTopic(many, limits).empty());
    // Prefix safety: the wire prefix of one device never matches another that starts the same.
    const std::string prefix = makePrefix("state/cam-1");
    CHECK(std::string_view("state/cam-1/ptz/").starts_with(prefix));
    CHECK_FALSE(std::string_view("state/cam-10/ptz/").starts_with(prefix));
    CHECK(makeTopic("state", "cam-1/ptz") == "state/cam-1/ptz/");
}

TEST_CASE("bus/envelope-round-trip") {
    Envelope envelope;
    envelope.id = "x:1";
    envelope.type = "command/1";
    envelope.source = "console \"1\"";
    envelope.session = "s";
    envelope.seq = 7;
    envelope.ttlMs = 1500;
    envelope.deadmanMs = 300;
    envelope.corr = "y:2";
    const std::string text = encodeEnvelope(envelope);
    const DecodeResult result = decode("cmd/cam-1/stop/", text, "{}");
    // A quote is not allowed in a source id: the decoder says so instead of misreading it.
    CHECK(result.error.message.find("'src'") != std::string::npos);
    envelope.source = "console-1";
    const DecodeResult ok = decode("cmd/cam-1/stop/", encodeEnvelope(envelope), "{}");
    REQUIRE(ok.ok());
    CHECK(ok.message->envelope.ttlMs == 1500);
    CHECK(ok.message->envelope.deadmanMs == 300);
    CHECK(ok.message->envelope.corr == "y:2");
}

TEST_CASE("bus/decoder-corpus") {
    // Replays the fuzz corpus through the fuzz target's own function (no crash, no trap).
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(CCOC_BUS_CORPUS_DIR)) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        const std::string data = bytes.str();
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
        // Files named bad_* must be refused with a reason, the others accepted.
        std::vector<std::string_view> frames;
        const std::string_view view(data);
        for (size_t start = 0;;) {
            const size_t end = view.find('\0', start);
            frames.push_back(view.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
            if (end == std::string_view::npos) {
                break;
            }
            start = end + 1;
        }
        const DecodeResult result = decodeMessage(frames, {});
        INFO(entry.path().filename().string() << ": " << result.error.message);
        CHECK(result.ok() == !entry.path().filename().string().starts_with("bad_"));
        ++files;
    }
    CHECK(files >= 10);
}
