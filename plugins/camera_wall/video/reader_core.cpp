// reader_core.cpp: the reader thread's loop (connect, decode, back off) and the frame slot.
#include "reader_core.hpp"

#include <algorithm>
#include <cstdio>

#include "ccoc/video/login_backoff.hpp"
#include "ccoc/video/url_redaction.hpp"
#include "ffmpeg_log.hpp"
#include "stream_session.hpp"

namespace ccoc::video::detail {
namespace {

using Clock = std::chrono::steady_clock;

// Rates older than this are stale: the stream stopped delivering, so it shows 0, not the past.
constexpr auto kRateStaleAfter = std::chrono::seconds(2);
constexpr auto kRateWindow = std::chrono::seconds(1);
// A reader waiting on another stream's rejected login looks again this often: that stream's
// success (or the operator's retry there) frees the login early.
constexpr auto kLoginPoll = std::chrono::milliseconds(500);

long long secondsUntil(Clock::time_point until) {
  return std::chrono::ceil<std::chrono::seconds>(until - Clock::now()).count();
}

}  // namespace

ReaderCore::ReaderCore(StreamOptions options)
    : options_(std::move(options)),
      connectUrl_(urlWithCredentials(options_.url, options_.username, options_.password)),
      displayUrl_(redactUrl(connectUrl_)),
      logins_(options_.logins ? options_.logins : LoginBackoff::shared()),
      loginKey_(LoginBackoff::keyOf(connectUrl_)),
      random_(static_cast<std::minstd_rand::result_type>(
          std::hash<std::string>{}(displayUrl_) ^
          static_cast<std::size_t>(Clock::now().time_since_epoch().count()))) {
  installRedactingFfmpegLog();
  pauseRequested_ = options_.startPaused;
  backoff_ = options_.backoffInitial;
  thread_ = std::thread([this] { run(); });
}

ReaderCore::~ReaderCore() {
  {
    std::lock_guard lock(mutex_);
    stopRequested_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ReaderCore::setPaused(bool paused) {
  {
    std::lock_guard lock(mutex_);
    pauseRequested_ = paused;
  }
  wake_.notify_all();
}

void ReaderCore::retryNow() {
  {
    std::lock_guard lock(mutex_);
    retryRequested_ = true;
  }
  wake_.notify_all();
}

StreamStatus ReaderCore::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

StreamStats ReaderCore::stats() const {
  std::lock_guard lock(mutex_);
  StreamStats copy = stats_;
  if (Clock::now() - windowStart_ > kRateStaleAfter) {
    copy.framesPerSecond = 0.0;
    copy.bitsPerSecond = 0.0;
  }
  return copy;
}

std::shared_ptr<const VideoFrame> ReaderCore::takeFrame() {
  std::lock_guard lock(mutex_);
  if (slot_) {
    ++stats_.framesTaken;
  }
  return std::move(slot_);
}

std::shared_ptr<const VideoFrame> ReaderCore::waitFrame(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  frameReady_.wait_for(lock, timeout, [this] { return slot_ != nullptr; });
  if (slot_) {
    ++stats_.framesTaken;
  }
  return std::move(slot_);
}

bool ReaderCore::sleepUntil(Clock::time_point until) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_until(lock, until, [this] { return interruptRequested(); });
}

void ReaderCore::log(LogLevel level, const std::string& line) const {
  // Belt and braces: a line may quote FFmpeg's text, which may quote the URL.
  const std::string safe = redactCredentials(displayUrl_ + ": " + line);
  if (options_.log) {
    options_.log(level, safe);
    return;
  }
  std::fprintf(stderr, "ccoc-video: %s\n", safe.c_str());
}

void ReaderCore::addBytes(std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  stats_.bytesReceived += bytes;
  windowBytes_ += bytes;
}

void ReaderCore::markLive(const std::string& codecName, const std::string& decoderName,
                          bool hardware, int width, int height) {
  bool wasLive = false;
  {
    std::lock_guard lock(mutex_);
    wasLive = status_.state == StreamState::Live;
    status_.state = StreamState::Live;
    status_.reason = OfflineReason::None;
    status_.message.clear();
    status_.codecName = codecName;
    status_.decoderName = decoderName;
    status_.hardwareDecoding = hardware;
    status_.width = width;
    status_.height = height;
    status_.failedAttempts = 0;
    status_.nextAttempt = {};
  }
  backoff_ = options_.backoffInitial;
  if (wasLive) {
    return;  // a looping file starting over
  }
  log(LogLevel::Info, "live: " + codecName + " " + std::to_string(width) + "x" +
                          std::to_string(height) + ", decoder " + decoderName);
}

void ReaderCore::publishFrame(std::shared_ptr<const VideoFrame> frame, const StageTimes& spent,
                              Clock::time_point arrival) {
  const Clock::time_point now = Clock::now();
  {
    std::lock_guard lock(mutex_);
    stats_.stages.readSeconds += spent.readSeconds;
    stats_.stages.decodeSeconds += spent.decodeSeconds;
    stats_.stages.convertSeconds += spent.convertSeconds;
    stats_.stages.pacingSeconds += spent.pacingSeconds;
    if (slot_) {
      ++stats_.framesDropped;
    }
    slot_ = std::move(frame);
    ++stats_.framesDecoded;
    stats_.lastFrameTime = arrival;  // the picture's age counts from its data, not its decoding
    ++windowFrames_;
    const auto elapsed = now - windowStart_;
    if (elapsed >= kRateWindow) {
      const double seconds = std::chrono::duration<double>(elapsed).count();
      // A window that began long ago (after an outage) would average the gap in: restart it.
      if (elapsed < kRateStaleAfter) {
        stats_.framesPerSecond = static_cast<double>(windowFrames_) / seconds;
        stats_.bitsPerSecond = static_cast<double>(windowBytes_) * 8.0 / seconds;
      }
      windowStart_ = now;
      windowFrames_ = 0;
      windowBytes_ = 0;
    }
  }
  frameReady_.notify_all();
}

void ReaderCore::setState(StreamState state, OfflineReason reason, std::string message,
                          Clock::time_point nextAttempt) {
  std::lock_guard lock(mutex_);
  status_.state = state;
  status_.reason = reason;
  status_.message = redactCredentials(message);
  status_.nextAttempt = nextAttempt;
  if (state == StreamState::Offline) {
    ++status_.failedAttempts;
  }
}

void ReaderCore::waitToRetry(Clock::time_point until) {
  std::unique_lock lock(mutex_);
  wake_.wait_until(lock, until, [this] {
    return stopRequested_.load() || pauseRequested_.load() || retryRequested_.load();
  });
}

void ReaderCore::waitForLogin(Clock::time_point until) {
  {
    std::lock_guard lock(mutex_);
    const bool saidSo = status_.state == StreamState::Offline &&
                        status_.reason == OfflineReason::Unauthorised;
    if (!saidSo) {  // e.g. resumed, or another stream with this login was rejected first
      status_.state = StreamState::Offline;
      status_.reason = OfflineReason::Unauthorised;
      status_.message = "waiting: the camera rejected this login (the wait is shared by every "
                        "stream with it)";
    }
    status_.nextAttempt = until;
  }
  waitToRetry(std::min(until, Clock::now() + kLoginPoll));
}

Clock::time_point ReaderCore::reportLogin(const SessionEnd& end, bool heldTurn,
                                          Clock::time_point startedAt) {
  if (loginKey_.empty()) {
    return {};
  }
  LoginBackoff::Outcome outcome = LoginBackoff::Outcome::Other;
  if (end.reason == OfflineReason::Unauthorised && !end.interrupted) {
    outcome = LoginBackoff::Outcome::Rejected;
  } else if (end.wentLive) {
    outcome = LoginBackoff::Outcome::Accepted;
  }
  return logins_->report(loginKey_, outcome, heldTurn, startedAt, Clock::now(),
                         options_.loginBackoffInitial, options_.loginBackoffMax);
}

std::chrono::milliseconds ReaderCore::nextBackoff() {
  const double jitter = std::clamp(options_.backoffJitter, 0.0, 1.0);
  std::uniform_real_distribution<double> scale(1.0 - jitter, 1.0 + jitter);
  const auto wait = std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(backoff_.count()) * scale(random_)));
  backoff_ = std::min(backoff_ * 2, options_.backoffMax);
  return wait;
}

