// login_backoff_test.cpp: a rejected login waits long, once for all its streams, and the operator
// can try again now. Against the real ccoc-camsim with a login, counting the connections it saw.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "camsim_process.hpp"
#include "ccoc/video/login_backoff.hpp"
#include "ccoc/video/stream_reader.hpp"
#include "wait_for.hpp"

using namespace std::chrono_literals;
using ccoc::test::CamsimProcess;
using ccoc::test::waitFor;
using ccoc::video::LoginBackoff;
using ccoc::video::OfflineReason;
using ccoc::video::StreamOptions;
using ccoc::video::StreamReader;
using ccoc::video::StreamState;
using Clock = std::chrono::steady_clock;

TEST_CASE("video/login_backoff_doubles_to_its_maximum_and_counts_a_wave_once") {
  LoginBackoff logins;
  const std::string key = LoginBackoff::keyOf("rtsp://operator:pw@10.0.0.5:554/stream1");
  CHECK(key == LoginBackoff::keyOf("rtsp://operator:pw@10.0.0.5:554/stream2"));  // one login
  CHECK(key != LoginBackoff::keyOf("rtsp://operator:other@10.0.0.5:554/stream1"));
  CHECK(key != LoginBackoff::keyOf("rtsp://operator:pw@10.0.0.6:554/stream1"));
  CHECK(key.find("pw") == std::string::npos);
  CHECK(LoginBackoff::keyOf("/media/clip.mp4").empty());

  const Clock::time_point t0 = Clock::now();
  CHECK(logins.turn(key, t0, false).go);  // never rejected: everyone goes
  const auto rejected = LoginBackoff::Outcome::Rejected;
  auto next = logins.report(key, rejected, false, t0, t0 + 1s, 60s, 900s);
  CHECK(next == t0 + 61s);
  // A second stream that was already under way is rejected too: the same wave, no doubling.
  CHECK(logins.report(key, rejected, false, t0, t0 + 2s, 60s, 900s) == t0 + 61s);
  const auto waiting = logins.turn(key, t0 + 30s, false);
  CHECK_FALSE(waiting.go);
  CHECK(waiting.until == t0 + 61s);
  // At its time one stream takes the turn; the others keep waiting for its result.
  const auto first = logins.turn(key, t0 + 61s, false);
  CHECK(first.go);
  CHECK(first.holdsTurn);
  CHECK_FALSE(logins.turn(key, t0 + 61s, false).go);
  next = logins.report(key, rejected, true, t0 + 61s, t0 + 62s, 60s, 900s);
  CHECK(next == t0 + 62s + 120s);
  // Doubling stops at the maximum.
  Clock::time_point at = next;
  std::vector<Clock::duration> waits;
  for (int i = 0; i < 6; ++i) {
    REQUIRE(logins.turn(key, at, false).go);
    next = logins.report(key, rejected, true, at, at, 60s, 900s);
    waits.push_back(next - at);
    at = next;
  }
  CHECK(waits[0] == 240s);
  CHECK(waits[1] == 480s);
  CHECK(waits[2] == 900s);  // 960 s, held to the maximum
  CHECK(waits[5] == 900s);
  const auto before = logins.turn(key, at - 1s, false);
  CHECK_FALSE(before.go);
  // The operator's retry goes at once; a login accepted frees every stream.
  CHECK(logins.turn(key, at - 1s, true).go);
  logins.report(key, LoginBackoff::Outcome::Accepted, true, at, at, 60s, 900s);
  CHECK(logins.turn(key, at, false).go);
  CHECK_FALSE(logins.turn(key, at, false).holdsTurn);
}

TEST_CASE("video/rejected_login_waits_long_for_all_its_streams_and_retries_now_on_request") {
  std::string error;
  auto camsim = CamsimProcess::start(
      {"--port", "0", "--cameras", "2", "--user", "operator", "--password", "Right-Pass-2211"}, 20s,
      error);
  INFO(error);
  REQUIRE(camsim != nullptr);
  auto logins = std::make_shared<LoginBackoff>();
  std::vector<std::unique_ptr<StreamReader>> readers;
  // Three streams on one account: a camera's main and sub stream and another camera's sub.
  for (const std::string path : {"cam1/sub", "cam1", "cam2/sub"}) {
    StreamOptions options;
    options.url = camsim->baseUrl() + path;
    options.username = "operator";
    options.password = "Wrong-Pass-7f3";
    options.hardware = ccoc::video::HardwareDecoding::Off;
    // The network's backoff is short; a rejected login must not use it.
    options.backoffInitial = 200ms;
    options.backoffMax = 1000ms;
    options.logins = logins;
    readers.push_back(std::make_unique<StreamReader>(options));
  }
  auto allRejected = [&] {
    for (const auto& reader : readers) {
      const auto status = reader->status();
      if (status.state != StreamState::Offline || status.reason != OfflineReason::Unauthorised) {
        return false;
      }
    }
    return true;
  };
  REQUIRE(waitFor(20s, allRejected));
  const int firstWave = camsim->clientConnections();
  INFO("connections in the first wave: " << firstWave);
  CHECK(firstWave >= 1);
  CHECK(firstWave <= 3);  // at most one each, before the first rejection came back

  // Ten seconds on, the server has seen no further login (without the wait: one per stream every
  // 0.2-1 s, dozens).
  const Clock::time_point windowStart = Clock::now();
  const bool triedAgain = waitFor(10s, [&] { return camsim->clientConnections() > firstWave; });
  INFO("connections after 10 s: " << camsim->clientConnections());
  CHECK_FALSE(triedAgain);
  // Every stream says when the login is tried next: the same time for all, about a minute on.
  const Clock::time_point nextTry = readers[0]->status().nextAttempt;
  CHECK(nextTry - windowStart > 40s);
  CHECK(nextTry - windowStart <= 60s);
  for (const auto& reader : readers) {
    const auto status = reader->status();
    INFO(status.message);
    CHECK(status.reason == OfflineReason::Unauthorised);
    CHECK(status.nextAttempt == nextTry);
    CHECK(status.message.find("Wrong-Pass") == std::string::npos);
  }

  // Retry now: one attempt at once, rejected again, and the shared wait doubles.
  const Clock::time_point askedAt = Clock::now();
  readers[1]->retryNow();
  REQUIRE(waitFor(10s, [&] { return camsim->clientConnections() == firstWave + 1; }));
  const auto attemptAfter = Clock::now() - askedAt;
  INFO("retry now reached the camera after "
       << std::chrono::duration_cast<std::chrono::milliseconds>(attemptAfter).count() << " ms");
  CHECK(attemptAfter < 3s);
  REQUIRE(waitFor(10s, [&] { return readers[1]->status().nextAttempt > nextTry; }));
  const Clock::time_point doubled = readers[1]->status().nextAttempt;
  CHECK(doubled - askedAt > 100s);  // 120 s after the second rejection
  CHECK(doubled - askedAt <= 125s);
  // The other streams learn the new time (they look every half second) and stay quiet.
  CHECK(waitFor(3s, [&] {
    return readers[0]->status().nextAttempt == doubled && readers[2]->status().nextAttempt == doubled;
  }));
  CHECK(camsim->clientConnections() == firstWave + 1);
}
