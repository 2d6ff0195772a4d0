// libFuzzer target for the bus decoder. Input: the frames of one message separated by NUL bytes.
// Built as a fuzzer only with clang (fuzz/CMakeLists.txt); the same function replays the corpus
// in the normal test build (bus/decoder-corpus).
#include "ccoc/bus/codec.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> frames;
    size_t start = 0;
    while (frames.size() < 64) {
        const size_t end = input.find('\0', start);
        frames.push_back(input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    const ccoc::bus::Limits limits;
    const ccoc::bus::DecodeResult result = ccoc::bus::decodeMessage(frames, limits);
    if (result.ok()) {
        // Whatever decodes must encode and decode again to the same envelope.
        const std::string envelope = ccoc::bus::encodeEnvelope(result.message->envelope);
        const ccoc::bus::DecodeResult again =
            ccoc::bus::decodeMessage({result.message->topic, envelope, result.message->payload}, limits);
        if (!again.ok() || again.message->envelope.id != result.message->envelope.id ||
            again.message->envelope.seq != result.message->envelope.seq) {
            __builtin_trap();
        }
    } else if (result.error.message.empty()) {
        __builtin_trap();
    }
    return 0;
}
