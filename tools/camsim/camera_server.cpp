// camera_server.cpp: mounts simulated cameras on a GstRTSPServer and runs its main loop.
#include "camera_server.hpp"

#include <algorithm>
#include <cstdio>
#include <csignal>
#include <string>

#include <glib-unix.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

#include "camera_palette.hpp"

namespace ccoc::camsim {
namespace {

constexpr int kSubWidth = 640;
constexpr int kSubHeight = 360;
constexpr const char* kRole = "viewer";

// Per-media state of the frame counter: the textoverlay it writes and the frames seen so far.
struct FrameCounter {
  GstElement* overlay = nullptr;  // owned reference
  std::string label;
  guint64 frames = 0;
};

void destroyFrameCounter(gpointer data) {
  auto* counter = static_cast<FrameCounter*>(data);
  gst_object_unref(counter->overlay);
  delete counter;
}

// Runs on the streaming thread for every raw frame: the overlay's text property is thread-safe.
GstPadProbeReturn countFrame(GstPad*, GstPadProbeInfo*, gpointer data) {
  auto* counter = static_cast<FrameCounter*>(data);
  ++counter->frames;
  const std::string text = counter->label + "  frame " + std::to_string(counter->frames);
  g_object_set(counter->overlay, "text", text.c_str(), nullptr);
  return GST_PAD_PROBE_OK;
}

// Every RTSP connection, on stdout: tests count a client's connection attempts (logins) by it.
void onClientConnected(GstRTSPServer*, GstRTSPClient*, gpointer) {
  std::printf("client connected\n");
  std::fflush(stdout);
}

// A new media (pipeline) was built for a stream: attach the frame counter to its source pad.
void onMediaConfigure(GstRTSPMediaFactory*, GstRTSPMedia* media, gpointer labelData) {
  GstElement* bin = gst_rtsp_media_get_element(media);
  GstElement* source = gst_bin_get_by_name(GST_BIN(bin), "src");
  GstElement* overlay = gst_bin_get_by_name(GST_BIN(bin), "counter");
  if (source != nullptr && overlay != nullptr) {
    auto* counter = new FrameCounter{overlay, static_cast<const char*>(labelData), 0};
    GstPad* pad = gst_element_get_static_pad(source, "src");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, countFrame, counter, destroyFrameCounter);
    gst_object_unref(pad);
  } else if (overlay != nullptr) {
    gst_object_unref(overlay);
  }
  if (source != nullptr) {
    gst_object_unref(source);
  }
  gst_object_unref(bin);
}

GstRTSPFilterResult removeClient(GstRTSPServer*, GstRTSPClient*, gpointer) {
  return GST_RTSP_FILTER_REMOVE;
}

gboolean quitOnSignal(gpointer loop) {
  g_main_loop_quit(static_cast<GMainLoop*>(loop));
  return G_SOURCE_CONTINUE;
}

}  // namespace

std::string cameraPipeline(int cameraNumber, int width, int height, bool h265, bool mainStream) {
  char colour[16];
  std::snprintf(colour, sizeof colour, "0x%08X", cameraColourArgb(cameraNumber));
  // Text scales with the picture so the clock stays readable in a small tile.
  const std::string font = "Sans Bold " + std::to_string(std::max(8, height / 40));
  // Low bit rates and the fastest presets: the simulator shares two cores with everything else.
  const int kbps = mainStream ? (width >= 1920 ? 2500 : 1500) : 400;
  // Even cameras move the ball differently so neighbouring tiles do not look alike.
  const char* motion = cameraNumber % 2 == 0 ? "sweep" : "wavy";
  std::string encoder;
  if (h265) {
    encoder = "x265enc speed-preset=ultrafast tune=zerolatency key-int-max=50 bitrate=" +
              std::to_string(kbps) + " ! rtph265pay name=pay0 pt=96 config-interval=-1";
  } else {
    // One encoder thread: x264's sliced threads make access units FFmpeg's parser complains of.
    encoder = "x264enc speed-preset=ultrafast tune=zerolatency key-int-max=50 threads=1 bitrate=" +
              std::to_string(kbps) + " ! rtph264pay name=pay0 pt=96 config-interval=-1";
  }
  return "( videotestsrc name=src is-live=true pattern=ball motion=" + std::string(motion) +
         " background-color=" + colour + " foreground-color=0xFFFFFFFF" +
         " ! video/x-raw,format=I420,width=" + std::to_string(width) +
         ",height=" + std::to_string(height) + ",framerate=25/1" +
         " ! clockoverlay halignment=right valignment=top shaded-background=true font-desc=\"" +
         font + "\" time-format=\"%Y-%m-%d %H:%M:%S\"" +
         " ! textoverlay name=counter halignment=left valignment=bottom shaded-background=true" +
         " font-desc=\"" + font + "\" text=\"CAM " + std::to_string(cameraNumber) + "\"" +
         " ! " + encoder + " )";
}

