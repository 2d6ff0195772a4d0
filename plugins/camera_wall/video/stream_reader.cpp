// stream_reader.cpp: the public face of a reader; the work happens in ReaderCore.
#include "ccoc/video/stream_reader.hpp"

#include "reader_core.hpp"

namespace ccoc::video {

StreamReader::StreamReader(StreamOptions options)
    : core_(std::make_unique<detail::ReaderCore>(std::move(options))) {}

StreamReader::~StreamReader() = default;

void StreamReader::pause() { core_->setPaused(true); }

void StreamReader::resume() { core_->setPaused(false); }

void StreamReader::retryNow() { core_->retryNow(); }

StreamStatus StreamReader::status() const { return core_->status(); }

StreamStats StreamReader::stats() const { return core_->stats(); }

std::shared_ptr<const VideoFrame> StreamReader::takeFrame() { return core_->takeFrame(); }

std::shared_ptr<const VideoFrame> StreamReader::waitFrame(std::chrono::milliseconds timeout) {
  return core_->waitFrame(timeout);
}

const std::string& StreamReader::displayUrl() const { return core_->displayUrl(); }

}  // namespace ccoc::video
