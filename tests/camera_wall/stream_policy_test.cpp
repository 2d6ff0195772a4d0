// Sub or main stream by tile size: thresholds, hysteresis, at most one switch per interval.
#include <catch2/catch.hpp>

#include "stream_policy.hpp"

using ccoc::wall::StreamKind;
using ccoc::wall::StreamPolicy;

TEST_CASE("camera_wall/stream policy: sub when small, main when large, hysteresis between")
{
    StreamPolicy policy;
    // 3x3 on 1920x1080: 640x360 tiles sit between the thresholds; the first choice is the cheap one.
    CHECK(policy.choose(426, 300, 9, true, 0.0) == StreamKind::Sub);
    // Maximised: large, but only after the minimum interval.
    CHECK(policy.choose(1900, 1000, 1, true, 1.0) == StreamKind::Sub);
    CHECK(policy.choose(1900, 1000, 1, true, 3.0) == StreamKind::Main);
    // Shrinks to just below the up threshold but above down: stays main (hysteresis).
    CHECK(policy.choose(500, 290, 4, true, 10.0) == StreamKind::Main);
    // Below 400x225: sub, once the interval has passed since the last switch.
    CHECK(policy.choose(390, 220, 16, true, 10.0) == StreamKind::Sub);
    // Between the thresholds again: stays sub.
    CHECK(policy.choose(500, 290, 4, true, 20.0) == StreamKind::Sub);
    // Just above 1.34 x 400x225 = 536x301.5: main.
    CHECK(policy.choose(540, 305, 4, true, 30.0) == StreamKind::Main);
}

TEST_CASE("camera_wall/stream policy: flapping sizes switch at most once per interval")
{
    StreamPolicy policy;
    CHECK(policy.choose(1000, 600, 1, true, 0.0) == StreamKind::Main);
    int switches = 0;
    StreamKind last = StreamKind::Main;
    for (int i = 1; i <= 100; ++i) {
        const double now = i * 0.1;  // 10 s of sizes alternating every frame
        const StreamKind kind = policy.choose(i % 2 ? 200.0f : 1000.0f, i % 2 ? 120.0f : 600.0f, 1, true, now);
        switches += kind != last ? 1 : 0;
        last = kind;
    }
    CHECK(switches <= 4);  // 10 s / 3 s
    CHECK(switches >= 1);
}

TEST_CASE("camera_wall/stream policy: many tiles or no sub stream")
{
    StreamPolicy crowded;
    CHECK(crowded.choose(1000, 600, 17, true, 0.0) == StreamKind::Sub);
    StreamPolicy noSub;
    CHECK(noSub.choose(100, 60, 64, false, 0.0) == StreamKind::Main);
}
