// Alarm events handed to the bus by worker threads (see alarm_delivery.hpp).
#include "alarm_delivery.hpp"

namespace ccoc::sia {

namespace {

constexpr size_t kRememberedEvents = 4096;

} // namespace

AlarmDelivery::AlarmDelivery(PublishFn publish, int threads, size_t maxQueued)
    : publish_(std::move(publish)), maxQueued_(maxQueued)
{
    for (int i = 0; i < threads; ++i) {
        workers_.emplace_back([this] { work(); });
    }
}

AlarmDelivery::~AlarmDelivery()
{
    stop();
}

void AlarmDelivery::submit(Job job)
{
    {
        std::lock_guard lock(mutex_);
        if (!stopping_ && queue_.size() < maxQueued_) {
            queue_.push_back(std::move(job));
            wake_.notify_one();
            return;
        }
    }
    job.done(false, "the delivery queue is full or stopping");
}

void AlarmDelivery::stop()
{
    std::deque<Job> abandoned;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
        abandoned.swap(queue_);
        wake_.notify_all();
    }
    for (auto& worker : workers_) {
        worker.join();
    }
    for (auto& job : abandoned) {
        job.done(false, "the driver is stopping");
    }
}

bool AlarmDelivery::alreadyTaken(const std::string& eventId)
{
    std::lock_guard lock(mutex_);
    return taken_.count(eventId) != 0;
}

void AlarmDelivery::remember(const std::string& eventId)
{
    std::lock_guard lock(mutex_);
    if (!taken_.insert(eventId).second) {
        return;
    }
    takenOrder_.push_back(eventId);
    if (takenOrder_.size() > kRememberedEvents) {
        taken_.erase(takenOrder_.front());
        takenOrder_.pop_front();
    }
}

void AlarmDelivery::work()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) {
                return;
            }
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        bool delivered = true;
        std::string why;
        for (size_t i = 0; i < job.events.size() && delivered; ++i) {
            const std::string& eventId = i < job.eventIds.size() ? job.eventIds[i] : std::string();
            if (!eventId.empty() && alreadyTaken(eventId)) {
                continue; // a retransmission: the bus has it already
            }
            delivered = publish_(job.events[i], why);
            if (delivered && !eventId.empty()) {
                remember(eventId);
            }
        }
        job.done(delivered, why);
    }
}

} // namespace ccoc::sia
