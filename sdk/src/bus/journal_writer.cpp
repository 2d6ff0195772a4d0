#include "journal_writer.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>

namespace ccoc::bus::detail {

JournalWriter::JournalWriter() : m_wakeFd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

JournalWriter::~JournalWriter() {
    stop();
    if (m_wakeFd >= 0) {
        ::close(m_wakeFd);
    }
}

Status JournalWriter::open(const std::string& path, size_t keep) {
    if (m_wakeFd < 0) {
        return Status::failure("bus journal: cannot create the journal thread's wake-up descriptor");
    }
    return m_journal.open(path, keep);
}

void JournalWriter::start(int commitDelayMs, size_t replayLimit) {
    m_commitDelayMs = commitDelayMs;
    m_replayLimit = replayLimit;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    m_thread = std::thread([this] { run(); });
}

void JournalWriter::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
    m_journal.close();
    std::lock_guard lock(m_resultMutex);
    m_results.clear();
}

void JournalWriter::submit(StoreRequest request) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.emplace_back(std::move(request));
    }
    m_wake.notify_one();
}

void JournalWriter::submit(ReplayRequest request) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.emplace_back(std::move(request));
    }
    m_wake.notify_one();
}

void JournalWriter::take(std::vector<Result>& out) {
    uint64_t count = 0;
    [[maybe_unused]] const ssize_t read = ::read(m_wakeFd, &count, sizeof count); // EAGAIN: nothing new
    std::lock_guard lock(m_resultMutex);
    for (Result& result : m_results) {
        out.push_back(std::move(result));
    }
    m_results.clear();
}

void JournalWriter::deliver(std::vector<Result>& results) {
    if (results.empty()) {
        return;
    }
    {
        std::lock_guard lock(m_resultMutex);
        for (Result& result : results) {
            m_results.push_back(std::move(result));
        }
    }
    results.clear();
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(m_wakeFd, &one, sizeof one);
}

void JournalWriter::storeBatch(std::vector<StoreRequest>& batch, std::vector<Result>& results) {
    if (batch.empty()) {
        return;
    }
    m_journal.begin();
    std::vector<Stored> done;
    done.reserve(batch.size());
    for (StoreRequest& request : batch) {
        Stored stored{request.routingId, request.source, request.messageId, request.seq, true, request.knownDuplicate, false, {}};
        if (!request.knownDuplicate) {
            Journal::Stored where;
            stored.ok = m_journal.store(request.seq, request.source, request.messageId, request.topic, request.envelope,
                                        request.payload, where, stored.error);
            stored.republished = stored.ok && !where.inserted;
        }
        done.push_back(std::move(stored));
    }
    if (m_commitDelayMs > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(m_commitDelayMs)); // tests: a slow disk
    }
    m_journal.commit(); // durable before any ack leaves
    for (Stored& stored : done) {
        results.emplace_back(std::move(stored));
    }
    batch.clear();
}

void JournalWriter::run() {
    std::vector<StoreRequest> batch;
    std::vector<Result> results;
    for (;;) {
        std::deque<Request> work;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) {
                return; // stopping with nothing left
            }
            work.swap(m_queue);
        }
        for (Request& request : work) {
            if (auto* store = std::get_if<StoreRequest>(&request)) {
                batch.push_back(std::move(*store));
                continue;
            }
            // A replay sees every store submitted before it: commit those first.
            storeBatch(batch, results);
            auto& replay = std::get<ReplayRequest>(request);
            Replayed replayed{replay.routingId, replay.requestId, replay.after, replay.through, {}};
            m_journal.replay(replay.after, m_replayLimit,
                             [&](uint64_t seq, std::string_view topic, std::string_view envelope,
                                 std::string_view payload) {
                                 replayed.rows.push_back(
                                     Row{seq, std::string(topic), std::string(envelope), std::string(payload)});
                             });
            if (replayed.rows.size() >= m_replayLimit) {
                replayed.through = replayed.rows.back().seq; // the rest comes with the next request
            }
            results.emplace_back(std::move(replayed));
        }
        storeBatch(batch, results);
        deliver(results);
    }
}

} // namespace ccoc::bus::detail
