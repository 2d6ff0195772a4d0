// reader_core.hpp (private): the state a StreamReader shares with its thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "ccoc/video/stream_reader.hpp"

namespace ccoc::video::detail {

struct SessionEnd;

/// Owns the reader thread, the newest-frame slot, the status and the counters. The thread runs
/// StreamSessions one after another with a backoff between failures. Public members are used by
/// StreamSession on the reader thread; the getters are used by any thread.
class ReaderCore {
 public:
  explicit ReaderCore(StreamOptions options);
  ~ReaderCore();
  ReaderCore(const ReaderCore&) = delete;
  ReaderCore& operator=(const ReaderCore&) = delete;
  ReaderCore(ReaderCore&&) = delete;
  ReaderCore& operator=(ReaderCore&&) = delete;

  // --- any thread ---
  void setPaused(bool paused);
  void retryNow();
  StreamStatus status() const;
  StreamStats stats() const;
  std::shared_ptr<const VideoFrame> takeFrame();
  std::shared_ptr<const VideoFrame> waitFrame(std::chrono::milliseconds timeout);
  const std::string& displayUrl() const { return displayUrl_; }

  // --- reader thread (StreamSession) ---
  const StreamOptions& options() const { return options_; }
  /// The URL with credentials, for FFmpeg only.
  const std::string& connectUrl() const { return connectUrl_; }
  /// True once the session should give up: the reader is stopping or pausing.
  bool interruptRequested() const { return stopRequested_.load() || pauseRequested_.load(); }
  /// Waits until `until` or an interrupt; returns false when interrupted.
  bool sleepUntil(std::chrono::steady_clock::time_point until);
  void log(LogLevel level, const std::string& line) const;
  void addBytes(std::uint64_t bytes);
  /// The stream decodes: state Live with these details.
  void markLive(const std::string& codecName, const std::string& decoderName, bool hardware,
                int width, int height);
  /// Puts a new frame in the slot (dropping and counting any frame nobody took), and adds the
  /// time the session spent on it (and on anything since the previous frame) to the stats.
  /// `arrival` is when its data came from the network (stats' lastFrameTime); `frame` may be
  /// null (frames left on the GPU for benchmarks).
  void publishFrame(std::shared_ptr<const VideoFrame> frame, const StageTimes& spent,
                    std::chrono::steady_clock::time_point arrival);
  std::uint64_t nextSequence() { return ++sequence_; }
  /// Remembered across sessions so a missing GPU is probed (and logged) once.
  bool hardwareUnavailable = false;

 private:
  void run();
  void setState(StreamState state, OfflineReason reason, std::string message,
                std::chrono::steady_clock::time_point nextAttempt = {});
  /// Waits until `until`, stop, pause or retryNow(); returns at once if one is pending.
  void waitToRetry(std::chrono::steady_clock::time_point until);
  /// Another stream's rejected login keeps this one waiting: say so, wait a little, look again.
  void waitForLogin(std::chrono::steady_clock::time_point until);
  /// Tells the login backoff how the session went; after a rejection, returns the next try.
  std::chrono::steady_clock::time_point reportLogin(
      const SessionEnd& end, bool heldTurn, std::chrono::steady_clock::time_point startedAt);
  std::chrono::milliseconds nextBackoff();

  const StreamOptions options_;
  const std::string connectUrl_;
  const std::string displayUrl_;
  std::atomic<bool> stopRequested_{false};
  std::atomic<bool> pauseRequested_{false};
  std::atomic<bool> retryRequested_{false};
  const std::shared_ptr<LoginBackoff> logins_;
  const std::string loginKey_;  // empty: no login to protect (a file)

  mutable std::mutex mutex_;
  std::condition_variable wake_;        // stop, pause, resume
  std::condition_variable frameReady_;  // a frame entered the slot
  StreamStatus status_;
  StreamStats stats_;
  std::shared_ptr<const VideoFrame> slot_;
  std::chrono::steady_clock::time_point windowStart_{};
  std::uint64_t windowFrames_ = 0;
  std::uint64_t windowBytes_ = 0;

  // Reader thread only.
  std::uint64_t sequence_ = 0;
  std::chrono::milliseconds backoff_{0};
  std::minstd_rand random_;
  std::thread thread_;  // last: starts after everything above is built
};

}  // namespace ccoc::video::detail
