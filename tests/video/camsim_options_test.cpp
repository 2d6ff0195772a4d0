// camsim_options_test.cpp: ccoc-camsim refuses bad command lines with a message that says why.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include <sys/wait.h>

namespace {

struct Outcome {
  int exitCode = -1;
  std::string output;
};

Outcome runCamsim(const std::string& arguments) {
  const std::string command =
      std::string(CCOC_BINARY_DIR) + "/bin/ccoc-camsim " + arguments + " 2>&1";
  Outcome outcome;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    outcome.output += buffer;
  }
  const int status = pclose(pipe);
  outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

}  // namespace

TEST_CASE("video/camsim_rejects_bad_options") {
  const Outcome noCameras = runCamsim("--cameras 0");
  CHECK(noCameras.exitCode == 2);
  CHECK(noCameras.output.find("--cameras") != std::string::npos);
  CHECK(noCameras.output.find("1..64") != std::string::npos);

  const Outcome badSize = runCamsim("--main-size 800x600");
  CHECK(badSize.exitCode == 2);
  CHECK(badSize.output.find("1280x720 or 1920x1080") != std::string::npos);

  const Outcome h265Missing = runCamsim("--cameras 2 --h265 5");
  CHECK(h265Missing.exitCode == 2);
  CHECK(h265Missing.output.find("camera 5 does not exist") != std::string::npos);

  const Outcome halfAuth = runCamsim("--user admin");
  CHECK(halfAuth.exitCode == 2);

  const Outcome passwordOnly = runCamsim("--password Hidden-Secret-42");
  CHECK(passwordOnly.exitCode == 2);
  CHECK(passwordOnly.output.find("Hidden-Secret-42") == std::string::npos);

  const Outcome help = runCamsim("--help");
  CHECK(help.exitCode == 0);
  CHECK(help.output.find("/camN/sub") != std::string::npos);
}
