#include "alarm_journal_thread.hpp"

namespace ccoc::alarm_service {

JournalThread::~JournalThread() { stop(); }

void JournalThread::start(AlarmJournal& writer, Done done) {
    m_writer = &writer;
    m_done = std::move(done);
    m_failed = false;
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
        m_queue.push_back(Item{std::move(job), nullptr});
    }
    m_wake.notify_one();
}

JournalState JournalThread::reset() {
    std::promise<JournalState> promise;
    std::future<JournalState> future = promise.get_future();
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(Item{nullptr, &promise});
    }
    m_wake.notify_one();
    return future.get();
}

void JournalThread::writeGroup(std::vector<std::unique_ptr<JournalJob>>& group) {
    if (group.empty()) {
        return;
    }
    bool ok = !m_failed && m_writer->begin();
    std::string error = m_failed ? "an earlier batch was not written" : ok ? "" : m_writer->lastError();
    if (ok) {
        for (const auto& job : group) {
            for (const auto& write : job->writes) {
                ok = ok && write(*m_writer);
            }
            if (ok && job->cursor) {
                ok = m_writer->saveCursor(*job->cursor);
            }
        }
        ok = ok && m_writer->commit();
        if (!ok) {
            error = m_writer->lastError();
            m_writer->rollback();
        }
    }
    m_failed = !ok;
    for (auto& job : group) {
        job->ok = ok;
        job->error = error;
        m_done(std::move(job));
    }
    group.clear();
}

void JournalThread::run() {
    std::vector<std::unique_ptr<JournalJob>> group;
    for (;;) {
        std::deque<Item> work;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) {
                return; // stopping, everything written
            }
            work.swap(m_queue);
        }
        for (Item& item : work) {
            if (item.job) {
                group.push_back(std::move(item.job));
                continue;
            }
            writeGroup(group);
            JournalState state;
            state.open = m_writer->openAlarms();
            state.lastNumber = m_writer->lastNumber();
            state.cursor = m_writer->cursor();
            state.error = m_writer->lastError();
            m_failed = false;
            item.reset->set_value(std::move(state));
        }
        writeGroup(group);
    }
}

} // namespace ccoc::alarm_service
