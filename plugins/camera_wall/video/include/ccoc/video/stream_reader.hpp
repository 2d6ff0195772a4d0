// stream_reader.hpp: pulls one camera stream with FFmpeg on its own thread, keeps the newest frame.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "ccoc/video/login_backoff.hpp"
#include "ccoc/video/stream_state.hpp"
#include "ccoc/video/video_frame.hpp"

namespace ccoc::video {

namespace detail {
class ReaderCore;
}

enum class LogLevel { Info, Warning, Error };

/// Receives the reader's log lines; every URL in them is already redacted.
/// Called on the reader's own thread.
using LogSink = std::function<void(LogLevel level, const std::string& line)>;

/// Whether to try FFmpeg's hardware decoders (CUDA, then VAAPI) before software.
enum class HardwareDecoding { Off, Auto };

/// What to read and how patiently.
struct StreamOptions {
  std::string url;       ///< rtsp:// (always over TCP), http(s)://, or a file path
  std::string username;  ///< optional; inserted into the URL only when talking to FFmpeg
  std::string password;  ///< optional; never logged, never in a status message
  std::chrono::milliseconds openTimeout{5000};  ///< deadline for connect + describe + probe
  std::chrono::milliseconds readTimeout{3000};  ///< deadline for every single packet read
  std::chrono::milliseconds backoffInitial{500};  ///< first wait after a failure
  std::chrono::milliseconds backoffMax{8000};     ///< the wait doubles up to this
  double backoffJitter = 0.25;  ///< each wait is scaled by a random factor in [1-j, 1+j]
  /// After `unauthorised` the login waits this long before its next try, doubling per further
  /// rejection up to loginBackoffMax; shared by every stream with the same login (see
  /// LoginBackoff), so cameras that lock accounts after a few failures are not locked by us.
  std::chrono::milliseconds loginBackoffInitial{std::chrono::seconds(60)};
  std::chrono::milliseconds loginBackoffMax{std::chrono::minutes(15)};
  /// Whose waits to share; empty: the process's own (LoginBackoff::shared()).
  std::shared_ptr<LoginBackoff> logins;
  HardwareDecoding hardware = HardwareDecoding::Auto;
  /// false (default): every reader shares the process's one device per type (one CUDA context).
  /// true: a device of its own, as each reader had before; kept to measure the difference.
  bool hardwareDevicePerStream = false;
  /// true: the shared CUDA device, but a CUDA stream of this reader's own, so its frame copies
  /// do not queue behind other readers' work. Off until measured on a GPU (bench_camera_wall
  /// --cuda-stream); logged and ignored where it cannot be made.
  bool cudaStreamPerDecoder = false;
  /// true (default): hardware frames are copied to memory and delivered. false, for benchmarks
  /// only: they are counted and left on the GPU (takeFrame() gives nothing), which measures the
  /// hardware decoder without the copy.
  bool downloadHardwareFrames = true;
  /// With CUDA decoding: frames come down into page-locked (pinned) memory, one DMA at the bus's
  /// speed, instead of through the driver's staging buffer into ordinary memory. Off until
  /// measured on a GPU (bench_camera_wall --pinned); where it cannot be done it is logged and
  /// frames come down as before. The decoder name says "pinned copies" when it is on.
  bool pinnedDownload = false;
  int decoderThreads = 1;  ///< FFmpeg decoder threads; 1 suits many small tiles
  /// With hardware decoding: how many frames the decoder works on at once (FFmpeg's frame
  /// threads). With 1, a stream sends its next packet only after the GPU has returned the last
  /// frame, so its rate is bounded by the GPU's latency under load, not its throughput. Each
  /// extra frame adds a frame of delay and a GPU surface. 1 until measured on a GPU
  /// (bench_camera_wall --hw-frames N). Software decoding uses decoderThreads.
  int hardwareFramesInFlight = 1;
  bool loopFiles = false;  ///< reopen a file at its end without the backoff (demo clips)
  bool startPaused = false;
  LogSink log;  ///< empty: lines go to stderr prefixed "ccoc-video: "
};

/// One stream, read and decoded on a thread the reader owns. It connects, decodes, and on any
/// failure goes offline with a reason and tries again after an exponential backoff with jitter,
/// forever, until destroyed. Only the newest decoded frame is kept ("newest wins"): a frame not
/// taken before the next one arrives is dropped and counted.
///
/// Thread: every public function may be called from any thread, and none of them waits on the
/// network: they only take a short internal lock (waitFrame() excepted, which waits by design).
class StreamReader {
 public:
  /// Starts the reader thread at once (paused if options.startPaused).
  explicit StreamReader(StreamOptions options);
  /// Stops the thread: interrupts any open or read in progress and joins (well under a second).
  ~StreamReader();
  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;
  StreamReader(StreamReader&&) = delete;
  StreamReader& operator=(StreamReader&&) = delete;

  /// Disconnects and stops decoding (a hidden tile). State becomes Paused. Idempotent.
  void pause();
  /// Connects again after pause(); state goes Connecting then Live. Idempotent.
  void resume();
  /// The operator asks for a try now: the reader stops waiting (its backoff, or the login's
  /// wait after `unauthorised`) and connects at once. A paused reader stays paused.
  void retryNow();

  /// A copy of the current state. Never blocks on I/O.
  StreamStatus status() const;
  /// A copy of the counters and rates. Never blocks on I/O.
  StreamStats stats() const;

  /// Takes the newest frame out of the slot, or nullptr when no new frame arrived since the last
  /// take. Ownership is shared; keep it as long as the texture upload needs it.
  std::shared_ptr<const VideoFrame> takeFrame();
  /// Like takeFrame() but waits up to `timeout` for a frame. Blocks: not for a render thread.
  std::shared_ptr<const VideoFrame> waitFrame(std::chrono::milliseconds timeout);

  /// The URL with its password replaced by "***", for display.
  const std::string& displayUrl() const;

 private:
  std::unique_ptr<detail::ReaderCore> core_;
};

}  // namespace ccoc::video
