// login_backoff.hpp: after a camera rejects a login, every stream with that login waits long.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace ccoc::video {

/// Real cameras lock an account after a few failed logins, so a rejected login (`unauthorised`)
/// is not retried every few seconds like a network failure: the login waits `initial`, doubling
/// per further rejection up to `max`. The wait belongs to the login (camera host and port, user
/// and password), not to one stream: the main and sub streams of a camera, or the channels of a
/// recorder on one account, make one attempt per wait between them, not one each.
///
/// Thread: every function may be called from any thread (one internal mutex, held briefly).
/// Readers share one through StreamOptions::logins as a std::shared_ptr.
class LoginBackoff {
 public:
  using Clock = std::chrono::steady_clock;

  /// The process's own, used by readers whose options name none.
  static std::shared_ptr<LoginBackoff> shared();

  /// A login's key: "host:port" of `connectUrl` and its user-info (kept only as a hash). Empty for
  /// a URL without a host (a file).
  static std::string keyOf(const std::string& connectUrl);

  /// Whether a reader may try `key` now. It may when the login was never rejected; when it was,
  /// once its wait is over, one reader at a time (it holds the turn until it reports), or at once
  /// when `operatorAsked` (retry now). `until` says when to ask again otherwise.
  struct Turn {
    bool go = true;
    bool holdsTurn = false;  ///< report() must say how it went
    Clock::time_point until{};
  };
  Turn turn(const std::string& key, Clock::time_point now, bool operatorAsked);

  /// How an attempt that started at `startedAt` went. Rejected: a rejection of an attempt that
  /// started before the login's current wait began does not lengthen it (streams already under
  /// way when the first rejection came). Returns when the login may be tried next (rejected) or
  /// a default time point.
  enum class Outcome { Accepted, Rejected, Other };
  Clock::time_point report(const std::string& key, Outcome outcome, bool heldTurn,
                           Clock::time_point startedAt, Clock::time_point now,
                           std::chrono::milliseconds initial, std::chrono::milliseconds max);

 private:
  struct Entry {
    int rejections = 0;
    Clock::time_point waitSince{};
    Clock::time_point nextTry{};
    bool turnTaken = false;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace ccoc::video
