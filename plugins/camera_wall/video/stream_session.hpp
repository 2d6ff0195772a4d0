// stream_session.hpp (private): one connection to a stream, from open to failure or interrupt.
#pragma once

#include <string>

#include "ccoc/video/stream_state.hpp"

namespace ccoc::video::detail {

class ReaderCore;

/// How a session ended.
struct SessionEnd {
  OfflineReason reason = OfflineReason::Failed;
  std::string message;       ///< redacted detail
  bool wentLive = false;     ///< at least one frame was decoded
  bool interrupted = false;  ///< stop or pause asked for it; not a failure
  bool restartNow = false;   ///< a looping file reached its end: reopen without backoff
};

/// Opens the core's URL, decodes until something ends it, publishes frames to the core.
/// Runs entirely on the reader thread; every FFmpeg call is bounded by a deadline.
SessionEnd runStreamSession(ReaderCore& core);

}  // namespace ccoc::video::detail
