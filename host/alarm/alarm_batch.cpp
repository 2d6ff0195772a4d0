// What the worker does with one batch: alarm events and commands into the journal in one
// transaction, then (only once committed) the retained state, events, wall commands and replies.
#include "alarm_service_impl.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ccoc::alarm_service {
namespace {

constexpr int64_t kUsPerSecond = 1000000;
// Reliable events handled out of order that the cursor waits under before it gives up on a gap
// (a gap the broker trimmed from its journal never fills).
constexpr size_t kMaxHandledAbove = 10000;

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
        effects.cursorMoved = true;
    }
    if (message.eventSeq <= cursor.eventSeq) {
        return;
    }
    handledAbove.insert(message.eventSeq);
    while (!handledAbove.empty() && *handledAbove.begin() == cursor.eventSeq + 1) {
        handledAbove.erase(handledAbove.begin());
        ++cursor.eventSeq;
        effects.cursorMoved = true;
    }
    if (handledAbove.size() > kMaxHandledAbove) {
        cursor.eventSeq = *handledAbove.rbegin();
        handledAbove.clear();
        effects.cursorMoved = true;
    }
}

void AlarmService::Impl::takeEvent(const bus::Message& message, BatchEffects& effects) {
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
    ReceivedEvent received{message.device, message.source, message.messageId, message.acquiredUs, std::move(*decoded.value)};
    // The source's event_id names the event; without one, the sender's message id does.
    const std::string eventKey = !received.event.eventId.empty() ? received.event.eventId
                                                                 : "msg:" + message.source + "/" + message.messageId;
    if (journal->hasEvent(eventKey)) {
        std::lock_guard lock(statsMutex);
        ++stats.duplicates;
        return;
    }
    const int64_t now = wallClockUs();
    const EventOutcome outcome = book.applyEvent(received, now);
    bool ok = journal->addEvent(eventKey, outcome.alarmId, message.device, message.source, now, message.payload);
    if (const alarm::AlarmRecord* record = book.find(outcome.alarmId)) {
        ok = ok && journal->saveAlarm(book.numberOf(record->id), *record);
        effects.changed.insert(record->id);
        if (outcome.effect == EventEffect::Raised) {
            effects.raised.push_back(record->id);
            const std::vector<WallCommand> walls = wallCommandsFor(site, *record);
            effects.walls.insert(effects.walls.end(), walls.begin(), walls.end());
            armEscalation(*record, record->receivedUs);
        }
    }
    effects.journalFailed = effects.journalFailed || !ok;
    std::lock_guard lock(statsMutex);
    ++stats.events;
}

void AlarmService::Impl::takeCommand(const bus::IncomingCommand& command, bus::Responder responder,
                                     BatchEffects& effects) {
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
        std::string result = "{\"alarms\":[";
        bool first = true;
        for (const std::string& record : journal->history(request.limit, request.search, request.beforeUs)) {
            result += (first ? "" : ",") + record;
            first = false;
        }
        reply.resultJson = result + "]}";
        effects.replies.push_back(std::move(reply));
        return;
    }
    const bool closedInJournal = book.find(request.id) == nullptr && journal->findAlarm(request.id).has_value();
    const int64_t now = wallClockUs();
    const CommandOutcome outcome = book.applyCommand(request, now, closedInJournal);
    if (!outcome.ok) {
        reply.status = bus::CommandStatus::Rejected;
        reply.message = outcome.message;
        effects.replies.push_back(std::move(reply));
        return;
    }
    const alarm::AlarmRecord& record = *book.find(request.id);
    const bool ok = journal->addAction(record.id, request.operatorName, now, outcome.journalWhat, outcome.journalNote) &&
                    journal->saveAlarm(book.numberOf(record.id), record);
    effects.journalFailed = effects.journalFailed || !ok;
    effects.changed.insert(record.id);
    if (record.state != alarm::State::New) {
        escalations.erase(record.id);
    }
    reply.alarmId = record.id;
    effects.replies.push_back(std::move(reply));
}

void AlarmService::Impl::escalateDue(int64_t nowUs, BatchEffects& effects) {
    for (auto& [id, escalation] : escalations) {
        const alarm::AlarmRecord* record = book.find(id);
        if (record == nullptr || escalation.nextUs > nowUs) {
            continue;
        }
        book.escalate(id, escalation.policy.highest);
        const bool ok = journal->addAction(id, "alarms", nowUs, "escalate",
                                           "priority " + std::to_string(record->priority) + ", escalation " +
                                               std::to_string(record->escalated)) &&
                        journal->saveAlarm(book.numberOf(id), *record);
        effects.journalFailed = effects.journalFailed || !ok;
        effects.changed.insert(id);
        effects.escalated.push_back(id);
        escalation.nextUs = nowUs + escalation.policy.afterS * kUsPerSecond;
    }
}

void AlarmService::Impl::processBatch(std::deque<Work>& batch) {
    const int64_t now = wallClockUs();
    sendDueWalls(now);
    if (batch.empty() && nextWakeUs() > now) {
        return;
    }
    BatchEffects effects;
    const BusCursor cursorBefore = cursor;
    const std::set<uint64_t> handledBefore = handledAbove;
    const bool begun = journal->begin();
    bool ok = begun;
    if (begun) {
        for (Work& work : batch) {
            if (work.event) {
                takeEvent(*work.event, effects);
            } else if (work.command) {
                takeCommand(*work.command, std::move(work.responder), effects);
            } else if (work.retainedIds) {
                removeStaleItems(*work.retainedIds);
            }
        }
        escalateDue(now, effects);
        publishEarly(effects);
        if (effects.cursorMoved) {
            ok = journal->saveCursor(cursor) && ok;
        }
    } else {
        // The journal cannot even start a transaction (locked, gone): take nothing, answer at once.
        for (Work& work : batch) {
            if (work.command) {
                effects.replies.push_back(BatchEffects::PendingReply{std::move(work.responder), {}, {}, {}, {}});
            }
        }
    }
    ok = ok && !effects.journalFailed && journal->commit();
    if (!ok) {
        // Nothing of this batch is kept or published: back to what the journal holds. The broker
        // replays the events to a restarted service; the operators get an error and may retry.
        log(LogLevel::Error, "the alarm journal could not be written, " + std::to_string(batch.size()) +
                                 " message(s) not taken: " + journal->lastError());
        if (begun) {
            journal->rollback();
        }
        book.load(journal->openAlarms(), journal->lastNumber());
        cursor = cursorBefore;
        handledAbove = handledBefore;
        escalations.clear();
        for (const alarm::AlarmRecord* record : book.all()) {
            armEscalation(*record, record->receivedUs);
        }
        withdrawEarly(effects);
        for (auto& reply : effects.replies) {
            reply.responder.answer({bus::CommandStatus::Error, "the alarm journal could not be written", "null"});
        }
        std::lock_guard lock(statsMutex);
        ++stats.journalErrors;
        return;
    }
    publish(effects);
}

} // namespace ccoc::alarm_service
