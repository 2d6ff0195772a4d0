// What the worker does with one batch: alarm events and commands into the journal in one
// transaction, then (only once committed) the retained state, events, wall commands and replies.
#include "alarm_service_impl.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ccoc::alarm_service {
namespace {

constexpr int64_t kUsPerSecond = 1000000;

// "DEVICE/alarm": the topic event/DEVICE/alarm/ of the contract.
bool isAlarmPath(const std::string& path) {
    const size_t slash = path.find('/');
    return slash != std::string::npos && slash > 0 && path.compare(slash, std::string::npos, "/alarm") == 0;
}


} // namespace

void AlarmService::Impl::armEscalation(const alarm::AlarmRecord& record, int64_t fromUs) {
    const EscalationPolicy policy = escalationFor(site, record);
    if (policy.afterS <= 0 || record.state != alarm::State::New) {
        escalations.erase(record.id);
        return;
    }
    escalations[record.id] = Escalation{policy, fromUs + (record.escalated + 1) * policy.afterS * kUsPerSecond};
}

int64_t AlarmService::Impl::nextWakeUs() const {
    int64_t next = INT64_MAX;
    for (const auto& [id, escalation] : escalations) {
        next = std::min(next, escalation.nextUs);
    }
    std::lock_guard lock(wallMutex);
    for (const WallRetry& retry : wallRetries) {
        next = std::min(next, retry.dueUs);
    }
    return next;
}

void AlarmService::Impl::advanceCursor(const bus::Message& message, BatchEffects& effects) {
    const std::string& journalId = message.journal;
    if (!message.reliable || message.eventSeq == 0 || journalId.empty()) {
        return;
    }
    if (cursor.journal.empty()) {
        // A first start: the client began at its first welcome; this is where the journal's
        // history ends for this service (what comes before it was never news to it).
        cursor = BusCursor{journalId, message.eventSeq - 1};
        effects.cursorMoved = true;
    } else if (journalId != cursor.journal) {
        // Another broker journal: its numbers start again (the client replays it from its start).
        cursor = BusCursor{journalId, 0};
        handledAbove.clear();
        highestTaken = 0;
        effects.cursorMoved = true;
    }
    highestTaken = std::max(highestTaken, message.eventSeq);
    if (message.eventSeq <= cursor.eventSeq) {
        return;
    }
    handledAbove.insert(message.eventSeq);
    while (!handledAbove.empty() && *handledAbove.begin() == cursor.eventSeq + 1) {
        handledAbove.erase(handledAbove.begin());
        ++cursor.eventSeq;
        effects.cursorMoved = true;
    }
    // Events below such a gap never reached this service (each one taken is in a batch written
    // before, or with, the cursor that passes it): a gap this wide was trimmed by the broker.
    if (handledAbove.size() > std::max<size_t>(config.cursorGapLimit, 1)) {
        cursor.eventSeq = *handledAbove.rbegin();
        handledAbove.clear();
        effects.cursorMoved = true;
    }
}

void AlarmService::Impl::takeReplayEnd(const std::string& busJournal, uint64_t through, BatchEffects& effects) {
    // Every event of this journal up to `through` has reached this worker or does not exist (a
    // broker that died left numbers unused): the cursor crosses such a gap now instead of waiting
    // for cursorGapLimit later events, and a restart does not replay what is already stored.
    // Each event up to `through` was taken into a batch before this one, so the cursor saved with
    // this batch is committed with or after them. Not past an event held back, though.
    if (busJournal != cursor.journal || through <= cursor.eventSeq || fault.cursorFrozen) {
        return;
    }
    cursor.eventSeq = through;
    handledAbove.erase(handledAbove.begin(), handledAbove.upper_bound(through));
    while (!handledAbove.empty() && *handledAbove.begin() == cursor.eventSeq + 1) {
        handledAbove.erase(handledAbove.begin());
        ++cursor.eventSeq;
    }
    effects.cursorMoved = true;
}

