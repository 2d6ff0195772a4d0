// gl_upload_run.cpp: the benchmark phase with the camera wall's GPU path: decode, upload the YUV
// planes, convert with the panel's shader, in a hidden GL window of its own.
#include <epoxy/gl.h>
#include <GLFW/glfw3.h>

#include <memory>
#include <vector>

#include "wall_runs.hpp"
#include "yuv_renderer.hpp"

namespace ccoc::bench {

PhaseResult runGlUpload(const std::vector<std::string>& urls, std::chrono::seconds duration,
                        bool hardware, std::string& renderer) {
  if (glfwInit() != GLFW_TRUE) {
    PhaseResult failed;
    failed.error = "GLFW could not start (no X display? run under Xvfb or xvfb-run)";
    return failed;
  }
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(64, 64, "bench_camera_wall", nullptr, nullptr);
  if (window == nullptr) {
    glfwTerminate();
    PhaseResult failed;
    failed.error = "no OpenGL 3.3 core context";
    return failed;
  }
  std::unique_ptr<wall::GlPipeline> pipeline;
  std::vector<std::unique_ptr<wall::YuvRenderer>> renderers;
  ConsumerHooks hooks;
  hooks.begin = [&](std::string& error) {
    glfwMakeContextCurrent(window);
    renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    pipeline = std::make_unique<wall::GlPipeline>();
    if (!pipeline->ok()) {
      error = std::string("shader: ") + pipeline->error();
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
    glfwMakeContextCurrent(nullptr);
  };
  PhaseResult result = runOurDecoder(urls, duration, hardware, &hooks);
  if (!result.ok && renderer.empty()) {
    renderers.clear();
    pipeline.reset();
  }
  glfwDestroyWindow(window);
  glfwTerminate();
  return result;
}

}  // namespace ccoc::bench
