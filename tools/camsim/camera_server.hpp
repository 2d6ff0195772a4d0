// camera_server.hpp: the RTSP server of ccoc-camsim (GStreamer's gst-rtsp-server).
#pragma once

#include <string>

#include "camsim_options.hpp"

typedef struct _GstRTSPServer GstRTSPServer;
typedef struct _GMainLoop GMainLoop;

namespace ccoc::camsim {

/// Serves cameras 1..N at /camN (main stream) and /camN/sub (640x360), each 25 fps with a clock,
/// a frame counter and its palette colour. Media are shared between clients, so two viewers of
/// one stream cost one encoder, and built only while someone watches.
/// Thread: create, run and destroy on the main thread.
class CameraServer {
 public:
  explicit CameraServer(CamsimOptions options);
  ~CameraServer();
  CameraServer(const CameraServer&) = delete;
  CameraServer& operator=(const CameraServer&) = delete;
  CameraServer(CameraServer&&) = delete;
  CameraServer& operator=(CameraServer&&) = delete;

  /// Binds the port and mounts the cameras. Returns an empty string on success, else a message
  /// saying what failed (e.g. the port is taken).
  std::string start();

  /// The port actually bound (useful with --port 0). Valid after a successful start().
  int boundPort() const { return boundPort_; }

  /// Serves until SIGINT or SIGTERM, then disconnects every client.
  void runUntilSignalled();

 private:
  void mountCamera(int cameraNumber);

  CamsimOptions options_;
  GstRTSPServer* server_ = nullptr;
  GMainLoop* loop_ = nullptr;
  unsigned sourceId_ = 0;
  int boundPort_ = 0;
};

/// The gst-launch description of one stream: exposed so the README and tests can quote it.
std::string cameraPipeline(int cameraNumber, int width, int height, bool h265, bool mainStream);

}  // namespace ccoc::camsim
