// AlarmService: configuration, start and stop, the queue between the bus client's I/O thread and
// the worker, and the worker's loop.
#include "alarm_service.hpp"
#include "alarm_service_impl.hpp"

#include "ccoc/bus/site_config.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <cstdio>
#include <cstdlib>

namespace ccoc::alarm_service {
namespace {

std::string envOr(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

// The worker takes at most this many queued items into one batch.
constexpr size_t kMaxBatch = 1000;

void removeTemporaryJournal(std::string& path) {
    if (path.empty()) {
        return;
    }
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path + suffix, ignored);
    }
    path.clear();
}

} // namespace

int64_t wallClockUs() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

bus::Status alarmServiceConfigFromSite(const site::Site& site, AlarmServiceConfig& config) {
    // Its own key on a CURVE bus: the [[bus.allow]] entry named "alarms" (the host's key would
    // prove another source id, and the broker would drop everything the service sends).
    const bus::PeerNeeds needs{{"state/alarms/", "event/alarms/", "cmd/"}, {"alarms"}};
    if (bus::Status read = bus::peerClientConfigFromSite(site.bus, "alarms", config.bus, needs); !read.ok()) {
        return read;
    }
    config.bus.frontendEndpoint = envOr("CCOC_BUS_FRONTEND", site.bus.frontend);
    config.bus.publisherEndpoint = envOr("CCOC_BUS_PUBLISHER", site.bus.publisher);
    config.journalPath = site.alarms.journal;
    // The embedded broker without a journal file starts empty with the host: all of it is news.
    config.replayBusJournalOnFirstStart = site.bus.embeddedBroker && site.bus.journal.empty();
    return bus::Status::success();
}

AlarmService::Impl::Impl(const site::Site& siteRef, AlarmServiceConfig configIn)
    : site(siteRef), config(std::move(configIn)), book(siteRef) {}

void AlarmService::Impl::log(LogLevel level, const std::string& message) const {
    if (config.log) {
        config.log(level, message);
        return;
    }
    const char* tag = level == LogLevel::Error ? "error" : level == LogLevel::Warning ? "warning" : "info";
    std::fprintf(stderr, "[%s] alarms: %s\n", tag, message.c_str());
}

void AlarmService::Impl::enqueue(Work work) {
    {
        std::lock_guard lock(queueMutex);
        queue.push_back(std::move(work));
    }
    queueWake.notify_one();
}

void AlarmService::Impl::sweepRetained() {
    bus::ClientConfig mirrorConfig = config.bus;
    // On a CURVE bus the key proves "alarms", so the sweep (a tool, not a second driver) says so.
    mirrorConfig.sourceId = mirrorConfig.curve ? "alarms" : "alarms.sweep";
    mirrorConfig.role = bus::Role::Tool;
    mirrorConfig.devices.clear();
    mirrorConfig.mirrorState = true;
    mirrorConfig.receiveReliableEvents = false;
    bus::Client mirror(mirrorConfig);
    if (!mirror.start().ok()) {
        return;
    }
    // Until the broker answers (it may come later), but not past stop().
    while (!mirror.waitReady(200)) {
        std::lock_guard lock(queueMutex);
        if (stopping) {
            return;
        }
    }
    std::vector<std::string> ids;
    for (const bus::StateEntry& entry : mirror.stateSnapshot("alarms/item")) {
        ids.push_back(entry.path.substr(entry.path.rfind('/') + 1));
    }
    mirror.stop();
    Work work;
    work.retainedIds = std::move(ids);
    enqueue(std::move(work));
}

