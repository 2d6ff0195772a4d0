// What the service does while its journal cannot be written (disk full, file unwritable): the
// alarms stay on the desks marked not stored while the journal thread retries; the journal's health
// goes to state/alarms/journal/ for every desk's status bar; the fault is an alarm of its own
// (device "alarms", device_fault, priority 2) that clears when the journal is written again; the
// log names the alarms waiting once per episode (and at most once a minute while it lasts).
#include "alarm_service_impl.hpp"

#include <algorithm>

namespace ccoc::alarm_service {
namespace {

constexpr int64_t kUsPerSecond = 1000000;
constexpr int64_t kReminderUs = 60 * kUsPerSecond;
// The service's own alarm: "priority high" (the field's intrusions are 2; a lost journal is as bad).
constexpr int kJournalFaultPriority = 2;
constexpr const char* kServiceDevice = "alarms";
constexpr const char* kJournalPoint = "journal";

std::string joinIds(const std::vector<std::string>& ids) {
    std::string text;
    for (size_t i = 0; i < ids.size() && i < alarm::kMaxNotStoredIds; ++i) {
        text += (i == 0 ? "" : ", ") + ids[i];
    }
    if (ids.size() > alarm::kMaxNotStoredIds) {
        text += " and " + std::to_string(ids.size() - alarm::kMaxNotStoredIds) + " more";
    }
    return text.empty() ? std::string("none yet") : text;
}

} // namespace

std::vector<std::string> AlarmService::Impl::alarmsNotStored() const {
    std::vector<std::string> ids;
    for (const auto& [id, batches] : unstored) {
        const alarm::AlarmRecord* record = book.find(id);
        // The fault's own alarm is not one of the alarms it warns about.
        if (record != nullptr && !(record->device == kServiceDevice && record->point == kJournalPoint)) {
            ids.push_back(id);
        }
    }
    return ids;
}

void AlarmService::Impl::takeOwnEvent(bool active, const std::string& text, int64_t nowUs, JournalJob& job) {
    BatchEffects& effects = *job.effects;
    ReceivedEvent received;
    received.device = kServiceDevice;
    received.source = "alarms";
    received.messageId = std::string(active ? "journal-fault:" : "journal-ok:") + std::to_string(nowUs);
    received.acquiredUs = nowUs;
    received.event.type = "device_fault";
    received.event.active = active;
    received.event.point = kJournalPoint;
    received.event.text = text;
    received.event.eventId = "alarms:" + received.messageId;
    received.priority = kJournalFaultPriority;
    const EventOutcome outcome = book.applyEvent(received, nowUs);
    if (outcome.effect == EventEffect::NoOpenAlarm) {
        return; // an operator closed it already
    }
    const std::string key = received.event.eventId;
    pendingKeys.insert(key);
    job.eventKeys.push_back(key);
    job.writes.push_back([key, alarmId = outcome.alarmId, nowUs, payload = alarm::encodeEvent(received.event)](
                             AlarmJournal& writer) {
        return writer.addEvent(key, alarmId, kServiceDevice, "alarms", nowUs, payload);
    });
    if (const alarm::AlarmRecord* record = book.find(outcome.alarmId)) {
        saveLater(job, *record);
        effects.changed.insert(record->id);
        if (outcome.effect == EventEffect::Raised) {
            effects.raised.push_back(record->id);
            armEscalation(*record, record->receivedUs);
        }
    }
}

void AlarmService::Impl::takeJournalHealth(const JournalHealthChange& change, JournalJob& job) {
    const int64_t now = wallClockUs();
    if (!change.ok && !fault.failing) {
        fault.failing = true;
        fault.error = change.error;
        fault.sinceUs = now;
        fault.logged = alarmsNotStored();
        fault.episode.insert(fault.logged.begin(), fault.logged.end());
        fault.loggedUs = now;
        log(LogLevel::Error, "the alarm journal cannot be written (" + change.error + "): alarm(s) " +
                                 joinIds(fault.logged) + " not stored yet; they stay on the desks marked "
                                 "not stored and are written when the journal takes them (retrying)");
        takeOwnEvent(true, "alarm journal cannot be written: " + change.error, now, job);
        std::lock_guard lock(statsMutex);
        ++stats.journalErrors;
    } else if (change.ok && fault.failing) {
        fault.failing = false;
        const std::vector<std::string> stored(fault.episode.begin(), fault.episode.end());
        log(LogLevel::Info, "the alarm journal is written again after " +
                                std::to_string((now - fault.sinceUs) / kUsPerSecond) + " s: alarm(s) " +
                                joinIds(stored) + " stored");
        fault.error.clear();
        fault.sinceUs = 0;
        fault.logged.clear();
        fault.episode.clear();
        takeOwnEvent(false, "alarm journal written again", now, job);
    }
}

void AlarmService::Impl::holdEvent(const bus::Message& message, bool alarmEvent) {
    if (!fault.cursorFrozen) {
        fault.cursorFrozen = true;
        fault.heldFromSeq = message.eventSeq;
        log(LogLevel::Error, "the alarm journal cannot be written and " + std::to_string(config.maxUnstoredEvents) +
                                 " alarm events wait for it: from bus event " + std::to_string(message.eventSeq) +
                                 " of journal " + message.journal + " on, events stay in the bus journal and are "
                                 "taken at the next start of the alarm service");
    }
    if (!alarmEvent) {
        return;
    }
    ++fault.eventsHeld;
    std::lock_guard lock(statsMutex);
    ++stats.eventsHeld;
}

void AlarmService::Impl::publishJournalHealth(int64_t nowUs) {
    alarm::JournalHealth health;
    health.ok = !fault.failing && fault.eventsHeld == 0;
    health.error = fault.failing ? fault.error
                   : fault.eventsHeld != 0
                       ? std::to_string(fault.eventsHeld) + " alarm event(s) wait in the bus journal for a restart of the alarm service"
                       : std::string();
    health.sinceUs = fault.sinceUs;
    if (fault.failing) {
        health.notStored = alarmsNotStored();
        fault.episode.insert(health.notStored.begin(), health.notStored.end());
        health.notStoredCount = static_cast<int64_t>(health.notStored.size());
        health.notStored.resize(std::min(health.notStored.size(), alarm::kMaxNotStoredIds));
        health.eventsWaiting = static_cast<int64_t>(eventsWaiting);
    }
    health.eventsHeld = static_cast<int64_t>(fault.eventsHeld);
    const std::string json = alarm::encodeJournalHealth(health);
    if (json == fault.lastPublished) {
        return;
    }
    if (bus::Status published = client->publishState("alarms/journal", json); published.ok()) {
        fault.lastPublished = json;
    }
    // Alarms that came during the fault are named too: at once when the first line named none
    // (the fault began with a batch without alarms), else at most once a minute, not per retry.
    if (fault.failing && (fault.logged.empty() || nowUs - fault.loggedUs >= kReminderUs)) {
        std::vector<std::string> ids = alarmsNotStored();
        if (!ids.empty() && ids != fault.logged) {
            fault.logged = std::move(ids);
            fault.loggedUs = nowUs;
            log(LogLevel::Error, "the alarm journal still cannot be written (" + fault.error + ", for " +
                                     std::to_string((nowUs - fault.sinceUs) / kUsPerSecond) + " s): alarm(s) " +
                                     joinIds(fault.logged) + " not stored yet");
        }
    }
}

} // namespace ccoc::alarm_service
