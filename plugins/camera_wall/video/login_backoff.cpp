// login_backoff.cpp: the long, shared wait of a login a camera rejected.
#include "ccoc/video/login_backoff.hpp"

#include <algorithm>
#include <functional>

namespace ccoc::video {

std::shared_ptr<LoginBackoff> LoginBackoff::shared() {
  // One per process, like the cameras' accounts it protects: readers of different panels (or
  // plugins) that use one login must share its wait.
  static const std::shared_ptr<LoginBackoff> instance = std::make_shared<LoginBackoff>();
  return instance;
}

std::string LoginBackoff::keyOf(const std::string& connectUrl) {
  const auto schemeEnd = connectUrl.find("://");
  if (schemeEnd == std::string::npos) {
    return {};
  }
  const auto authorityStart = schemeEnd + 3;
  const auto authorityEnd = connectUrl.find_first_of("/?#", authorityStart);
  const std::string authority = connectUrl.substr(
      authorityStart, authorityEnd == std::string::npos ? std::string::npos
                                                        : authorityEnd - authorityStart);
  const auto at = authority.rfind('@');
  const std::string host = at == std::string::npos ? authority : authority.substr(at + 1);
  const std::string userInfo = at == std::string::npos ? std::string() : authority.substr(0, at);
  // The password must not sit in memory longer than the URL does, so only its hash is kept; a
  // stream with another password is another login (fixing one camera's password unblocks it).
  return host + "\n" + std::to_string(std::hash<std::string>{}(userInfo));
}

LoginBackoff::Turn LoginBackoff::turn(const std::string& key, Clock::time_point now,
                                      bool operatorAsked) {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(key);
  if (found == entries_.end()) {
    return {};
  }
  Entry& entry = found->second;
  if (operatorAsked || (now >= entry.nextTry && !entry.turnTaken)) {
    entry.turnTaken = true;
    return {true, true, {}};
  }
  return {false, false, entry.nextTry};
}

LoginBackoff::Clock::time_point LoginBackoff::report(const std::string& key, Outcome outcome,
                                                     bool heldTurn, Clock::time_point startedAt,
                                                     Clock::time_point now,
                                                     std::chrono::milliseconds initial,
                                                     std::chrono::milliseconds max) {
  std::lock_guard lock(mutex_);
  if (outcome == Outcome::Accepted) {
    entries_.erase(key);  // the others go at once
    return {};
  }
  auto found = entries_.find(key);
  if (outcome == Outcome::Other) {
    // The network failed, not the login: another reader may take the turn.
    if (found != entries_.end() && heldTurn) {
      found->second.turnTaken = false;
    }
    return {};
  }
  if (found == entries_.end()) {
    found = entries_.emplace(key, Entry{}).first;
  }
  Entry& entry = found->second;
  if (heldTurn) {
    entry.turnTaken = false;
  }
  if (entry.rejections > 0 && startedAt < entry.waitSince && !heldTurn) {
    return entry.nextTry;  // under way before the wait began: the same rejection again
  }
  ++entry.rejections;
  auto wait = initial;
  for (int i = 1; i < entry.rejections && wait < max; ++i) {
    wait *= 2;
  }
  wait = std::min(wait, max);
  entry.waitSince = now;
  entry.nextTry = now + wait;
  return entry.nextTry;
}

}  // namespace ccoc::video
