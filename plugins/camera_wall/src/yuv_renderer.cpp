// yuv_renderer.cpp: YUV planes to an RGB texture with a GLSL shader.
#include "yuv_renderer.hpp"

#include <epoxy/gl.h>
#include <epoxy/glx.h>

#include <cstdio>

namespace ccoc::wall {

namespace {

// A triangle that covers the viewport, from gl_VertexID alone: no vertex buffer needed.
const char* kVertexShader = R"(#version 330 core
out vec2 texCoord;
void main() {
    vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    texCoord = corner;
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
)";

// layout 0: three planes; 1: Y + interleaved UV (nv12). matrix 0: BT.601, 1: BT.709, 2: BT.2020.
const char* kFragmentShader = R"(#version 330 core
in vec2 texCoord;
out vec4 colour;
uniform sampler2D planeY;
uniform sampler2D planeU;
uniform sampler2D planeV;
uniform int planeLayout;
uniform int matrix;
uniform int fullRange;
void main() {
    float y = texture(planeY, texCoord).r;
    vec2 c;
    if (planeLayout == 1) {
        c = texture(planeU, texCoord).rg;
    } else {
        c = vec2(texture(planeU, texCoord).r, texture(planeV, texCoord).r);
    }
    if (fullRange == 1) {
        c -= vec2(128.0 / 255.0);
    } else {
        y = (y - 16.0 / 255.0) * (255.0 / 219.0);
        c = (c - vec2(128.0 / 255.0)) * (255.0 / 224.0);
    }
    vec3 rgb;
    if (matrix == 0) {
        rgb = vec3(y + 1.402 * c.y, y - 0.344136 * c.x - 0.714136 * c.y, y + 1.772 * c.x);
    } else if (matrix == 2) {
        rgb = vec3(y + 1.4746 * c.y, y - 0.164553 * c.x - 0.571353 * c.y, y + 1.8814 * c.x);
    } else {
        rgb = vec3(y + 1.5748 * c.y, y - 0.187324 * c.x - 0.468124 * c.y, y + 1.8556 * c.x);
    }
    colour = vec4(clamp(rgb, 0.0, 1.0), 1.0);
}
)";

unsigned compile(GLenum kind, const char* source, char* error, size_t errorSize)
{
    const GLuint shader = glCreateShader(kind);
    glShaderSource(shader, 1, &source, nullptr);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (ok == 0) {
        glGetShaderInfoLog(shader, static_cast<GLsizei>(errorSize), nullptr, error);
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}

void makePlaneTexture(unsigned& texture)
{
    if (texture == 0) {
        glGenTextures(1, &texture);
    }
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

}  // namespace

GlPipeline::GlPipeline()
{
    context_ = glXGetCurrentContext();
    const unsigned vertex = compile(GL_VERTEX_SHADER, kVertexShader, error_, sizeof error_);
    const unsigned fragment = vertex != 0 ? compile(GL_FRAGMENT_SHADER, kFragmentShader, error_, sizeof error_) : 0;
    if (vertex == 0 || fragment == 0) {
        glDeleteShader(vertex);
        return;
    }
    const GLuint program = glCreateProgram();
    glAttachShader(program, vertex);
    glAttachShader(program, fragment);
    glLinkProgram(program);
    glDeleteShader(vertex);
    glDeleteShader(fragment);
    GLint linked = 0;
    glGetProgramiv(program, GL_LINK_STATUS, &linked);
    if (linked == 0) {
        glGetProgramInfoLog(program, sizeof error_, nullptr, error_);
        glDeleteProgram(program);
        return;
    }
    program_ = program;
    GLint lastProgram = 0;
    glGetIntegerv(GL_CURRENT_PROGRAM, &lastProgram);
    glUseProgram(program_);
    glUniform1i(glGetUniformLocation(program_, "planeY"), 0);
    glUniform1i(glGetUniformLocation(program_, "planeU"), 1);
    glUniform1i(glGetUniformLocation(program_, "planeV"), 2);
    glUseProgram(static_cast<GLuint>(lastProgram));
    uniformLayout_ = glGetUniformLocation(program_, "planeLayout");
    uniformMatrix_ = glGetUniformLocation(program_, "matrix");
    uniformFullRange_ = glGetUniformLocation(program_, "fullRange");
    glGenVertexArrays(1, &vertexArray_);
    glGenFramebuffers(1, &framebuffer_);
}

GlPipeline::~GlPipeline()
{
    // Vertex arrays and framebuffers belong to one context: deleting them from another would
    // delete that context's objects of the same number instead.
    if (ownsCurrentContext()) {
        glDeleteVertexArrays(1, &vertexArray_);
        glDeleteFramebuffers(1, &framebuffer_);
    }
    if (program_ != 0 && glXGetCurrentContext() != nullptr) {
        glDeleteProgram(program_);
    }
}

bool GlPipeline::ownsCurrentContext() const
{
    return context_ != nullptr && glXGetCurrentContext() == context_;
}

YuvRenderer::~YuvRenderer()
{
    // Textures are shared by every screen's context, so any current one may delete them.
    if (glXGetCurrentContext() != nullptr) {
        glDeleteTextures(3, planes_);
        glDeleteTextures(1, &rgb_);
    }
}

void YuvRenderer::allocate(const video::VideoFrame& frame)
{
    width_ = frame.width();
    height_ = frame.height();
    layout_ = frame.layout();
    for (int i = 0; i < frame.planeCount(); ++i) {
        makePlaneTexture(planes_[i]);
        const bool interleaved = layout_ == video::PixelLayout::Nv12 && i == 1;
        glTexImage2D(GL_TEXTURE_2D, 0, interleaved ? GL_RG8 : GL_R8, frame.planeWidth(i), frame.planeHeight(i), 0,
                     interleaved ? GL_RG : GL_RED, GL_UNSIGNED_BYTE, nullptr);
    }
    makePlaneTexture(rgb_);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width_, height_, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
}

void YuvRenderer::render(const video::VideoFrame& frame, const GlPipeline& pipeline)
{
    if (!pipeline.ok() || !pipeline.ownsCurrentContext()) {
        return;
    }
    GLint lastTexture = 0, lastActive = 0, lastProgram = 0, lastVertexArray = 0, lastFramebuffer = 0;
    GLint lastViewport[4] = {0, 0, 0, 0};
    GLint lastAlignment = 4, lastRowLength = 0;
    glGetIntegerv(GL_ACTIVE_TEXTURE, &lastActive);
    glActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &lastTexture);
    glGetIntegerv(GL_CURRENT_PROGRAM, &lastProgram);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &lastVertexArray);
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &lastFramebuffer);
    glGetIntegerv(GL_VIEWPORT, lastViewport);
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &lastAlignment);
    glGetIntegerv(GL_UNPACK_ROW_LENGTH, &lastRowLength);
    const GLboolean scissor = glIsEnabled(GL_SCISSOR_TEST);
    const GLboolean blend = glIsEnabled(GL_BLEND);

    if (frame.width() != width_ || frame.height() != height_ || frame.layout() != layout_ || rgb_ == 0) {
        allocate(frame);
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    for (int i = 0; i < frame.planeCount(); ++i) {
        const bool interleaved = layout_ == video::PixelLayout::Nv12 && i == 1;
        glActiveTexture(static_cast<GLenum>(GL_TEXTURE0 + i));
        glBindTexture(GL_TEXTURE_2D, planes_[i]);
        // Row length counts pixels (UV pairs for nv12's plane), not bytes.
        glPixelStorei(GL_UNPACK_ROW_LENGTH, interleaved ? frame.stride(i) / 2 : frame.stride(i));
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, frame.planeWidth(i), frame.planeHeight(i),
                        interleaved ? GL_RG : GL_RED, GL_UNSIGNED_BYTE, frame.plane(i));
    }
    glBindFramebuffer(GL_FRAMEBUFFER, pipeline.framebuffer());
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, rgb_, 0);
    glViewport(0, 0, width_, height_);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_BLEND);
    glUseProgram(pipeline.program());
    glUniform1i(pipeline.uniformLayout(), layout_ == video::PixelLayout::Nv12 ? 1 : 0);
    const auto& info = frame.info();
    glUniform1i(pipeline.uniformMatrix(), info.matrix == video::ColourMatrix::Bt601   ? 0
                                          : info.matrix == video::ColourMatrix::Bt2020 ? 2
                                                                                       : 1);
    glUniform1i(pipeline.uniformFullRange(), info.range == video::ColourRange::Full ? 1 : 0);
    glBindVertexArray(pipeline.vertexArray());
    glDrawArrays(GL_TRIANGLES, 0, 3);

    glBindVertexArray(static_cast<GLuint>(lastVertexArray));
    glUseProgram(static_cast<GLuint>(lastProgram));
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(lastFramebuffer));
    glViewport(lastViewport[0], lastViewport[1], lastViewport[2], lastViewport[3]);
    glPixelStorei(GL_UNPACK_ALIGNMENT, lastAlignment);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, lastRowLength);
    for (int i = 2; i >= 0; --i) {
        glActiveTexture(static_cast<GLenum>(GL_TEXTURE0 + i));
        glBindTexture(GL_TEXTURE_2D, i == 0 ? static_cast<GLuint>(lastTexture) : 0);
    }
    glActiveTexture(static_cast<GLenum>(lastActive));
    if (scissor == GL_TRUE) {
        glEnable(GL_SCISSOR_TEST);
    }
    if (blend == GL_TRUE) {
        glEnable(GL_BLEND);
    }
}

}  // namespace ccoc::wall
