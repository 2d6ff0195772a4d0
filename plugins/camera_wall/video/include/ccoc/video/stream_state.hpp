// stream_state.hpp: what a StreamReader tells its tile: state, reason in words, counters.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace ccoc::video {

/// Where a stream stands. Offline always comes with an OfflineReason.
enum class StreamState {
  Connecting,  ///< first attempt (or first after resume) in progress, no picture yet
  Live,        ///< frames are being decoded
  Offline,     ///< the last attempt failed or the stream ended; the reader retries by itself
  Paused,      ///< pause() was called: disconnected, nothing decoded
};

/// Why a stream is offline, in the words a tile shows.
enum class OfflineReason {
  None,              ///< not offline
  Refused,           ///< the camera refused the TCP connection (nothing listens)
  Timeout,           ///< no answer or no data before the deadline
  Unauthorised,      ///< wrong or missing user name or password
  NotFound,          ///< the camera answered but has no such stream (RTSP/HTTP 404, no file)
  UnsupportedCodec,  ///< no video stream, or no decoder for its codec
  UnsupportedScheme,  ///< a URL scheme the reader does not speak (not rtsp, rtsps, http(s), file)
  Ended,             ///< the stream was live and then ended (server closed, end of file)
  Failed,            ///< anything else (host unknown, network unreachable, bad data)
};

/// "connecting", "live", "offline", "paused".
const char* toString(StreamState state);
/// "refused", "timeout", "unauthorised", "not found", "unsupported codec",
/// "unsupported URL scheme", "ended", "failed";
/// "" for None.
const char* toString(OfflineReason reason);

/// A snapshot of a reader's state. Never holds credentials.
struct StreamStatus {
  StreamState state = StreamState::Connecting;
  OfflineReason reason = OfflineReason::None;
  std::string message;      ///< detail in words for Offline, e.g. "RTSP 401 Unauthorized"; redacted
  std::string codecName;    ///< "h264", "hevc", ... once known
  std::string decoderName;  ///< e.g. "h264 (software)" or "hevc (cuda)"
  bool hardwareDecoding = false;
  int width = 0;
  int height = 0;
  int failedAttempts = 0;  ///< consecutive failed connection attempts (0 while live)
  /// Offline: when the reader tries again by itself (after `unauthorised`, the login's shared
  /// wait); default-constructed when it is not waiting.
  std::chrono::steady_clock::time_point nextAttempt{};
};

/// Where a reader thread's time went, summed since the reader started (seconds of wall time on
/// that thread). They find a pipeline's limit: a hardware decoder that waits for the GPU shows in
/// `decodeSeconds`, the copy to memory and the pixel-format work in `convertSeconds`.
struct StageTimes {
  double readSeconds = 0.0;     ///< reading packets: waiting for the network, demuxing
  double decodeSeconds = 0.0;   ///< sending packets and receiving frames (hardware: incl. the GPU)
  double convertSeconds = 0.0;  ///< a hardware frame's copy to memory, pixel-format normalising
  double pacingSeconds = 0.0;   ///< a file waiting for its next frame's time
};

/// Counters since the reader started, and rates over the last second or so.
struct StreamStats {
  std::uint64_t framesDecoded = 0;
  std::uint64_t framesTaken = 0;    ///< frames handed out by takeFrame()/waitFrame()
  std::uint64_t framesDropped = 0;  ///< overwritten in the slot before anyone took them
  std::uint64_t bytesReceived = 0;  ///< compressed bytes read from the stream
  /// Times the stream was opened: 1 for the first connect, +1 for every reconnect (a looping
  /// file starts over in place and does not count).
  std::uint64_t connectAttempts = 0;
  double framesPerSecond = 0.0;
  double bitsPerSecond = 0.0;
  StageTimes stages;  ///< up to the newest frame
  /// When the newest frame's data arrived (its FrameInfo::arrival); default-constructed before
  /// the first frame.
  std::chrono::steady_clock::time_point lastFrameTime{};
};

}  // namespace ccoc::video