void AlarmService::Impl::takeEvent(const bus::Message& message, JournalJob& job) {
    BatchEffects& effects = *job.effects;
    const bool beyondBound = fault.failing && eventsWaiting + job.eventKeys.size() >= config.maxUnstoredEvents;
    if (message.reliable && message.eventSeq != 0 && (fault.cursorFrozen || beyondBound)) {
        holdEvent(message, isAlarmPath(message.path));
        return;
    }
    advanceCursor(message, effects);
    if (!isAlarmPath(message.path)) {
        return;
    }
    auto decoded = alarm::decodeEvent(message.payload, book.fallbackType(message.device));
    if (!decoded.ok()) {
        log(LogLevel::Warning, "dropped a malformed alarm event from '" + message.source + "' on " + message.topic +
                                   " (message " + message.messageId + "): " + decoded.error);
        std::lock_guard lock(statsMutex);
        ++stats.malformed;
        return;
    }
    ReceivedEvent received{message.device, message.source, message.messageId, message.acquiredUs, std::move(*decoded.value), std::nullopt};
    // The source's event_id names the event; without one, the sender's message id does.
    const std::string eventKey = !received.event.eventId.empty() ? received.event.eventId
                                                                 : "msg:" + message.source + "/" + message.messageId;
    // Stored, or on its way to the journal in a batch not yet committed.
    if (pendingKeys.contains(eventKey) || reader->hasEvent(eventKey)) {
        std::lock_guard lock(statsMutex);
        ++stats.duplicates;
        return;
    }
    const int64_t now = wallClockUs();
    const EventOutcome outcome = book.applyEvent(received, now);
    pendingKeys.insert(eventKey);
    job.eventKeys.push_back(eventKey);
    job.writes.push_back([eventKey, alarmId = outcome.alarmId, device = message.device, source = message.source, now,
                          payload = message.payload](AlarmJournal& writer) {
        return writer.addEvent(eventKey, alarmId, device, source, now, payload);
    });
    if (const alarm::AlarmRecord* record = book.find(outcome.alarmId)) {
        saveLater(job, *record);
        effects.changed.insert(record->id);
        if (outcome.effect == EventEffect::Raised) {
            effects.raised.push_back(record->id);
            const std::vector<WallCommand> walls = wallCommandsFor(site, *record);
            effects.walls.insert(effects.walls.end(), walls.begin(), walls.end());
            armEscalation(*record, record->receivedUs);
        }
    }
    std::lock_guard lock(statsMutex);
    ++stats.events;
}

void AlarmService::Impl::takeCommand(const bus::IncomingCommand& command, bus::Responder responder,
                                     JournalJob& job) {
    BatchEffects& effects = *job.effects;
    BatchEffects::PendingReply reply;
    reply.responder = std::move(responder);
    auto decoded = alarm::decodeCommand(command.action, command.argsJson);
    if (!decoded.ok()) {
        reply.status = bus::CommandStatus::Rejected;
        reply.message = decoded.error;
        effects.replies.push_back(std::move(reply));
        return;
    }
    const alarm::AlarmCommand& request = *decoded.value;
    if (request.action == alarm::Action::History) {
        // Read in the journal's order, after every earlier batch's writes: an alarm already on the
        // desks (published before its commit) is in the history the operator asks for next.
        auto result = std::make_shared<std::string>();
        job.writes.push_back([result, limit = request.limit, search = request.search,
                              beforeUs = request.beforeUs](AlarmJournal& writer) {
            std::string text = "{\"alarms\":[";
            bool first = true;
            for (const std::string& record : writer.history(limit, search, beforeUs)) {
                text += (first ? "" : ",") + record;
                first = false;
            }
            *result = text + "]}";
            return true;
        });
        reply.resultFromJournal = result;
        effects.replies.push_back(std::move(reply));
        return;
    }
    const bool closedInJournal = book.find(request.id) == nullptr && reader->findAlarm(request.id).has_value();
    const int64_t now = wallClockUs();
    const CommandOutcome outcome = book.applyCommand(request, now, closedInJournal);
    if (!outcome.ok) {
        reply.status = bus::CommandStatus::Rejected;
        reply.message = outcome.message;
        effects.replies.push_back(std::move(reply));
        return;
    }
    const alarm::AlarmRecord& record = *book.find(request.id);
    job.writes.push_back([id = record.id, who = request.operatorName, now, what = outcome.journalWhat,
                          note = outcome.journalNote](AlarmJournal& writer) {
        return writer.addAction(id, who, now, what, note);
    });
    saveLater(job, record);
    effects.changed.insert(record.id);
    if (record.state != alarm::State::New) {
        escalations.erase(record.id);
    }
    reply.alarmId = record.id;
    effects.replies.push_back(std::move(reply));
}

