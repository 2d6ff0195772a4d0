// frozen_camera_test.cpp: a camera whose connection stays open but which sends nothing (the real
// ccoc-camsim frozen with SIGSTOP) must never pass for live.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "camsim_process.hpp"
#include "ccoc/video/stream_reader.hpp"
#include "wait_for.hpp"

using namespace std::chrono_literals;
using ccoc::test::CamsimProcess;
using ccoc::test::waitFor;
using ccoc::video::OfflineReason;
using ccoc::video::StreamOptions;
using ccoc::video::StreamReader;
using ccoc::video::StreamState;
using Clock = std::chrono::steady_clock;

namespace {

double secondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

TEST_CASE("video/frozen_camera_gives_no_new_picture_and_is_offline_within_3s") {
  std::string error;
  auto camsim = CamsimProcess::start({"--port", "0", "--cameras", "1"}, 20s, error);
  INFO(error);
  REQUIRE(camsim != nullptr);
  StreamOptions options;
  options.url = camsim->baseUrl() + "cam1/sub";
  options.hardware = ccoc::video::HardwareDecoding::Off;
  // The camera wall's deadlines (camera_tile.cpp).
  options.readTimeout = 2800ms;
  options.openTimeout = 2400ms;
  StreamReader reader(options);
  REQUIRE(reader.waitFrame(30s) != nullptr);
  // Past the burst the server sends at set-up: frames come at the camera's pace.
  Clock::time_point newestArrival{};
  REQUIRE(waitFor(30s, [&] {
    if (auto frame = reader.takeFrame()) {
      newestArrival = frame->info().arrival;
    }
    return reader.stats().framesDecoded >= 50;
  }));
  REQUIRE(reader.status().state == StreamState::Live);

  camsim->freeze();
  const Clock::time_point frozenAt = Clock::now();
  // What was already on its way (socket buffers) may still land just after the freeze.
  const Clock::time_point inFlightUntil = frozenAt + 300ms;
  std::vector<double> lateArrivalsSec;  // arrival stamps, after the freeze, of frames taken late
  std::optional<Clock::time_point> offlineAt;
  while (Clock::now() < frozenAt + 8s) {
    if (auto frame = reader.waitFrame(10ms)) {
      newestArrival = std::max(newestArrival, frame->info().arrival);
      if (Clock::now() > inFlightUntil && frame->info().arrival > inFlightUntil) {
        lateArrivalsSec.push_back(secondsBetween(frozenAt, frame->info().arrival));
      }
    }
    if (reader.status().state == StreamState::Offline) {
      offlineAt = Clock::now();
      break;
    }
  }

  // No frame may claim to have come from the network while the server was frozen, whatever
  // FFmpeg still held and released when the read was cut short.
  std::string late;
  for (const double seconds : lateArrivalsSec) {
    late += " " + std::to_string(seconds);
  }
  INFO("frames stamped as arriving after the freeze (s after it):" << late);
  CHECK(lateArrivalsSec.empty());
  const double lastFrameAfterFreezeSec = secondsBetween(frozenAt, reader.stats().lastFrameTime);
  INFO("stats' newest frame time: " << lastFrameAfterFreezeSec << " s after the freeze");
  CHECK(reader.stats().lastFrameTime <= inFlightUntil);

  REQUIRE(offlineAt.has_value());
  const auto status = reader.status();
  INFO(status.message);
  CHECK(status.reason == OfflineReason::Timeout);
  const double offlineAfterFreezeSec = secondsBetween(frozenAt, *offlineAt);
  const double offlineAfterLastDataSec = secondsBetween(newestArrival, *offlineAt);
  INFO("offline " << offlineAfterFreezeSec << " s after the freeze, " << offlineAfterLastDataSec
                  << " s after the newest picture's data");
  // The rule is exact: offline once the read deadline passes without data (the interrupt is
  // polled about every 100 ms); the margin above it is only for a loaded machine.
  CHECK(offlineAfterLastDataSec >= 2.79);
  CHECK(offlineAfterFreezeSec < 4.0);
}
