// headless_egl.hpp: an OpenGL 3.3 core context without a window or an X server, for the GL phase
// of the benchmark on a machine with a GPU and no display (EGL device platform, pbuffer).
#pragma once

#include <epoxy/egl.h>

#include <string>

namespace ccoc::bench {

/// A desktop OpenGL context on the first EGL device that is not a software renderer (Mesa's
/// software device when there is nothing else). Create on any thread; makeCurrent() on the thread
/// that draws. Not copyable.
class HeadlessEgl {
 public:
  HeadlessEgl() = default;
  ~HeadlessEgl();
  HeadlessEgl(const HeadlessEgl&) = delete;
  HeadlessEgl& operator=(const HeadlessEgl&) = delete;

  /// Opens the display and makes the context; false with `error` saying which step failed.
  bool create(std::string& error);
  /// Binds the context (and its 16x16 pbuffer) to the calling thread.
  bool makeCurrent();
  /// Unbinds it from the calling thread.
  void release();
  /// The device's name as EGL reports it ("EGL_NV_device_cuda ...", or its extensions).
  const std::string& deviceDescription() const { return device_; }

 private:
  EGLDisplay display_ = EGL_NO_DISPLAY;
  EGLSurface surface_ = EGL_NO_SURFACE;
  EGLContext context_ = EGL_NO_CONTEXT;
  std::string device_;
};

}  // namespace ccoc::bench
