// camera_tile.hpp: one tile's video: the stream reader for the camera it shows (sub or main, by
// its size), the newest frame on the GPU, and what the tile must say about it (state, age, rates).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "camera_catalog.hpp"
#include "ccoc/video/stream_reader.hpp"
#include "reader_reaper.hpp"
#include "stream_policy.hpp"
#include "yuv_renderer.hpp"

namespace ccoc::wall {

/// A picture older than this is stale: dimmed, labelled, never shown as live.
inline constexpr double kStaleAfterSec = 2.0;

/// Makes the log sink of a camera's reader (lines arrive redacted, on the reader's thread).
using LogSinkFactory = std::function<video::LogSink(const std::string& cameraId)>;

/// What a tile shows in words, derived from the reader's state and the picture's age.
enum class TileCondition { Empty, Connecting, Live, Stale, Offline, Paused };

/// One tile. Thread: main thread only (the reader decodes on its own thread).
class CameraTile {
public:
    CameraTile(ReaderReaper& reaper, LogSinkFactory logFactory);
    ~CameraTile();
    CameraTile(const CameraTile&) = delete;
    CameraTile& operator=(const CameraTile&) = delete;
    CameraTile(CameraTile&&) = delete;
    CameraTile& operator=(CameraTile&&) = delete;

    /// Shows this camera (nullptr: none). A new camera starts a new reader; the old one is retired.
    void setCamera(const CameraInfo* camera);
    [[nodiscard]] const CameraInfo* camera() const { return camera_; }
    /// The operator asks: try to connect now, skipping the reader's wait (also a rejected
    /// login's long one). Nothing without a reader.
    void retryNow();
    /// Seconds until the reader tries again by itself; negative when it is not waiting.
    [[nodiscard]] double nextTrySec() const;

    /// Once per frame for every tile of the panel. A hidden tile pauses its reader; a visible one
    /// picks its stream by size, takes the newest frame and converts it on the GPU.
    void update(bool visible, float widthPx, float heightPx, int visibleTiles, const GlPipeline* pipeline,
                double nowSec);

    [[nodiscard]] TileCondition condition() const { return condition_; }
    [[nodiscard]] const video::StreamStatus& status() const { return status_; }
    [[nodiscard]] const video::StreamStats& stats() const { return stats_; }
    /// Seconds since the newest picture's data arrived from the network; negative before the first.
    [[nodiscard]] double pictureAgeSec() const { return pictureAgeSec_; }
    [[nodiscard]] StreamKind streamKind() const { return policy_.current(); }
    [[nodiscard]] const YuvRenderer& renderer() const { return renderer_; }
    [[nodiscard]] bool hasPicture() const { return renderer_.texture() != 0 && pictureAgeSec_ >= 0.0; }
    /// The stream's URL, redacted for display.
    [[nodiscard]] std::string displayUrl() const;

private:
    void startReader(StreamKind kind);

    ReaderReaper& reaper_;
    LogSinkFactory logFactory_;
    const CameraInfo* camera_ = nullptr;
    std::unique_ptr<video::StreamReader> reader_;
    StreamKind readerKind_ = StreamKind::Sub;
    StreamPolicy policy_;
    YuvRenderer renderer_;
    video::StreamStatus status_;
    video::StreamStats stats_;
    std::chrono::steady_clock::time_point pictureTime_{};
    double pictureAgeSec_ = -1.0;
    TileCondition condition_ = TileCondition::Empty;
    bool paused_ = false;
};

}  // namespace ccoc::wall