void AlarmService::Impl::escalateDue(int64_t nowUs, JournalJob& job) {
    BatchEffects& effects = *job.effects;
    for (auto& [id, escalation] : escalations) {
        const alarm::AlarmRecord* record = book.find(id);
        if (record == nullptr || escalation.nextUs > nowUs) {
            continue;
        }
        book.escalate(id, escalation.policy.highest);
        job.writes.push_back([id, nowUs, note = "priority " + std::to_string(record->priority) + ", escalation " +
                                                 std::to_string(record->escalated)](AlarmJournal& writer) {
            return writer.addAction(id, "alarms", nowUs, "escalate", note);
        });
        saveLater(job, *record);
        effects.changed.insert(id);
        effects.escalated.push_back(id);
        escalation.nextUs = nowUs + escalation.policy.afterS * kUsPerSecond;
    }
}

JournalJob::JournalJob() = default;
JournalJob::~JournalJob() = default;

void AlarmService::Impl::saveLater(JournalJob& job, const alarm::AlarmRecord& record) {
    job.writes.push_back([number = book.numberOf(record.id), record](AlarmJournal& writer) {
        return writer.saveAlarm(number, record);
    });
}

void AlarmService::Impl::processBatch(std::deque<Work>& batch) {
    const int64_t now = wallClockUs();
    sendDueWalls(now);
    if (batch.empty() && nextWakeUs() > now) {
        return;
    }
    auto job = std::make_unique<JournalJob>();
    job->effects = std::make_unique<BatchEffects>();
    for (Work& work : batch) {
        if (work.done) {
            finishJob(std::move(work.done));
        } else if (work.event) {
            takeEvent(*work.event, *job);
        } else if (work.command) {
            takeCommand(*work.command, std::move(work.responder), *job);
        } else if (work.retainedIds) {
            removeStaleItems(*work.retainedIds);
        } else if (work.replayEnd) {
            takeReplayEnd(work.replayEnd->first, work.replayEnd->second, *job->effects);
        } else if (work.health) {
            takeJournalHealth(*work.health, *job);
        }
    }
    escalateDue(now, *job);
    BatchEffects& effects = *job->effects;
    if (job->writes.empty() && !effects.cursorMoved && effects.replies.empty()) {
        publishJournalHealth(now);
        return;
    }
    // The desks see it now, marked not stored until the journal thread has committed it (replies
    // and the rest wait for that).
    for (const std::string& id : effects.changed) {
        ++unstored[id];
    }
    eventsWaiting += job->eventKeys.size();
    publishEarly(effects);
    publishJournalHealth(now);
    if (effects.cursorMoved) {
        job->cursor = cursor;
    }
    journalThread.submit(std::move(job));
}

void AlarmService::Impl::finishJob(std::unique_ptr<JournalJob> job) {
    for (const std::string& key : job->eventKeys) {
        pendingKeys.erase(key);
    }
    eventsWaiting -= std::min(eventsWaiting, job->eventKeys.size());
    BatchEffects& effects = *job->effects;
    for (const std::string& id : effects.changed) {
        if (const auto it = unstored.find(id); it != unstored.end() && --it->second <= 0) {
            unstored.erase(it);
        }
    }
    if (job->ok) {
        publish(effects);
        return;
    }
    // Only at stop: the journal still refuses these batches. Their events stay in the broker's
    // journal before the cursor (which was never saved past them), so the next start takes them;
    // stop() says so once for all of them.
    unwrittenAtStop.insert(effects.changed.begin(), effects.changed.end());
    unwrittenError = job->error;
    for (auto& reply : effects.replies) {
        reply.responder.answer({bus::CommandStatus::Error, "the alarm journal could not be written: " + job->error, "null"});
    }
}

} // namespace ccoc::alarm_service
