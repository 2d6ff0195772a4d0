// packet_arrivals.hpp (private): when each packet came in from the network, carried across the
// decoder to the frame made from it.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace ccoc::video::detail {

/// A picture's age must count from when its data arrived, not from when the decoder let it out:
/// a decoder (or FFmpeg's parser) may hold a frame and release it long after the camera fell
/// silent. FFmpeg 5.1 has no per-packet opaque that survives decoding, but it does copy each
/// packet's pts to the frame made from it, so arrivals are remembered by pts.
/// Thread: the reader thread only.
class PacketArrivals {
 public:
  using Clock = std::chrono::steady_clock;

  /// A packet with this pts (AV_NOPTS_VALUE allowed) arrived at `arrival`.
  void add(std::int64_t pts, Clock::time_point arrival) {
    entries_[next_] = {pts, arrival, true};
    next_ = (next_ + 1) % entries_.size();
    newest_ = arrival;
  }

  /// When the packet of the frame with this pts arrived. A frame whose pts matches no packet
  /// remembered (unknown pts) gets the newest packet's arrival: it came out of the decoder in
  /// answer to that packet, so its data is no fresher than that.
  Clock::time_point arrivalOf(std::int64_t pts, std::int64_t unknownPts) const {
    bool found = false;
    Clock::time_point arrival{};
    for (const Entry& entry : entries_) {
      // A pts seen twice (a clip starting over) means its latest packet.
      const bool match = pts != unknownPts && entry.used && entry.pts == pts;
      if (match && (!found || entry.arrival > arrival)) {
        found = true;
        arrival = entry.arrival;
      }
    }
    return found ? arrival : newest_;
  }

  void clear() { *this = PacketArrivals(); }

 private:
  struct Entry {
    std::int64_t pts = 0;
    Clock::time_point arrival{};
    bool used = false;
  };
  // More than any decoder's reorder delay plus frame threads in flight.
  std::array<Entry, 64> entries_{};
  std::size_t next_ = 0;
  Clock::time_point newest_{};
};

}  // namespace ccoc::video::detail
