// yuv_renderer.hpp: turns decoded YUV frames into an RGB texture on the GPU. The planes are
// uploaded as textures (Y, U, V for yuv420p; Y and interleaved UV for nv12) and a GLSL shader
// converts them with the frame's colour matrix (BT.601/709/2020) and range (limited/full) into an
// RGBA texture through a framebuffer, which the panel shows with ImGui::Image.
//
// Why an FBO and ImGui::Image rather than an ImGui draw callback: the conversion runs once per
// decoded frame (25 fps) instead of once per screen redraw, the result is an ordinary texture that
// ImGui clips, scales and overlays text on like any image, and the ImGui backend's GL state never
// has to be saved and restored in the middle of its own draw list.
//
// Contexts: textures and programs are shared between the screens' contexts, framebuffers and
// vertex arrays are not. A panel is drawn on one screen, so its GlPipeline (program, VAO, FBO)
// lives in that screen's context; the pipeline refuses to run in another context (see owns()).
#pragma once

#include <cstdint>
#include <memory>

#include "ccoc/video/video_frame.hpp"

namespace ccoc::wall {

/// The shader program, an empty vertex array and a framebuffer of one GL context.
/// Thread: main thread, with its context current.
class GlPipeline {
public:
    GlPipeline();
    ~GlPipeline();
    GlPipeline(const GlPipeline&) = delete;
    GlPipeline& operator=(const GlPipeline&) = delete;
    GlPipeline(GlPipeline&&) = delete;
    GlPipeline& operator=(GlPipeline&&) = delete;

    /// False when the shader failed to compile (the reason is in error()).
    [[nodiscard]] bool ok() const { return program_ != 0; }
    [[nodiscard]] const char* error() const { return error_; }
    /// True when the GL context current now is the one this pipeline was made in.
    [[nodiscard]] bool ownsCurrentContext() const;

    unsigned program() const { return program_; }
    unsigned vertexArray() const { return vertexArray_; }
    unsigned framebuffer() const { return framebuffer_; }
    int uniformLayout() const { return uniformLayout_; }
    int uniformMatrix() const { return uniformMatrix_; }
    int uniformFullRange() const { return uniformFullRange_; }

private:
    const void* context_ = nullptr;
    unsigned program_ = 0;
    unsigned vertexArray_ = 0;
    unsigned framebuffer_ = 0;
    int uniformLayout_ = -1;
    int uniformMatrix_ = -1;
    int uniformFullRange_ = -1;
    char error_[512] = {};
};

/// One tile's textures: the YUV planes and the RGB result. Thread: main thread.
class YuvRenderer {
public:
    YuvRenderer() = default;
    ~YuvRenderer();
    YuvRenderer(const YuvRenderer&) = delete;
    YuvRenderer& operator=(const YuvRenderer&) = delete;
    YuvRenderer(YuvRenderer&&) = delete;
    YuvRenderer& operator=(YuvRenderer&&) = delete;

    /// Uploads the frame's planes and converts them into the RGB texture. Restores the GL state
    /// it touches (framebuffer, viewport, program, vertex array, textures, unpack alignment).
    void render(const video::VideoFrame& frame, const GlPipeline& pipeline);

    /// The RGB texture (0 before the first frame) and its size.
    [[nodiscard]] unsigned texture() const { return rgb_; }
    [[nodiscard]] int width() const { return width_; }
    [[nodiscard]] int height() const { return height_; }

private:
    void allocate(const video::VideoFrame& frame);

    unsigned planes_[3] = {0, 0, 0};
    unsigned rgb_ = 0;
    int width_ = 0;
    int height_ = 0;
    video::PixelLayout layout_ = video::PixelLayout::Yuv420p;
};

}  // namespace ccoc::wall
