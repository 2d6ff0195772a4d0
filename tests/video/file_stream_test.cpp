// file_stream_test.cpp: StreamReader on files and over HTTP, with clips made by the ffmpeg tool.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <thread>

#include <unistd.h>

#include "camera_palette.hpp"
#include "ccoc/video/stream_reader.hpp"
#include "frame_colours.hpp"
#include "http_file_server.hpp"
#include "wait_for.hpp"

using namespace std::chrono_literals;
using ccoc::test::waitFor;
using ccoc::video::StreamOptions;
using ccoc::video::StreamReader;
using ccoc::video::StreamState;

namespace {

// A 2-second 320x240 25 fps clip in camera 3's colour, in the given pixel format.
std::string makeClip(const std::string& name, const std::string& pixelFormat) {
  const auto& colour = ccoc::camsim::cameraColour(3);
  char hex[8];
  std::snprintf(hex, sizeof hex, "%02X%02X%02X", colour.red, colour.green, colour.blue);
  const std::string path = std::string(CCOC_BINARY_DIR) + "/video_test_" + name + "_" +
                           std::to_string(getpid()) + ".mkv";
  const std::string command =
      "ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i color=c=0x" +
      std::string(hex) + ":s=320x240:r=25:d=2 -c:v libx264 -preset ultrafast -pix_fmt " +
      pixelFormat + " '" + path + "'";
  INFO(command);
  REQUIRE(std::system(command.c_str()) == 0);
  return path;
}

}  // namespace

TEST_CASE("video/file_plays_at_its_pace_and_other_pixel_formats_become_yuv420p") {
  const std::string path = makeClip("yuv444", "yuv444p");
  StreamOptions options;
  options.url = path;
  options.hardware = ccoc::video::HardwareDecoding::Off;
  options.loopFiles = true;
  StreamReader reader(options);
  auto frame = reader.waitFrame(15s);
  REQUIRE(frame != nullptr);
  CHECK(frame->width() == 320);
  CHECK(frame->height() == 240);
  CHECK(frame->layout() == ccoc::video::PixelLayout::Yuv420p);
  const auto vote = ccoc::test::votePalette(*frame);
  INFO(vote.describe);
  CHECK(vote.cameraNumber == 3);
  CHECK(vote.fraction > 0.9);
  // Paced at 25 fps: one second later far fewer than the 50 frames of the whole clip.
  const auto decodedAtFirst = reader.stats().framesDecoded;
  REQUIRE(waitFor(5s, [&] { return reader.stats().framesDecoded >= decodedAtFirst + 20; }));
  const auto start = std::chrono::steady_clock::now();
  const auto before = reader.stats().framesDecoded;
  std::this_thread::sleep_for(1s);
  const auto perSecond = reader.stats().framesDecoded - before;
  const auto elapsed = std::chrono::steady_clock::now() - start;
  INFO(perSecond << " frames in " << std::chrono::duration<double>(elapsed).count() << " s");
  CHECK(perSecond <= 35);
  // Looping: after the 2-second clip ends it keeps going, still live.
  REQUIRE(waitFor(10s, [&] { return reader.stats().framesDecoded >= 60; }));
  CHECK(reader.status().state == StreamState::Live);
  std::remove(path.c_str());
}

TEST_CASE("video/http_clip_plays_then_ends") {
  const std::string path = makeClip("http", "yuv420p");
  ccoc::test::HttpFileServer server(ccoc::test::readWholeFile(path));
  std::remove(path.c_str());
  StreamOptions options;
  options.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/clip.mkv";
  options.hardware = ccoc::video::HardwareDecoding::Off;
  options.backoffInitial = 5s;  // keep it offline long enough to look at
  StreamReader reader(options);
  auto frame = reader.waitFrame(15s);
  REQUIRE(frame != nullptr);
  CHECK(frame->width() == 320);
  CHECK(reader.status().codecName == "h264");
  // Over the network nothing paces the clip: it decodes at once, ends, and the reader says so.
  REQUIRE(waitFor(10s, [&] { return reader.status().state == StreamState::Offline; }));
  CHECK(reader.status().reason == ccoc::video::OfflineReason::Ended);
  CHECK(reader.stats().framesDecoded >= 45);
  // Nothing waited for a frame's time; the thread's time went to decoding.
  const auto stages = reader.stats().stages;
  CHECK(stages.pacingSeconds == 0.0);
  CHECK(stages.decodeSeconds > 0.0);
}

TEST_CASE("video/stage_times_say_where_the_reader_thread_spent_its_time") {
  // The benchmark finds a pipeline's limit from these (e.g. decoding that waits on the GPU).
  const std::string path = makeClip("stages", "yuv444p");  // yuv444p: converted to yuv420p
  StreamOptions options;
  options.url = path;
  options.hardware = ccoc::video::HardwareDecoding::Off;
  options.loopFiles = true;
  StreamReader reader(options);
  REQUIRE(waitFor(15s, [&] { return reader.stats().framesDecoded >= 10; }));
  const auto a = reader.stats();
  REQUIRE(waitFor(10s, [&] { return reader.stats().framesDecoded >= a.framesDecoded + 25; }));
  const auto b = reader.stats();
  const double window = std::chrono::duration<double>(b.lastFrameTime - a.lastFrameTime).count();
  const double read = b.stages.readSeconds - a.stages.readSeconds;
  const double decode = b.stages.decodeSeconds - a.stages.decodeSeconds;
  const double convert = b.stages.convertSeconds - a.stages.convertSeconds;
  const double pacing = b.stages.pacingSeconds - a.stages.pacingSeconds;
  const double sum = read + decode + convert + pacing;
  INFO("frames " << b.framesDecoded - a.framesDecoded << " in " << window << " s: read " << read
                 << ", decode " << decode << ", convert " << convert << ", pacing " << pacing);
  // The stages cover the thread's time between the two frames, and nothing twice.
  CHECK(sum <= window * 1.02 + 0.002);
  CHECK(sum >= window * 0.8);
  CHECK(decode > 0.0);
  CHECK(convert > 0.0);
  // A small clip decodes in far less than its 40 ms per frame: it mostly waits for its pace.
  CHECK(pacing > window * 0.5);
  std::remove(path.c_str());
}

TEST_CASE("video/looping_file_starts_over_in_place_at_its_pace") {
  // A new session per round would make a new decoder each time (a new GPU decoder with hardware
  // decoding, which stalls every other stream's): the clip is rewound instead.
  const std::string path = makeClip("loop", "yuv420p");
  StreamOptions options;
  options.url = path;
  options.hardware = ccoc::video::HardwareDecoding::Off;
  options.loopFiles = true;
  StreamReader reader(options);
  // 2.5 rounds of the 2-second clip (50 frames each).
  REQUIRE(waitFor(15s, [&] { return reader.stats().framesDecoded >= 125; }));
  const auto stats = reader.stats();
  CHECK(stats.connectAttempts == 1);
  CHECK(reader.status().state == StreamState::Live);
  // Still at its pace after the rewinds: a second brings about 25 frames, not a burst.
  const auto before = reader.stats().framesDecoded;
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(1s);
  const auto perSecond = reader.stats().framesDecoded - before;
  INFO(perSecond << " frames in "
                 << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
                 << " s");
  CHECK(perSecond >= 15);
  CHECK(perSecond <= 35);
  std::remove(path.c_str());
}
