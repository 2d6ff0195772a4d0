// stream_policy.hpp: which stream of a camera a tile should pull (sub or main), by the tile's size
// on screen, with hysteresis and a minimum time between switches.
#pragma once

namespace ccoc::wall {

enum class StreamKind { Sub, Main };

/// Thresholds (pixels of the tile on screen). Below `down` in either dimension the tile takes the
/// sub stream; it goes back to main only above `down * upFactor` in both, so a tile near the edge
/// does not flap. A sub stream is 640x360: a tile under 400x225 shows it at less than 0.63x, and
/// main only pays from about 536x301 (1.34x, the factor Nx Witness uses).
struct StreamThresholds {
    float downWidth = 400.0f;
    float downHeight = 225.0f;
    float upFactor = 1.34f;
    double minSwitchIntervalSec = 3.0;  ///< at most one switch per tile in this time
    int maxMainTiles = 16;  ///< more visible tiles than this: all take the sub stream
};

/// One tile's choice. Thread: main thread (owned by a tile).
class StreamPolicy {
public:
    explicit StreamPolicy(StreamThresholds thresholds = {}) : thresholds_(thresholds) {}

    /// The stream to pull now for a tile of width x height px among `visibleTiles` tiles.
    /// `hasSub` false: always main. The first call decides at once; later ones switch at most
    /// once per minSwitchIntervalSec.
    StreamKind choose(float width, float height, int visibleTiles, bool hasSub, double nowSec);
    [[nodiscard]] StreamKind current() const { return current_; }
    [[nodiscard]] const StreamThresholds& thresholds() const { return thresholds_; }

private:
    StreamThresholds thresholds_;
    StreamKind current_ = StreamKind::Sub;
    bool decided_ = false;
    double lastSwitchSec_ = 0.0;
};

}  // namespace ccoc::wall