void AlarmService::Impl::run() {
    std::unique_lock lock(queueMutex);
    while (true) {
        const int64_t wakeUs = nextWakeUs();
        const int64_t waitUs = std::max<int64_t>(0, std::min<int64_t>(wakeUs - wallClockUs(), 1000000));
        queueWake.wait_for(lock, std::chrono::microseconds(waitUs), [this] { return stopping || !queue.empty(); });
        // Finish what came before stop: a reliable event queued here is already acknowledged by
        // the broker but is only safe once journalled.
        std::deque<Work> batch;
        while (!queue.empty() && batch.size() < kMaxBatch) {
            batch.push_back(std::move(queue.front()));
            queue.pop_front();
        }
        const bool last = stopping && queue.empty();
        lock.unlock();
        processBatch(batch);
        lock.lock();
        if (last) {
            return;
        }
    }
}

AlarmService::AlarmService(const site::Site& site, AlarmServiceConfig config)
    : impl_(std::make_unique<Impl>(site, std::move(config))) {}

AlarmService::~AlarmService() { stop(); }

bus::Status AlarmService::start() {
    Impl& impl = *impl_;
    if (impl.worker.joinable()) {
        return bus::Status::failure("the alarm service is already running");
    }
    std::string error;
    std::string path = impl.config.journalPath;
    if (path.empty()) {
        // "In memory": a private file removed at stop, so the worker can read through a second
        // connection while the journal thread writes (WAL).
        std::string pattern = (std::filesystem::temp_directory_path() / "ccoc-alarms-XXXXXX").string();
        const int fd = ::mkstemp(pattern.data());
        if (fd < 0) {
            return bus::Status::failure("cannot create a temporary alarm journal in " +
                                        std::filesystem::temp_directory_path().string());
        }
        ::close(fd);
        path = impl.temporaryJournal = pattern;
    }
    impl.journal = AlarmJournal::open(path, error);
    if (impl.journal) {
        impl.reader = AlarmJournal::open(path, error);
    }
    if (!impl.journal || !impl.reader) {
        impl.journal.reset();
        removeTemporaryJournal(impl.temporaryJournal);
        return bus::Status::failure(error);
    }
    if (impl.config.journalPath.empty()) {
        impl.log(LogLevel::Warning, "no [alarms] journal in the site file: alarms are kept in memory only and lost "
                                    "when the service stops");
    }
    impl.book.load(impl.journal->openAlarms(), impl.journal->lastNumber());
    if (!impl.journal->lastError().empty()) {
        impl.log(LogLevel::Error, impl.journal->lastError());
    }
    impl.cursor = impl.journal->cursor();
    for (const alarm::AlarmRecord* record : impl.book.all()) {
        impl.armEscalation(*record, record->receivedUs);
    }

    bus::ClientConfig busConfig = impl.config.bus;
    busConfig.sourceId = "alarms";
    busConfig.role = bus::Role::Driver;
    busConfig.devices = {"alarms"};
    busConfig.receiveReliableEvents = true;
    busConfig.mirrorState = false;
    busConfig.callbacks = bus::ClientConfig::Callbacks::IoThread;
    // Resume where the journal says this service stopped: events sent while it was down are
    // replayed by the broker (duplicates are stored once, by event_id).
    busConfig.eventCursorJournal = impl.cursor.journal;
    busConfig.eventCursorSeq = impl.cursor.eventSeq;
    if (impl.cursor.journal.empty() && impl.config.replayBusJournalOnFirstStart) {
        // No journal has this id, so the client replays the broker's journal from its start.
        busConfig.eventCursorJournal = "none-yet";
    }
    busConfig.onEventsSettled = [&impl](const std::string& busJournal, uint64_t through) {
        Work work;
        work.replayEnd = std::make_pair(busJournal, through);
        impl.enqueue(std::move(work));
    };
    impl.client = std::make_unique<bus::Client>(busConfig);
    impl.client->subscribe("event", [&impl](const bus::Message& message) {
        Work work;
        work.event = message;
        impl.enqueue(std::move(work));
    });
    impl.client->serveCommands([&impl](const bus::IncomingCommand& command, bus::Responder responder) {
        Work work;
        work.command = command;
        work.responder = std::move(responder);
        impl.enqueue(std::move(work));
    });
    if (bus::Status started = impl.client->start(); !started.ok()) {
        impl.client.reset();
        impl.journal.reset();
        impl.reader.reset();
        removeTemporaryJournal(impl.temporaryJournal);
        return started;
    }
    // The open alarms as they were; the client keeps them and republishes after each welcome.
    impl.publishAll();
    impl.pushOpenAlarmsToWalls();
    // A reliable mark of this start in the broker's journal: on a first start it reaches the
    // worker at once, which stores where in the journal this service begins, so a crash before
    // the first alarm still resumes from there.
    bus::PublishOptions reliable;
    reliable.reliable = true;
    (void)impl.client->publishEvent("alarms/started", "{\"session\":\"" + impl.client->sessionId() + "\"}", reliable);
    {
        std::lock_guard lock(impl.queueMutex);
        impl.stopping = false;
    }
    // Said before the worker starts: from then on only the worker touches the book.
    impl.log(LogLevel::Info, std::to_string(impl.book.all().size()) + " open alarm(s) loaded from " +
                                 (impl.config.journalPath.empty() ? std::string("memory") : impl.config.journalPath));
    // The journal is healthy as far as anyone knows: a fault a previous run left on the bus is over.
    impl.publishJournalHealth(wallClockUs());
    impl.journalThread.start(
        *impl.journal,
        [&impl](std::unique_ptr<JournalJob> job) {
            Work work;
            work.done = std::move(job);
            impl.enqueue(std::move(work));
        },
        [&impl](const JournalHealthChange& change) {
            Work work;
            work.health = change;
            impl.enqueue(std::move(work));
        },
        impl.config.journalRetryMaxMs);
    impl.worker = std::thread([&impl] { impl.run(); });
    impl.sweeper = std::thread([&impl] { impl.sweepRetained(); });
    return bus::Status::success();
}

