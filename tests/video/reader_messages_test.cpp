// reader_messages_test.cpp: what a reader says about a URL it cannot use, and where FFmpeg's own
// lines go (the camera's log with level and component, never raw to stderr).
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "camsim_process.hpp"
#include "ccoc/video/stream_reader.hpp"
#include "wait_for.hpp"

using namespace std::chrono_literals;
using ccoc::test::CamsimProcess;
using ccoc::test::waitFor;
using ccoc::video::LogLevel;
using ccoc::video::OfflineReason;
using ccoc::video::StreamOptions;
using ccoc::video::StreamReader;
using ccoc::video::StreamState;

namespace {

// Points this process's stderr at a temporary file while it lives; restores it and removes the
// file when it goes, also when a REQUIRE fails.
class StderrCapture {
 public:
  StderrCapture() {
    char name[] = "/tmp/ccoc-stderr-XXXXXX";
    const int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    path_ = name;
    std::fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  ~StderrCapture() {
    restore();
    std::remove(path_.c_str());
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;
  StderrCapture(StderrCapture&&) = delete;
  StderrCapture& operator=(StderrCapture&&) = delete;

  /// Stops capturing and returns what was written.
  std::string finish() {
    restore();
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  void restore() {
    if (saved_ >= 0) {
      std::fflush(stderr);
      dup2(saved_, STDERR_FILENO);
      close(saved_);
      saved_ = -1;
    }
  }
  std::string path_;
  int saved_ = -1;
};

struct LoggedLine {
  LogLevel level;
  std::string text;
};

}  // namespace

TEST_CASE("video/bad_url_scheme_is_unsupported_url_scheme") {
  ccoc::test::SilentServer silent;  // where an ftp:// reader would connect if it tried
  const std::string port = std::to_string(silent.port());
  const std::vector<std::string> urls{"ftp://127.0.0.1:" + port + "/cam1", "foo://camera/stream"};
  for (const std::string& url : urls) {
    INFO(url);
    StreamOptions options;
    options.url = url;
    options.username = "operator";
    options.password = "Secret-55";
    StreamReader reader(options);
    REQUIRE(waitFor(5s, [&] { return reader.status().state == StreamState::Offline; }));
    const auto status = reader.status();
    INFO(status.message);
    CHECK(status.reason == OfflineReason::UnsupportedScheme);
    CHECK(std::string(ccoc::video::toString(status.reason)) == "unsupported URL scheme");
    CHECK(status.message.find("expected rtsp://") != std::string::npos);
    CHECK(status.message.find("Secret-55") == std::string::npos);
  }
  CHECK(silent.acceptedCount() == 0);  // told at once, without trying the network
}

TEST_CASE("video/ffmpeg_lines_go_to_the_camera_log_with_level_never_raw_to_stderr") {
  std::string error;
  auto camsim = CamsimProcess::start(
      {"--port", "0", "--cameras", "1", "--user", "operator", "--password", "Right-Pass-4"}, 20s,
      error);
  INFO(error);
  REQUIRE(camsim != nullptr);
  std::mutex mutex;
  std::vector<LoggedLine> lines;
  StreamOptions options;
  options.url = camsim->baseUrl() + "cam1/sub";
  options.username = "operator";
  options.password = "Wrong-Pass-4";  // FFmpeg's RTSP demuxer logs the 401 itself
  options.logins = std::make_shared<ccoc::video::LoginBackoff>();
  options.log = [&](LogLevel level, const std::string& line) {
    std::lock_guard lock(mutex);
    lines.push_back({level, line});
  };
  StderrCapture capture;
  {
    StreamReader reader(options);
    REQUIRE(waitFor(20s, [&] { return reader.status().reason == OfflineReason::Unauthorised; }));
  }
  const std::string stderrText = capture.finish();
  INFO("stderr: " << stderrText);
  CHECK(stderrText.find("[rtsp @") == std::string::npos);
  CHECK(stderrText.find("401") == std::string::npos);
  std::lock_guard lock(mutex);
  bool ffmpegLine = false;
  for (const LoggedLine& line : lines) {
    INFO(line.text);
    CHECK(line.text.find("Wrong-Pass-4") == std::string::npos);
    if (line.text.find("ffmpeg rtsp: method DESCRIBE failed: 401") != std::string::npos) {
      ffmpegLine = true;
      CHECK(line.level == LogLevel::Error);
      CHECK(line.text.rfind("rtsp://operator:***@127.0.0.1:", 0) == 0);  // which stream
    }
  }
  CHECK(ffmpegLine);
}

TEST_CASE("video/hardware_probe_lines_are_not_errors") {
  // Trying CUDA or VAAPI where there is none is expected (FFmpeg logs "Cannot load
  // libcuda.so.1" as an error); the camera still plays in software and the log must not cry
  // error on every camera start, which would hide the real ones.
  std::string error;
  auto camsim = CamsimProcess::start({"--port", "0", "--cameras", "1"}, 20s, error);
  INFO(error);
  REQUIRE(camsim != nullptr);
  std::mutex mutex;
  std::vector<LoggedLine> lines;
  StreamOptions options;
  options.url = camsim->baseUrl() + "cam1/sub";
  options.hardware = ccoc::video::HardwareDecoding::Auto;
  options.log = [&](LogLevel level, const std::string& line) {
    std::lock_guard lock(mutex);
    lines.push_back({level, line});
  };
  {
    StreamReader reader(options);
    REQUIRE(waitFor(20s, [&] { return reader.status().state == StreamState::Live; }));
  }
  std::lock_guard lock(mutex);
  for (const LoggedLine& line : lines) {
    INFO(line.text);
    CHECK(line.level != LogLevel::Error);
  }
}
