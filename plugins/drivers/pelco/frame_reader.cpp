// The Pelco frame reader (see frame_reader.hpp).
#include "frame_reader.hpp"

#include <algorithm>

namespace ccoc::pelco {

std::vector<Message> FrameReader::feed(std::span<const uint8_t> bytes)
{
    std::vector<Message> out;
    for (uint8_t byte : bytes) {
        push(byte, out);
    }
    return out;
}

void FrameReader::push(uint8_t byte, std::vector<Message>& out)
{
    if (size_ == 0 && byte != syncByte()) {
        ++counters_.discardedBytes;
        return;
    }
    buffer_[size_++] = byte;
    if (size_ < frameSize(protocol_)) {
        return;
    }
    const std::span<const uint8_t> candidate(buffer_.data(), size_);
    const bool framed = protocol_ == Protocol::D || candidate[6] == kEtxP;
    const uint8_t expected = protocol_ == Protocol::D ? checksumD(candidate) : checksumP(candidate);
    if (!framed || candidate[size_ - 1] != expected) {
        if (std::optional<Message> response = generalResponse()) {
            ++counters_.frames;
            ++counters_.generalResponses;
            out.push_back(std::move(*response));
            shiftToSync(kGeneralResponseSizeD);
            return;
        }
        ++(framed ? counters_.badChecksums : counters_.badFraming);
        lastProblem_ = std::string(protocolName(protocol_)) + (framed ? ": bad checksum in " : ": no ETX AF in ") +
                       hexText(candidate) + ", resynchronising";
        resync(); // drops at least one byte, so the buffer is again short of a frame
        return;
    }
    Result<Message> message = decode(protocol_, candidate);
    size_ = 0;
    if (message) {
        ++counters_.frames;
        out.push_back(std::move(message).value());
    } else {
        ++counters_.unsupported;
        lastProblem_ = message.error().message;
    }
}

std::vector<Message> FrameReader::idle()
{
    std::vector<Message> out;
    if (size_ == kGeneralResponseSizeD) {
        if (std::optional<Message> response = generalResponse()) {
            ++counters_.frames;
            ++counters_.generalResponses;
            out.push_back(std::move(*response));
            size_ = 0;
            return out;
        }
    }
    if (size_ > 0) {
        lastProblem_ = std::string(protocolName(protocol_)) + ": incomplete frame " +
                       hexText(std::span<const uint8_t>(buffer_.data(), size_)) + " discarded, the line went quiet";
        counters_.discardedBytes += size_;
        size_ = 0;
    }
    return out;
}

std::optional<Message> FrameReader::generalResponse() const
{
    if (protocol_ != Protocol::D || size_ < kGeneralResponseSizeD) {
        return std::nullopt;
    }
    Result<Message> response = decodeD(std::span<const uint8_t>(buffer_.data(), kGeneralResponseSizeD));
    if (!response) {
        return std::nullopt;
    }
    return std::move(response).value();
}

void FrameReader::resync()
{
    ++counters_.discardedBytes;
    shiftToSync(1);
}

void FrameReader::shiftToSync(size_t count)
{
    const auto begin = buffer_.begin();
    const auto end = begin + static_cast<std::ptrdiff_t>(size_);
    const auto nextSync = std::find(begin + static_cast<std::ptrdiff_t>(count), end, syncByte());
    counters_.discardedBytes += static_cast<uint64_t>(nextSync - (begin + static_cast<std::ptrdiff_t>(count)));
    std::copy(nextSync, end, begin);
    size_ = static_cast<size_t>(end - nextSync);
}

} // namespace ccoc::pelco
