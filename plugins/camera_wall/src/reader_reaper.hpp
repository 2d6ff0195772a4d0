// reader_reaper.hpp: destroys stream readers off the render thread. A StreamReader's destructor
// interrupts its I/O and joins its thread, which can take a few hundred milliseconds; the render
// thread hands readers it no longer needs to this thread instead.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ccoc/video/stream_reader.hpp"

namespace ccoc::wall {

class ReaderReaper {
public:
    ReaderReaper();
    /// Destroys whatever is still queued, then joins.
    ~ReaderReaper();
    ReaderReaper(const ReaderReaper&) = delete;
    ReaderReaper& operator=(const ReaderReaper&) = delete;
    ReaderReaper(ReaderReaper&&) = delete;
    ReaderReaper& operator=(ReaderReaper&&) = delete;

    /// Takes ownership; the reader is destroyed soon on the reaper's thread. Thread: any.
    void retire(std::unique_ptr<video::StreamReader> reader);

private:
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::unique_ptr<video::StreamReader>> queue_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace ccoc::wall
