// What the service tells the bus about a batch: before its commit, the retained alarm items
// (marked "stored": false), the summary and the camera-wall commands (an operator sees an alarm
// and its camera without waiting for the disk); once it is in the journal, the items again as
// stored, closed items removed, raised and escalated events and the command replies. A commit
// that fails is retried (alarm_journal_thread.cpp): the items stay up, marked not stored.
#include "alarm_service_impl.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ccoc::alarm_service {
namespace {

std::string itemPath(const std::string& id) { return "alarms/item/" + id; }

// Wall commands are a courtesy to the operators: a wall that is not there must not hold up alarms.
constexpr int kWallCommandTtlMs = 3000;
// A wall that is not on the bus (yet) is asked again after 0.5, 1, 2, 4, 8 and 16 s, then given up.
constexpr int kWallAttempts = 7;
constexpr int64_t kWallFirstRetryUs = 500000;

} // namespace

std::string AlarmService::Impl::encodeItem(const alarm::AlarmRecord& record) const {
    if (!unstored.contains(record.id)) {
        return alarm::encodeRecord(record);
    }
    alarm::AlarmRecord shown = record;
    shown.stored = false;
    return alarm::encodeRecord(shown);
}

void AlarmService::Impl::publishAll() {
    for (const alarm::AlarmRecord* record : book.all()) {
        if (bus::Status published = client->publishState(itemPath(record->id), encodeItem(*record));
            !published.ok()) {
            log(LogLevel::Warning, "cannot publish alarm " + record->id + ": " + published.error);
        }
    }
    lastSummary = alarm::encodeSummary(book.summary());
    (void)client->publishState("alarms/summary", lastSummary);
    std::lock_guard lock(statsMutex);
    stats.open = static_cast<int64_t>(book.size());
}

void AlarmService::Impl::pushOpenAlarmsToWalls() {
    // After a restart the walls start from the site's layouts: the cameras of alarms nobody has
    // acknowledged yet go back up, oldest first so the newest wins a shared tile.
    std::vector<const alarm::AlarmRecord*> waiting;
    for (const alarm::AlarmRecord* record : book.all()) {
        if (record->state == alarm::State::New) {
            waiting.push_back(record);
        }
    }
    std::sort(waiting.begin(), waiting.end(),
              [](const alarm::AlarmRecord* a, const alarm::AlarmRecord* b) { return a->receivedUs < b->receivedUs; });
    for (const alarm::AlarmRecord* record : waiting) {
        for (const WallCommand& wall : wallCommandsFor(site, *record)) {
            sendWall(wall, 1);
        }
    }
}

void AlarmService::Impl::removeStaleItems(const std::vector<std::string>& retainedIds) {
    for (const std::string& id : retainedIds) {
        if (book.find(id) != nullptr) {
            continue;
        }
        log(LogLevel::Info, "alarm " + id + " is not open: its item left on the bus is removed");
        if (bus::Status removed = client->removeState(itemPath(id)); !removed.ok()) {
            log(LogLevel::Warning, "cannot remove the item of alarm " + id + ": " + removed.error);
        }
    }
}

void AlarmService::Impl::publishEarly(BatchEffects& effects) {
    for (const std::string& id : effects.changed) {
        const alarm::AlarmRecord* record = book.find(id);
        if (record == nullptr || record->state == alarm::State::Closed) {
            continue; // a removal waits for the journal
        }
        if (bus::Status published = client->publishState(itemPath(id), encodeItem(*record)); !published.ok()) {
            log(LogLevel::Warning, "cannot publish alarm " + id + ": " + published.error);
        }
    }
    for (const WallCommand& wall : effects.walls) {
        sendWall(wall, 1);
    }
    effects.walls.clear();
    const std::string summary = alarm::encodeSummary(book.summary());
    if (summary != lastSummary) {
        lastSummary = summary;
        (void)client->publishState("alarms/summary", summary);
    }
}