void AlarmService::stop() {
    Impl& impl = *impl_;
    if (impl.worker.joinable()) {
        {
            std::lock_guard lock(impl.queueMutex);
            impl.stopping = true;
        }
        impl.queueWake.notify_all();
        impl.sweeper.join();
        impl.worker.join();
        // Writes what the worker handed over, then finishes those batches here (the worker is
        // gone): replies, closed items leaving the bus, raised events.
        impl.journalThread.stop();
        std::deque<Work> left;
        {
            std::lock_guard lock(impl.queueMutex);
            left.swap(impl.queue);
        }
        for (Work& work : left) {
            if (work.done) {
                impl.finishJob(std::move(work.done));
            }
        }
        if (!impl.unwrittenAtStop.empty()) {
            std::string ids;
            for (const std::string& id : impl.unwrittenAtStop) {
                ids += (ids.empty() ? "" : ", ") + id;
            }
            impl.log(LogLevel::Error, "stopped with the alarm journal unwritable (" + impl.unwrittenError +
                                          "): alarm(s) " + ids + " not stored; their events stay in the bus journal "
                                          "and are taken again at the next start");
            impl.unwrittenAtStop.clear();
        }
    }
    if (impl.client) {
        impl.client->stop();
        impl.client.reset();
    }
    {
        // Anything queued after the worker ended (commands get their "driver dropped" answer).
        std::lock_guard lock(impl.queueMutex);
        impl.queue.clear();
    }
    impl.journal.reset();
    impl.reader.reset();
    removeTemporaryJournal(impl.temporaryJournal);
}

bool AlarmService::waitReady(int timeoutMs) { return impl_->client && impl_->client->waitReady(timeoutMs); }

AlarmServiceStats AlarmService::stats() const {
    std::lock_guard lock(impl_->statsMutex);
    AlarmServiceStats stats = impl_->stats;
    stats.journalAttemptsFailed = impl_->journalThread.failedAttempts();
    return stats;
}

} // namespace ccoc::alarm_service
