// ccoc-camsim: simulated RTSP cameras for tests, benchmarks and the demo.
#include <cstdio>
#include <string>
#include <vector>

#include <gst/gst.h>

#include "camera_server.hpp"
#include "camsim_options.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const ccoc::camsim::CamsimParseResult parsed = ccoc::camsim::parseCamsimOptions(args);
  if (parsed.helpWanted) {
    std::fputs(ccoc::camsim::camsimUsage().c_str(), stdout);
    return 0;
  }
  if (!parsed.options) {
    std::fprintf(stderr, "ccoc-camsim: %s\n", parsed.error.c_str());
    return 2;
  }
  gst_init(nullptr, nullptr);
  int exitCode = 0;
  {
    ccoc::camsim::CameraServer server(*parsed.options);
    const std::string error = server.start();
    if (!error.empty()) {
      std::fprintf(stderr, "ccoc-camsim: %s\n", error.c_str());
      exitCode = 1;
    } else {
      std::printf("ready rtsp://%s:%d/\n", parsed.options->address.c_str(), server.boundPort());
      std::fflush(stdout);
      server.runUntilSignalled();
      std::fprintf(stderr, "ccoc-camsim: stopped\n");
    }
  }
  gst_deinit();
  return exitCode;
}