void AlarmService::Impl::publish(BatchEffects& effects) {
    // Replies carry the record as it is after the whole batch; take it before closed ones go.
    for (auto& reply : effects.replies) {
        if (const alarm::AlarmRecord* record = book.find(reply.alarmId)) {
            reply.resultJson = alarm::encodeRecord(*record);
        }
    }
    for (const std::string& id : effects.changed) {
        const alarm::AlarmRecord* record = book.find(id);
        if (record == nullptr) {
            continue;
        }
        if (unstored.contains(id)) {
            continue; // a later batch changed it too: published as stored once that one is in
        }
        bus::Status published = record->state == alarm::State::Closed
                                    ? client->removeState(itemPath(id))
                                    : client->publishState(itemPath(id), encodeItem(*record));
        if (!published.ok()) {
            log(LogLevel::Warning, "cannot publish alarm " + id + ": " + published.error);
        }
        if (record->state == alarm::State::Closed) {
            book.forget(id);
        }
    }
    bus::PublishOptions reliable;
    reliable.reliable = true;
    for (const std::string& id : effects.raised) {
        if (const alarm::AlarmRecord* record = book.find(id)) {
            (void)client->publishEvent("alarms/raised", alarm::encodeRecord(*record), reliable);
        }
    }
    for (const std::string& id : effects.escalated) {
        if (const alarm::AlarmRecord* record = book.find(id)) {
            const nlohmann::json escalated{
                {"id", id}, {"priority", record->priority}, {"screen", site.alarms.supervisorScreen}};
            (void)client->publishEvent("alarms/escalated", escalated.dump(), reliable);
            log(LogLevel::Warning, "alarm " + id + " unacknowledged: escalated to priority " +
                                       std::to_string(record->priority));
        }
    }
    for (const WallCommand& wall : effects.walls) {
        sendWall(wall, 1);
    }
    const std::string summary = alarm::encodeSummary(book.summary());
    if (summary != lastSummary) {
        lastSummary = summary;
        (void)client->publishState("alarms/summary", summary);
    }
    for (auto& reply : effects.replies) {
        if (reply.resultFromJournal) {
            reply.resultJson = *reply.resultFromJournal;
        }
        reply.responder.answer({reply.status, reply.message, reply.resultJson.empty() ? "null" : reply.resultJson});
    }
    std::lock_guard lock(statsMutex);
    stats.commands += effects.replies.size();
    stats.escalations += effects.escalated.size();
    stats.open = static_cast<int64_t>(book.size());
}

void AlarmService::Impl::sendWall(const WallCommand& wall, int attempt) {
    bus::Command command;
    command.device = wall.device;
    command.action = "wall.set_tile";
    command.argsJson = wall.argsJson;
    command.ttlMs = kWallCommandTtlMs;
    const bus::Status sent = client->sendCommand(command, [this, wall, attempt](const bus::Reply& reply) {
        if (reply.status == bus::CommandStatus::Ok) {
            return;
        }
        const bool again = (reply.status == bus::CommandStatus::Unavailable || reply.status == bus::CommandStatus::Timeout) &&
                           attempt < kWallAttempts;
        const std::string what = "wall.set_tile to " + wall.device + ": " +
                                 std::string(bus::commandStatusName(reply.status)) + " " + reply.message;
        if (again) {
            // A host starting up, or a wall restarting: usual for a few seconds, so not a warning
            // until the service gives up.
            const int64_t waitUs = kWallFirstRetryUs << (attempt - 1);
            log(LogLevel::Info, what + " (asking again in " + std::to_string(waitUs / 1000) + " ms)");
            std::lock_guard lock(wallMutex);
            wallRetries.push_back({wall, attempt + 1, wallClockUs() + waitUs});
        } else {
            log(LogLevel::Warning, what + (attempt > 1 ? " (gave up after " + std::to_string(attempt) + " attempts)" : ""));
        }
    });
    if (!sent.ok()) {
        log(LogLevel::Warning, "cannot send wall.set_tile to " + wall.device + ": " + sent.error);
    }
}

void AlarmService::Impl::sendDueWalls(int64_t nowUs) {
    std::vector<WallRetry> due;
    {
        std::lock_guard lock(wallMutex);
        for (auto it = wallRetries.begin(); it != wallRetries.end();) {
            if (it->dueUs <= nowUs) {
                due.push_back(std::move(*it));
                it = wallRetries.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (const WallRetry& retry : due) {
        sendWall(retry.wall, retry.attempt);
    }
}

} // namespace ccoc::alarm_service
