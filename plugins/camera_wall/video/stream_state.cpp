// stream_state.cpp: the words a tile shows for each state and offline reason.
#include "ccoc/video/stream_state.hpp"

namespace ccoc::video {

const char* toString(StreamState state) {
  switch (state) {
    case StreamState::Connecting:
      return "connecting";
    case StreamState::Live:
      return "live";
    case StreamState::Offline:
      return "offline";
    case StreamState::Paused:
      return "paused";
  }
  return "unknown";
}

const char* toString(OfflineReason reason) {
  switch (reason) {
    case OfflineReason::None:
      return "";
    case OfflineReason::Refused:
      return "refused";
    case OfflineReason::Timeout:
      return "timeout";
    case OfflineReason::Unauthorised:
      return "unauthorised";
    case OfflineReason::NotFound:
      return "not found";
    case OfflineReason::UnsupportedCodec:
      return "unsupported codec";
    case OfflineReason::UnsupportedScheme:
      return "unsupported URL scheme";
    case OfflineReason::Ended:
      return "ended";
    case OfflineReason::Failed:
      return "failed";
  }
  return "unknown";
}

}  // namespace ccoc::video
