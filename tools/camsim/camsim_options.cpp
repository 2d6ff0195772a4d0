// camsim_options.cpp: parsing ccoc-camsim's command line into CamsimOptions.
#include "camsim_options.hpp"

#include <charconv>
#include <string_view>

namespace ccoc::camsim {
namespace {

bool parseInt(std::string_view text, int& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

// "1280x720" -> width, height.
bool parseSize(std::string_view text, int& width, int& height) {
  const auto x = text.find('x');
  if (x == std::string_view::npos) {
    return false;
  }
  return parseInt(text.substr(0, x), width) && parseInt(text.substr(x + 1), height);
}

}  // namespace

std::string camsimUsage() {
  return "usage: ccoc-camsim [options]\n"
         "Serves simulated cameras over RTSP: rtsp://ADDRESS:PORT/camN (main) and /camN/sub.\n"
         "  --address ADDR     interface to listen on (default 127.0.0.1)\n"
         "  --port PORT        TCP port, 0 for any free port (default 8554)\n"
         "  --cameras N        number of cameras, 1..64 (default 4)\n"
         "  --h265 INDEX       camera encoded in H.265 instead of H.264, 0 for none\n"
         "                     (default 2 when there are 2 cameras or more, else none)\n"
         "  --main-size WxH    main stream size: 1280x720 (default) or 1920x1080\n"
         "  --user NAME        require RTSP authentication (basic or digest) with this user\n"
         "  --password SECRET  ... and this password (both or neither)\n"
         "Prints 'ready rtsp://ADDRESS:PORT/' once serving; stops on SIGINT or SIGTERM.\n";
}

CamsimParseResult parseCamsimOptions(const std::vector<std::string>& args) {
  CamsimParseResult result;
  CamsimOptions options;
  bool h265Given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& name = args[i];
    if (name == "--help" || name == "-h") {
      result.helpWanted = true;
      return result;
    }
    if (i + 1 >= args.size()) {
      result.error = "option " + name + " is unknown or lacks its value (see --help)";
      return result;
    }
    const std::string& value = args[++i];
    auto bad = [&](const std::string& expected) {
      result.error = "option " + name + ": '" + value + "' is not " + expected;
      return result;
    };
    if (name == "--address") {
      options.address = value;
    } else if (name == "--port") {
      if (!parseInt(value, options.port) || options.port < 0 || options.port > 65535) {
        return bad("a port number 0..65535");
      }
    } else if (name == "--cameras") {
      if (!parseInt(value, options.cameras) || options.cameras < 1 || options.cameras > 64) {
        return bad("a camera count 1..64");
      }
    } else if (name == "--h265") {
      h265Given = true;
      if (!parseInt(value, options.h265Camera) || options.h265Camera < 0) {
        return bad("a camera number (1-based, 0 for none)");
      }
    } else if (name == "--main-size") {
      if (!parseSize(value, options.mainWidth, options.mainHeight) ||
          !((options.mainWidth == 1280 && options.mainHeight == 720) ||
            (options.mainWidth == 1920 && options.mainHeight == 1080))) {
        return bad("1280x720 or 1920x1080");
      }
    } else if (name == "--user") {
      options.user = value;
    } else if (name == "--password") {
      options.password = value;
    } else {
      result.error = "unknown option " + name + " (see --help)";
      return result;
    }
  }
  if (!h265Given && options.h265Camera > options.cameras) {
    options.h265Camera = 0;  // the default H.265 camera does not exist: all H.264
  }
  if (options.h265Camera > options.cameras) {
    result.error = "option --h265: camera " + std::to_string(options.h265Camera) +
                   " does not exist; expected 1.." + std::to_string(options.cameras);
    return result;
  }
  if (options.user.empty() != options.password.empty()) {
    result.error = "options --user and --password go together: give both or neither";
    return result;
  }
  result.options = options;
  return result;
}

}  // namespace ccoc::camsim
