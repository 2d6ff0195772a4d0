// reader_reaper.cpp: a thread that joins stream readers so the render thread never does.
#include "reader_reaper.hpp"

namespace ccoc::wall {

ReaderReaper::ReaderReaper() : thread_([this] { run(); }) {}

ReaderReaper::~ReaderReaper()
{
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void ReaderReaper::retire(std::unique_ptr<video::StreamReader> reader)
{
    if (!reader) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(reader));
    }
    wake_.notify_one();
}

void ReaderReaper::run()
{
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        auto batch = std::move(queue_);
        queue_.clear();
        const bool stopping = stop_;
        lock.unlock();
        batch.clear();  // the joins happen here, outside the lock
        lock.lock();
        if (stopping && queue_.empty()) {
            return;
        }
    }
}

}  // namespace ccoc::wall
