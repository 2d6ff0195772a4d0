#include "alarm_journal_thread.hpp"

#include <algorithm>

namespace ccoc::alarm_service {
namespace {

constexpr std::chrono::milliseconds kFirstRetry{100};

} // namespace

JournalThread::~JournalThread() { stop(); }

void JournalThread::start(AlarmJournal& writer, Done done, Health health, int maxRetryMs) {
    m_writer = &writer;
    m_done = std::move(done);
    m_health = std::move(health);
    m_maxRetry = std::chrono::milliseconds(std::max(maxRetryMs, static_cast<int>(kFirstRetry.count())));
    m_failing = false;
    m_backoff = std::chrono::milliseconds(0);
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    m_thread = std::thread([this] { run(); });
}

void JournalThread::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void JournalThread::submit(std::unique_ptr<JournalJob> job) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

bool JournalThread::writePending() {
    // Every pending job goes into one transaction, in order: a later batch was built on the
    // earlier ones (the same alarm, the cursor), so they are committed together or not at all.
    bool ok = m_writer->begin();
    for (const auto& job : m_pending) {
        for (const auto& write : job->writes) {
            ok = ok && write(*m_writer);
        }
        if (ok && job->cursor) {
            ok = m_writer->saveCursor(*job->cursor);
        }
    }
    ok = ok && m_writer->commit();
    if (!ok) {
        const std::string error = m_writer->lastError();
        m_writer->rollback();
        for (const auto& job : m_pending) {
            job->error = error;
        }
        return false;
    }
    for (auto& job : m_pending) {
        job->ok = true;
        job->error.clear();
        m_done(std::move(job));
    }
    m_pending.clear();
    return true;
}

void JournalThread::run() {
    for (;;) {
        bool stopping = false;
        {
            std::unique_lock lock(m_mutex);
            if (m_failing) {
                // The next attempt after the back-off, whether or not new batches come meanwhile
                // (they join it): a burst during a fault must not turn into one attempt per batch.
                m_wake.wait_for(lock, m_backoff, [this] { return m_stopping; });
            } else {
                m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            }
            while (!m_queue.empty()) {
                m_pending.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            stopping = m_stopping;
        }
        if (!m_pending.empty()) {
            const bool written = writePending();
            if (written && m_failing) {
                m_failing = false;
                m_backoff = std::chrono::milliseconds(0);
                m_health({true, "", 0});
            } else if (!written) {
                ++m_failedAttempts;
                if (!m_failing) {
                    m_failing = true;
                    m_health({false, m_pending.front()->error, m_pending.size()});
                }
                m_backoff = m_backoff.count() == 0 ? kFirstRetry : std::min(m_backoff * 2, m_maxRetry);
            }
        }
        if (stopping) {
            std::lock_guard lock(m_mutex);
            if (m_queue.empty()) {
                // What still cannot be written goes back unwritten: its events stay in the
                // broker's journal (the cursor never passed them) for the next start.
                for (auto& job : m_pending) {
                    m_done(std::move(job));
                }
                m_pending.clear();
                return;
            }
        }
    }
}

} // namespace ccoc::alarm_service
