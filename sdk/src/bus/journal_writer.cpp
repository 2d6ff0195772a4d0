#include "journal_writer.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
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

void JournalWriter::start(int commitDelayMs, size_t replayLimit, int retryMaxMs) {
    m_commitDelayMs = commitDelayMs;
    m_replayLimit = replayLimit;
    m_retryMaxMs = std::max(retryMaxMs, 100);
    m_held.clear();
    m_backoffMs = 0;
    m_committedSeq = m_journal.lastSeq();
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
    // Held events were published under numbers the journal does not have: leave it marked as
    // running, so the next broker starts beyond them (their senders still hold them and resend).
    m_journal.close(m_held.empty());
    m_held.clear();
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
    if (batch.empty() && m_held.empty()) {
        return;
    }
    const bool wasFailing = !m_held.empty();
    std::vector<StoreRequest> work;
    work.reserve(m_held.size() + batch.size());
    for (StoreRequest& request : m_held) {
        work.push_back(std::move(request));
    }
    m_held.clear();
    for (StoreRequest& request : batch) {
        if (request.knownDuplicate && request.seq <= m_committedSeq) {
            // A resend of a stored event: ack it now, the database need not be asked.
            results.emplace_back(Stored{request.routingId, request.source, request.messageId, request.seq, true, true, false, {}});
        } else if (request.knownDuplicate && wasFailing) {
            // A resend of a held event: absorbed; its ack leaves once the original is stored.
        } else {
            work.push_back(std::move(request));
        }
    }
    batch.clear();
    if (work.empty()) {
        return;
    }
    m_journal.begin();
    std::vector<Stored> done;
    done.reserve(work.size());
    std::string error;
    bool ok = true;
    for (StoreRequest& request : work) {
        Stored stored{request.routingId, request.source, request.messageId, request.seq, true, request.knownDuplicate, false, {}};
        if (!request.knownDuplicate) {
            Journal::Stored where;
            if (!m_journal.store(request.seq, request.source, request.messageId, request.topic, request.envelope,
                                 request.payload, where, error)) {
                ok = false;
                break;
            }
            stored.republished = !where.inserted;
        }
        done.push_back(std::move(stored));
    }
    if (m_commitDelayMs > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(m_commitDelayMs)); // tests: a slow disk
    }
    if (!ok) {
        m_journal.rollback();
    } else {
        ok = m_journal.commit(error); // durable before any ack leaves
    }
    if (!ok) {
        // Hold every event of the transaction, in order; a resend waiting on one is dropped (its
        // sender resends again). Try again after the back-off.
        for (StoreRequest& request : work) {
            if (!request.knownDuplicate) {
                m_held.push_back(std::move(request));
            }
        }
        m_backoffMs = m_backoffMs == 0 ? 100 : std::min(m_backoffMs * 2, m_retryMaxMs);
        results.emplace_back(Health{false, error, m_held.size()});
        return;
    }
    m_backoffMs = 0;
    for (Stored& stored : done) {
        m_committedSeq = std::max(m_committedSeq, stored.seq);
        results.emplace_back(std::move(stored));
    }
    if (wasFailing) {
        results.emplace_back(Health{true, {}, 0});
    }
}

void JournalWriter::run() {
    std::vector<StoreRequest> batch;
    std::vector<Result> results;
    for (;;) {
        std::deque<Request> work;
        bool stopping = false;
        {
            std::unique_lock lock(m_mutex);
            if (m_held.empty()) {
                m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            } else {
                // Failing: wait out the back-off; new requests queue behind the held ones.
                m_wake.wait_for(lock, std::chrono::milliseconds(m_backoffMs), [this] { return m_stopping; });
            }
            work.swap(m_queue);
            stopping = m_stopping;
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
            if (!m_held.empty()) {
                // Held events exist but are not stored yet: the peer must not skip past them.
                replayed.through = std::min(replayed.through, std::max(replayed.after, m_held.front().seq - 1));
            }
            results.emplace_back(std::move(replayed));
        }
        storeBatch(batch, results); // and the held ones, once the back-off is over
        deliver(results);
        if (stopping) {
            return; // what is still held stays unstored: stop() leaves the journal marked running
        }
    }
}

} // namespace ccoc::bus::detail
