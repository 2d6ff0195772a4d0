// gl_upload_run.cpp: the benchmark phase with the camera wall's GPU path: decode, upload the YUV
// planes, convert with the panel's shader, in a hidden GL window of its own (or, with no display,
// a headless EGL context on the GPU).
#include <epoxy/gl.h>
#include <GLFW/glfw3.h>

#include <memory>
#include <vector>

#include "headless_egl.hpp"
#include "wall_runs.hpp"
#include "yuv_renderer.hpp"

namespace ccoc::bench {
namespace {

// Where the GL context comes from: a hidden GLFW window (X display) or EGL's device platform.
class GlContext {
 public:
  ~GlContext() {
    if (window_ != nullptr) {
      glfwDestroyWindow(window_);
    }
    if (glfwStarted_) {
      glfwTerminate();
    }
  }

  bool create(bool headless, std::string& error) {
    if (headless) {
      egl_ = std::make_unique<HeadlessEgl>();
      return egl_->create(error);
    }
    if (glfwInit() != GLFW_TRUE) {
      error = "GLFW could not start (no X display? run under Xvfb, or use --egl)";
      return false;
    }
    glfwStarted_ = true;
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    window_ = glfwCreateWindow(64, 64, "bench_camera_wall", nullptr, nullptr);
    if (window_ == nullptr) {
      error = "no OpenGL 3.3 core context";
      return false;
    }
    return true;
  }

  bool makeCurrent() {
    if (egl_) {
      return egl_->makeCurrent();
    }
    glfwMakeContextCurrent(window_);
    return true;
  }

  void release() {
    if (egl_) {
      egl_->release();
    } else {
      glfwMakeContextCurrent(nullptr);
    }
  }

 private:
  std::unique_ptr<HeadlessEgl> egl_;
  GLFWwindow* window_ = nullptr;
  bool glfwStarted_ = false;
};

}  // namespace

PhaseResult runGlUpload(const std::vector<std::string>& urls, std::chrono::seconds duration,
                        bool hardware, bool headless, std::string& renderer,
                        HardwareVariant variant) {
  GlContext context;
  std::string contextError;
  if (!context.create(headless, contextError)) {
    PhaseResult failed;
    failed.error = contextError;
    return failed;
  }
  std::unique_ptr<wall::GlPipeline> pipeline;
  std::vector<std::unique_ptr<wall::YuvRenderer>> renderers;
  ConsumerHooks hooks;
  hooks.begin = [&](std::string& error) {
    if (!context.makeCurrent()) {
      error = "cannot make the GL context current on the consumer thread";
      return false;
    }
    renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    pipeline = std::make_unique<wall::GlPipeline>();
    if (!pipeline->ok()) {
      error = std::string("shader: ") + pipeline->error();
      pipeline.reset();  // while its context is still current
      context.release();
      return false;
    }
    for (std::size_t i = 0; i < urls.size(); ++i) {
      renderers.push_back(std::make_unique<wall::YuvRenderer>());
    }
    return true;
  };
  hooks.frame = [&](std::size_t stream, const void* frame) {
    renderers[stream]->render(*static_cast<const video::VideoFrame*>(frame), *pipeline);
  };
  hooks.endTick = [] { glFinish(); };
  hooks.end = [&] {
    renderers.clear();
    pipeline.reset();
    context.release();
  };
  return runOurDecoder(urls, duration, hardware, &hooks, variant);
}

}  // namespace ccoc::bench