void ReaderCore::run() {
  const FfmpegLogRoute route(*this);  // FFmpeg's lines on this thread are this camera's
  bool everFailed = false;
  bool looping = false;  // a looping file restarts without showing "connecting"
  while (!stopRequested_) {
    if (pauseRequested_) {
      setState(StreamState::Paused, OfflineReason::None, {});
      log(LogLevel::Info, "paused");
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopRequested_ || !pauseRequested_; });
      everFailed = false;  // a resumed tile says "connecting", not the old failure
      looping = false;
      backoff_ = options_.backoffInitial;
      continue;
    }
    const bool operatorAsked = retryRequested_.exchange(false);
    if (operatorAsked) {
      log(LogLevel::Info, "retry now, as the operator asked");
    }
    const Clock::time_point startedAt = Clock::now();
    const LoginBackoff::Turn turn = loginKey_.empty()
                                        ? LoginBackoff::Turn{}
                                        : logins_->turn(loginKey_, startedAt, operatorAsked);
    if (!turn.go) {
      everFailed = true;
      waitForLogin(turn.until);
      continue;
    }
    if (!everFailed && !looping) {
      setState(StreamState::Connecting, OfflineReason::None, {});
    }
    {
      std::lock_guard lock(mutex_);
      ++stats_.connectAttempts;
    }
    const SessionEnd end = runStreamSession(*this);
    const Clock::time_point loginNextTry = reportLogin(end, turn.holdsTurn, startedAt);
    looping = end.restartNow;
    if (end.interrupted || stopRequested_ || end.restartNow) {
      continue;
    }
    everFailed = true;
    if (end.reason == OfflineReason::Unauthorised && loginNextTry != Clock::time_point{}) {
      // Not the network's backoff: the camera may lock the account after a few more failures.
      setState(StreamState::Offline, end.reason, end.message, loginNextTry);
      log(LogLevel::Warning, "offline (unauthorised): " + end.message + "; next try in " +
                                 std::to_string(secondsUntil(loginNextTry)) +
                                 " s, shared by every stream with this login (or retry now)");
      continue;  // the next turn() waits for the login
    }
    const std::chrono::milliseconds wait = nextBackoff();
    setState(StreamState::Offline, end.reason, end.message, Clock::now() + wait);
    log(end.wentLive ? LogLevel::Warning : LogLevel::Info,
        std::string("offline (") + toString(end.reason) + "): " + end.message + "; retrying in " +
            std::to_string(wait.count()) + " ms");
    waitToRetry(Clock::now() + wait);
  }
}

}  // namespace ccoc::video::detail