CameraServer::CameraServer(CamsimOptions options) : options_(std::move(options)) {}

CameraServer::~CameraServer() {
  if (sourceId_ != 0) {
    g_source_remove(sourceId_);
  }
  if (server_ != nullptr) {
    g_object_unref(server_);
  }
  if (loop_ != nullptr) {
    g_main_loop_unref(loop_);
  }
}

std::string CameraServer::start() {
  loop_ = g_main_loop_new(nullptr, FALSE);
  server_ = gst_rtsp_server_new();
  gst_rtsp_server_set_address(server_, options_.address.c_str());
  gst_rtsp_server_set_service(server_, std::to_string(options_.port).c_str());

  if (!options_.user.empty()) {
    GstRTSPAuth* auth = gst_rtsp_auth_new();
    gst_rtsp_auth_set_supported_methods(auth,
        static_cast<GstRTSPAuthMethod>(GST_RTSP_AUTH_BASIC | GST_RTSP_AUTH_DIGEST));
    GstRTSPToken* token =
        gst_rtsp_token_new(GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING, kRole, nullptr);
    gchar* basic = gst_rtsp_auth_make_basic(options_.user.c_str(), options_.password.c_str());
    gst_rtsp_auth_add_basic(auth, basic, token);
    g_free(basic);
    gst_rtsp_auth_add_digest(auth, options_.user.c_str(), options_.password.c_str(), token);
    gst_rtsp_token_unref(token);
    gst_rtsp_server_set_auth(server_, auth);
    g_object_unref(auth);
  }

  for (int camera = 1; camera <= options_.cameras; ++camera) {
    mountCamera(camera);
  }
  g_signal_connect(server_, "client-connected", G_CALLBACK(onClientConnected), nullptr);

  GError* error = nullptr;
  GSource* source = gst_rtsp_server_create_source(server_, nullptr, &error);
  if (source == nullptr) {
    std::string message = "cannot listen on " + options_.address + ":" +
                          std::to_string(options_.port) + ": " +
                          (error != nullptr ? error->message : "unknown error");
    g_clear_error(&error);
    return message;
  }
  sourceId_ = g_source_attach(source, nullptr);
  g_source_unref(source);
  boundPort_ = gst_rtsp_server_get_bound_port(server_);
  return {};
}

void CameraServer::mountCamera(int cameraNumber) {
  GstRTSPMountPoints* mounts = gst_rtsp_server_get_mount_points(server_);
  const bool h265 = cameraNumber == options_.h265Camera;
  for (const bool mainStream : {true, false}) {
    GstRTSPMediaFactory* factory = gst_rtsp_media_factory_new();
    const int width = mainStream ? options_.mainWidth : kSubWidth;
    const int height = mainStream ? options_.mainHeight : kSubHeight;
    const std::string launch = cameraPipeline(cameraNumber, width, height, h265, mainStream);
    gst_rtsp_media_factory_set_launch(factory, launch.c_str());
    gst_rtsp_media_factory_set_shared(factory, TRUE);
    if (!options_.user.empty()) {
      gst_rtsp_media_factory_add_role(factory, kRole, GST_RTSP_PERM_MEDIA_FACTORY_ACCESS,
                                      G_TYPE_BOOLEAN, TRUE, GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT,
                                      G_TYPE_BOOLEAN, TRUE, nullptr);
    }
    // The label lives as long as the factory (freed with it through the closure notify).
    const std::string label =
        "CAM " + std::to_string(cameraNumber) + (mainStream ? " main" : " sub");
    g_signal_connect_data(factory, "media-configure", G_CALLBACK(onMediaConfigure),
                          g_strdup(label.c_str()),
                          [](gpointer data, GClosure*) { g_free(data); }, GConnectFlags{});
    const std::string path =
        "/cam" + std::to_string(cameraNumber) + (mainStream ? "" : "/sub");
    gst_rtsp_mount_points_add_factory(mounts, path.c_str(), factory);
  }
  g_object_unref(mounts);
}

void CameraServer::runUntilSignalled() {
  const guint intId = g_unix_signal_add(SIGINT, quitOnSignal, loop_);
  const guint termId = g_unix_signal_add(SIGTERM, quitOnSignal, loop_);
  g_main_loop_run(loop_);
  g_source_remove(intId);
  g_source_remove(termId);
  // Close every client connection now so viewers see the end at once, not at their timeout.
  gst_rtsp_server_client_filter(server_, removeClient, nullptr);
}

}  // namespace ccoc::camsim
