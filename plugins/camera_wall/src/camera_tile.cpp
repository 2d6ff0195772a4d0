// camera_tile.cpp: reader lifecycle, stream choice and frame upload of one tile.
#include "camera_tile.hpp"

#include "ccoc/video/url_redaction.hpp"

namespace ccoc::wall {

CameraTile::CameraTile(ReaderReaper& reaper, LogSinkFactory logFactory)
    : reaper_(reaper), logFactory_(std::move(logFactory))
{
}

CameraTile::~CameraTile()
{
    reaper_.retire(std::move(reader_));
}

void CameraTile::setCamera(const CameraInfo* camera)
{
    if (camera == camera_) {
        return;
    }
    reaper_.retire(std::move(reader_));
    camera_ = camera;
    policy_ = StreamPolicy();
    status_ = {};
    stats_ = {};
    pictureAgeSec_ = -1.0;
    pictureTime_ = {};
    paused_ = false;
    condition_ = camera_ != nullptr ? TileCondition::Connecting : TileCondition::Empty;
}

void CameraTile::startReader(StreamKind kind)
{
    video::StreamOptions options;
    options.url = kind == StreamKind::Sub && !camera_->subUrl.empty() ? camera_->subUrl : camera_->url;
    options.username = camera_->username;
    options.password = camera_->password;
    // Offline within 3 s of a camera going silent: the read deadline sits below that. The open
    // deadline sits below the read deadline, so a camera that accepts and never answers is
    // reported as "timeout" by the open's own deadline.
    options.readTimeout = std::chrono::milliseconds(2800);
    options.openTimeout = std::chrono::milliseconds(2400);
    options.backoffMax = std::chrono::milliseconds(4000);
    options.loopFiles = true;
    if (logFactory_) {
        options.log = logFactory_(camera_->id);
    }
    reaper_.retire(std::move(reader_));
    reader_ = std::make_unique<video::StreamReader>(std::move(options));
    readerKind_ = kind;
    paused_ = false;
}

void CameraTile::update(bool visible, float widthPx, float heightPx, int visibleTiles, const GlPipeline* pipeline,
                        double nowSec)
{
    if (camera_ == nullptr) {
        condition_ = TileCondition::Empty;
        return;
    }
    if (!visible) {
        // Hidden tiles stop decoding; the reader disconnects and waits for resume().
        if (reader_ && !paused_) {
            reader_->pause();
            paused_ = true;
        }
        condition_ = TileCondition::Paused;
        return;
    }
    const StreamKind wanted = policy_.choose(widthPx, heightPx, visibleTiles, !camera_->subUrl.empty(), nowSec);
    if (!reader_ || wanted != readerKind_) {
        // The old picture stays on screen (with its age) until the new stream's first frame.
        startReader(wanted);
    } else if (paused_) {
        reader_->resume();
        paused_ = false;
    }
    if (auto frame = reader_->takeFrame()) {
        if (pipeline != nullptr) {
            renderer_.render(*frame, *pipeline);
        }
        pictureTime_ = frame->info().arrival;
    }
    status_ = reader_->status();
    stats_ = reader_->stats();
    const auto now = std::chrono::steady_clock::now();
    pictureAgeSec_ = pictureTime_ == std::chrono::steady_clock::time_point{}
                         ? -1.0
                         : std::chrono::duration<double>(now - pictureTime_).count();
    const bool fresh = pictureAgeSec_ >= 0.0 && pictureAgeSec_ <= kStaleAfterSec;
    switch (status_.state) {
    case video::StreamState::Live:
        condition_ = fresh ? TileCondition::Live : (pictureAgeSec_ < 0.0 ? TileCondition::Connecting : TileCondition::Stale);
        break;
    case video::StreamState::Offline:
        condition_ = TileCondition::Offline;
        break;
    case video::StreamState::Paused:
        condition_ = TileCondition::Paused;
        break;
    case video::StreamState::Connecting:
    default:
        condition_ = TileCondition::Connecting;
        break;
    }
}

void CameraTile::retryNow()
{
    if (reader_) {
        reader_->retryNow();
    }
}

double CameraTile::nextTrySec() const
{
    if (status_.state != video::StreamState::Offline || status_.nextAttempt == std::chrono::steady_clock::time_point{}) {
        return -1.0;
    }
    return std::chrono::duration<double>(status_.nextAttempt - std::chrono::steady_clock::now()).count();
}

std::string CameraTile::displayUrl() const
{
    if (reader_) {
        return reader_->displayUrl();
    }
    return camera_ != nullptr ? video::redactUrl(camera_->url) : std::string();
}

}  // namespace ccoc::wall
