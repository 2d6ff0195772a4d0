// camsim_options.hpp: the command line of ccoc-camsim.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ccoc::camsim {

/// Everything ccoc-camsim can be told on its command line.
struct CamsimOptions {
  std::string address = "127.0.0.1";  ///< interface to listen on
  int port = 8554;                    ///< 0 picks a free port (printed on the ready line)
  int cameras = 4;                    ///< cameras 1..N
  int h265Camera = 2;                 ///< camera number encoded in H.265; 0 = none
  int mainWidth = 1280;
  int mainHeight = 720;
  std::string user;      ///< when set with password, RTSP clients must authenticate
  std::string password;  ///< never printed
};

/// Result of parsing: options, or a message saying what was wrong and what was expected.
struct CamsimParseResult {
  std::optional<CamsimOptions> options;
  std::string error;      ///< set when options is empty and help was not asked
  bool helpWanted = false;
};

/// Parses argv (without argv[0]). Never throws; bad input gives `error`.
CamsimParseResult parseCamsimOptions(const std::vector<std::string>& args);

/// The --help text.
std::string camsimUsage();

}  // namespace ccoc::camsim
