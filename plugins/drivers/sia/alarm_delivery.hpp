// Hands alarm events to the bus off the network thread: a waiting publish (until the broker has
// journalled the event) must not stall the other panels' connections. Worker threads take jobs
// from a bounded queue; each job's completion says whether every event was taken, so the frame
// is ACKed only then. Events taken recently are remembered by event_id, so a panel's
// retransmission (its ACK was lost) is ACKed again without a second event on the bus.
#pragma once

#include "frame_processor.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace ccoc::sia {

class AlarmDelivery {
public:
    // [worker-thread] Publishes one reliable event and returns once the bus has taken it (or
    // failed: false, with the reason in `why`). May block up to its own timeout.
    using PublishFn = std::function<bool(const Publication& event, std::string& why)>;
    // [worker-thread] The job's result; `why` says what failed.
    using DoneFn = std::function<void(bool delivered, const std::string& why)>;

    struct Job {
        std::vector<Publication> events;
        std::vector<std::string> eventIds; // one per event, for the retransmission memory
        DoneFn done;
    };

    AlarmDelivery(PublishFn publish, int threads, size_t maxQueued);
    ~AlarmDelivery(); // stops
    AlarmDelivery(const AlarmDelivery&) = delete;
    AlarmDelivery& operator=(const AlarmDelivery&) = delete;
    AlarmDelivery(AlarmDelivery&&) = delete;
    AlarmDelivery& operator=(AlarmDelivery&&) = delete;

    // [any-thread] Queues a job; when the queue is full or stopping, done(false, ...) is called now.
    void submit(Job job);
    // [driver-thread] Finishes the jobs being published, fails the queued ones. Idempotent.
    void stop();

private:
    void work();
    bool alreadyTaken(const std::string& eventId);
    void remember(const std::string& eventId);

    PublishFn publish_;
    size_t maxQueued_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;                 // guarded by mutex_
    bool stopping_ = false;                 // guarded by mutex_
    std::set<std::string> taken_;           // guarded by mutex_
    std::deque<std::string> takenOrder_;    // guarded by mutex_; oldest first, bounded
    std::vector<std::thread> workers_;
};

} // namespace ccoc::sia
