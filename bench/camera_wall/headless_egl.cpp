// headless_egl.cpp: EGL device platform -> pbuffer -> OpenGL 3.3 core context.
#include "headless_egl.hpp"

#include <array>
#include <cstdio>

namespace ccoc::bench {
namespace {

std::string eglErrorText(const char* step) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%04x", static_cast<unsigned>(eglGetError()));
  return std::string(step) + " failed (EGL error " + code + ")";
}

bool isSoftware(const std::string& extensions) {
  return extensions.find("EGL_MESA_device_software") != std::string::npos;
}

}  // namespace

HeadlessEgl::~HeadlessEgl() {
  if (display_ != EGL_NO_DISPLAY) {
    eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (context_ != EGL_NO_CONTEXT) {
      eglDestroyContext(display_, context_);
    }
    if (surface_ != EGL_NO_SURFACE) {
      eglDestroySurface(display_, surface_);
    }
    eglTerminate(display_);
  }
}

bool HeadlessEgl::create(std::string& error) {
  const char* clientExtensions = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  const std::string client = clientExtensions != nullptr ? clientExtensions : "";
  if (client.find("EGL_EXT_device_enumeration") != std::string::npos &&
      client.find("EGL_EXT_platform_device") != std::string::npos) {
    std::array<EGLDeviceEXT, 16> devices{};
    EGLint count = 0;
    if (eglQueryDevicesEXT(static_cast<EGLint>(devices.size()), devices.data(), &count) ==
            EGL_TRUE &&
        count > 0) {
      EGLDeviceEXT chosen = devices[0];
      for (EGLint i = 0; i < count; ++i) {
        const char* extensions = eglQueryDeviceStringEXT(devices[i], EGL_EXTENSIONS);
        if (!isSoftware(extensions != nullptr ? extensions : "")) {
          chosen = devices[i];
          break;
        }
      }
      const char* extensions = eglQueryDeviceStringEXT(chosen, EGL_EXTENSIONS);
      device_ = extensions != nullptr ? extensions : "";
      display_ = eglGetPlatformDisplayEXT(EGL_PLATFORM_DEVICE_EXT, chosen, nullptr);
    }
  }
  if (display_ == EGL_NO_DISPLAY) {
    // No device platform: the default display (a driver without a window system uses its GPU).
    display_ = eglGetDisplay(EGL_DEFAULT_DISPLAY);
    device_ = "default display";
  }
  if (display_ == EGL_NO_DISPLAY) {
    error = eglErrorText("eglGetDisplay") + "; client extensions: [" + client + "]";
    return false;
  }
  EGLint major = 0;
  EGLint minor = 0;
  if (display_ == EGL_NO_DISPLAY || eglInitialize(display_, &major, &minor) != EGL_TRUE) {
    error = eglErrorText("eglInitialize") + " on the " + device_ + "; client extensions: [" +
            client + "]";
    display_ = EGL_NO_DISPLAY;
    return false;
  }
  if (eglBindAPI(EGL_OPENGL_API) != EGL_TRUE) {
    error = eglErrorText("eglBindAPI(EGL_OPENGL_API)");
    return false;
  }
  const EGLint configAttributes[] = {EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RENDERABLE_TYPE,
                                     EGL_OPENGL_BIT,   EGL_RED_SIZE,     8,
                                     EGL_GREEN_SIZE,   8,                EGL_BLUE_SIZE,
                                     8,                EGL_NONE};
  EGLConfig config = nullptr;
  EGLint configs = 0;
  if (eglChooseConfig(display_, configAttributes, &config, 1, &configs) != EGL_TRUE ||
      configs < 1) {
    error = eglErrorText("eglChooseConfig (pbuffer, desktop OpenGL, RGB8)");
    return false;
  }
  const EGLint surfaceAttributes[] = {EGL_WIDTH, 16, EGL_HEIGHT, 16, EGL_NONE};
  surface_ = eglCreatePbufferSurface(display_, config, surfaceAttributes);
  if (surface_ == EGL_NO_SURFACE) {
    error = eglErrorText("eglCreatePbufferSurface");
    return false;
  }
  const EGLint contextAttributes[] = {EGL_CONTEXT_MAJOR_VERSION,
                                      3,
                                      EGL_CONTEXT_MINOR_VERSION,
                                      3,
                                      EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                      EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                      EGL_NONE};
  context_ = eglCreateContext(display_, config, EGL_NO_CONTEXT, contextAttributes);
  if (context_ == EGL_NO_CONTEXT) {
    error = eglErrorText("eglCreateContext (OpenGL 3.3 core)");
    return false;
  }
  return true;
}

bool HeadlessEgl::makeCurrent() {
  return eglMakeCurrent(display_, surface_, surface_, context_) == EGL_TRUE;
}

void HeadlessEgl::release() {
  eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
}

}  // namespace ccoc::bench
