// stream_policy.cpp: sub or main stream by tile size, with hysteresis.
#include "stream_policy.hpp"

namespace ccoc::wall {

StreamKind StreamPolicy::choose(float width, float height, int visibleTiles, bool hasSub, double nowSec)
{
    if (!hasSub) {
        current_ = StreamKind::Main;
        decided_ = true;
        return current_;
    }
    const bool small = width < thresholds_.downWidth || height < thresholds_.downHeight;
    const bool large = width > thresholds_.downWidth * thresholds_.upFactor &&
                       height > thresholds_.downHeight * thresholds_.upFactor;
    const bool crowded = visibleTiles > thresholds_.maxMainTiles;
    StreamKind wanted = current_;
    if (small || crowded) {
        wanted = StreamKind::Sub;
    } else if (large) {
        wanted = StreamKind::Main;
    }
    if (!decided_) {
        // Between the thresholds on the first frame: sub, the cheaper one.
        current_ = (large && !crowded) ? StreamKind::Main : StreamKind::Sub;
        decided_ = true;
        lastSwitchSec_ = nowSec;
        return current_;
    }
    if (wanted != current_ && nowSec - lastSwitchSec_ >= thresholds_.minSwitchIntervalSec) {
        current_ = wanted;
        lastSwitchSec_ = nowSec;
    }
    return current_;
}

}  // namespace ccoc::wall
