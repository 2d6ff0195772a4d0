// our_decoder_run.cpp: the benchmark phase that runs our StreamReaders and a 60 Hz consumer.
#include <atomic>
#include <map>
#include <memory>
#include <thread>

#include "ccoc/video/stream_reader.hpp"
#include "process_tools.hpp"
#include "wall_runs.hpp"

namespace ccoc::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Reads one byte per row of every plane, so the consumer really touches what it was given
// (an upload would read all of it; the GL part is measured with the panel).
unsigned touchFrame(const video::VideoFrame& frame) {
  unsigned sum = 0;
  for (int p = 0; p < frame.planeCount(); ++p) {
    for (int row = 0; row < frame.planeHeight(p); ++row) {
      sum += frame.plane(p)[row * frame.stride(p)];
    }
  }
  return sum;
}

}  // namespace

PhaseResult runOurDecoder(const std::vector<std::string>& urls, std::chrono::seconds duration,
                          bool hardware, const ConsumerHooks* hooks, HardwareVariant variant) {
  PhaseResult result;
  std::vector<std::unique_ptr<video::StreamReader>> readers;
  for (const std::string& url : urls) {
    video::StreamOptions options;
    options.url = url;
    options.hardware = hardware ? video::HardwareDecoding::Auto : video::HardwareDecoding::Off;
    options.decoderThreads = 1;
    options.loopFiles = true;  // a file source stands in for a camera that never ends
    options.hardwareDevicePerStream = variant.devicePerStream;
    options.downloadHardwareFrames = variant.download;
    options.cudaStreamPerDecoder = variant.cudaStream;
    options.pinnedDownload = variant.pinned;
    options.hardwareFramesInFlight = variant.framesInFlight;
    options.log = [](video::LogLevel, const std::string&) {};
    readers.push_back(std::make_unique<video::StreamReader>(options));
  }

  std::atomic<bool> running{true};
  std::atomic<unsigned> checksum{0};
  // A consumer starved of CPU for longer than a frame period makes drops that are not ours.
  std::atomic<std::uint64_t> ticks{0};
  std::atomic<std::uint64_t> lateTicks{0};
  std::atomic<std::uint64_t> taken{0};
  std::string consumerError;
  std::thread consumer([&] {
    if (hooks != nullptr) {
      if (!hooks->begin(consumerError)) {
        running = false;
        return;
      }
    }
    auto tick = Clock::now();
    while (running) {
      ++ticks;
      if (Clock::now() - tick > std::chrono::milliseconds(40)) {
        ++lateTicks;
      }
      for (std::size_t i = 0; i < readers.size(); ++i) {
        if (auto frame = readers[i]->takeFrame()) {
          ++taken;
          if (hooks != nullptr) {
            hooks->frame(i, frame.get());
          } else {
            checksum += touchFrame(*frame);
          }
        }
      }
      if (hooks != nullptr) {
        hooks->endTick();
      }
      tick += std::chrono::microseconds(16'667);
      std::this_thread::sleep_until(tick);
    }
    if (hooks != nullptr) {
      hooks->end();
    }
  });

  // Warm up: every stream live and a second of video decoded.
  const auto warmDeadline = Clock::now() + std::chrono::seconds(30);
  bool warm = false;
  while (Clock::now() < warmDeadline && !warm && running) {
    warm = true;
    for (auto& reader : readers) {
      warm = warm && reader->stats().framesDecoded >= 25;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!running) {
    result.error = "consumer could not start: " + consumerError;
  } else if (!warm) {
    result.error = "not every stream went live within 30 s:";
    for (auto& reader : readers) {
      const auto status = reader->status();
      result.error += "\n  " + reader->displayUrl() + ": " + video::toString(status.state) + " " +
                      status.message;
    }
  } else {
    std::uint64_t frames0 = 0;
    std::uint64_t dropped0 = 0;
    std::vector<std::uint64_t> droppedBefore;
    std::vector<std::uint64_t> framesBefore;
    video::StageTimes stages0;
    for (auto& reader : readers) {
      const video::StageTimes s = reader->stats().stages;
      stages0.readSeconds += s.readSeconds;
      stages0.decodeSeconds += s.decodeSeconds;
      stages0.convertSeconds += s.convertSeconds;
      stages0.pacingSeconds += s.pacingSeconds;
      framesBefore.push_back(reader->stats().framesDecoded);
      frames0 += reader->stats().framesDecoded;
      dropped0 += reader->stats().framesDropped;
      droppedBefore.push_back(reader->stats().framesDropped);
    }
    const double cpu0 = cpuSecondsOf(0);
    const auto ticks0 = ticks.load();
    const auto late0 = lateTicks.load();
    const auto taken0 = taken.load();
    const auto start = Clock::now();
    std::this_thread::sleep_for(duration);
    const double cpu1 = cpuSecondsOf(0);
    result.consumerTicks = ticks.load() - ticks0;
    result.consumerLateTicks = lateTicks.load() - late0;
    result.uploads = taken.load() - taken0;
    result.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::map<std::string, int> decoderCounts;
    for (std::size_t i = 0; i < readers.size(); ++i) {
      const auto stats = readers[i]->stats();
      result.framesPerStream.push_back(stats.framesDecoded - framesBefore[i]);
      ++decoderCounts[readers[i]->status().decoderName];
      result.frames += stats.framesDecoded;
      result.dropped += stats.framesDropped;
      result.droppedPerStream.push_back(stats.framesDropped - droppedBefore[i]);
      result.readSeconds += stats.stages.readSeconds;
      result.decodeSeconds += stats.stages.decodeSeconds;
      result.convertSeconds += stats.stages.convertSeconds;
      result.pacingSeconds += stats.stages.pacingSeconds;
    }
    result.readSeconds -= stages0.readSeconds;
    result.decodeSeconds -= stages0.decodeSeconds;
    result.convertSeconds -= stages0.convertSeconds;
    result.pacingSeconds -= stages0.pacingSeconds;
    for (const auto& [name, count] : decoderCounts) {
      result.decoders += (result.decoders.empty() ? "" : ", ") + std::to_string(count) + " x " +
                         (name.empty() ? std::string("?") : name);
    }
    result.frames -= frames0;
    result.dropped -= dropped0;
    result.cpuSeconds = cpu1 - cpu0;
    result.ok = true;
  }
  running = false;
  consumer.join();
  readers.clear();
  return result;
}

}  // namespace ccoc::bench
