// AlarmBook: alarms opened, retriggered, restored, acknowledged, assigned, noted and closed.
#include "alarm_book.hpp"

#include <algorithm>
#include <ctime>

namespace ccoc::alarm_service {

AlarmBook::AlarmBook(const site::Site& site) : site_(site) {}

void AlarmBook::load(std::vector<std::pair<int64_t, alarm::AlarmRecord>> open, int64_t lastNumber) {
    alarms_.clear();
    byIdentity_.clear();
    summary_ = {};
    lastNumber_ = lastNumber;
    for (auto& [number, record] : open) {
        count(record.state, record.priority, 1);
        byIdentity_[identity(record.device, record.type, record.point)] = record.id;
        lastNumber_ = std::max(lastNumber_, number);
        std::string id = record.id;
        alarms_[id] = Entry{number, std::move(record)};
    }
}

void AlarmBook::count(alarm::State state, int priority, int sign) {
    alarm::AlarmRecord shape;
    shape.state = state;
    shape.priority = priority;
    const alarm::AlarmSummary one = alarm::summarize({&shape});
    summary_.open += sign * one.open;
    summary_.unacknowledged += sign * one.unacknowledged;
    for (size_t i = 0; i < one.byPriority.size(); ++i) {
        summary_.byPriority[i] += sign * one.byPriority[i];
        summary_.unacknowledgedByPriority[i] += sign * one.unacknowledgedByPriority[i];
    }
}

std::string AlarmBook::identity(const std::string& device, const std::string& type, const std::string& point) {
    // '\n' cannot occur in a device id or a type, so the key is unambiguous.
    return device + '\n' + type + '\n' + point;
}

std::string AlarmBook::newId(int64_t number, int64_t nowUs) const {
    // A-YYYYMMDD-NNNNNN: the date (local time of the station) for people, the number for order.
    const std::time_t seconds = static_cast<std::time_t>(nowUs / 1000000);
    std::tm local{};
    localtime_r(&seconds, &local);
    char date[16];
    std::strftime(date, sizeof date, "%Y%m%d", &local);
    std::string digits = std::to_string(number);
    if (digits.size() < 6) {
        digits.insert(0, 6 - digits.size(), '0');
    }
    return "A-" + std::string(date) + "-" + digits;
}

std::string AlarmBook::fallbackType(const std::string& device) const {
    const site::Device* configured = site_.findDevice(device);
    return configured != nullptr ? configured->alarmType : std::string();
}

int AlarmBook::priorityFor(const std::string& device, const std::string& type, bool test) const {
    if (test) {
        return alarm::kTestPriority;
    }
    if (const site::Device* configured = site_.findDevice(device); configured != nullptr && configured->priority) {
        return *configured->priority;
    }
    if (auto it = site_.alarms.priorityByType.find(type); it != site_.alarms.priorityByType.end()) {
        return it->second;
    }
    return alarm::defaultPriority(type);
}

EventOutcome AlarmBook::applyEvent(const ReceivedEvent& received, int64_t nowUs) {
    const alarm::AlarmEvent& event = received.event;
    const std::string key = identity(received.device, event.type, event.point);
    const auto open = byIdentity_.find(key);
    const int64_t atUs = received.acquiredUs != 0 ? received.acquiredUs : nowUs;
    if (open != byIdentity_.end()) {
        alarm::AlarmRecord& record = alarms_.at(open->second).record;
        if (!event.active) {
            record.cleared = true;
            record.lastUs = std::max(record.lastUs, atUs);
            return {EventEffect::Restored, record.id};
        }
        ++record.count;
        record.lastUs = std::max(record.lastUs, atUs);
        record.cleared = false;
        if (!event.text.empty()) {
            record.text = event.text;
        }
        if (!event.code.empty()) {
            record.code = event.code;
        }
        return {EventEffect::Retriggered, record.id};
    }
    if (!event.active) {
        return {EventEffect::NoOpenAlarm, {}};
    }
    alarm::AlarmRecord record;
    const int64_t number = ++lastNumber_;
    record.id = newId(number, nowUs);
    record.device = received.device;
    record.type = event.type;
    record.point = event.point;
    record.priority = received.priority.value_or(priorityFor(received.device, event.type, event.test));
    record.firstUs = atUs;
    record.lastUs = atUs;
    record.receivedUs = nowUs;
    record.text = event.text;
    record.code = event.code;
    record.source = received.source;
    record.eventId = event.eventId.empty() ? received.messageId : event.eventId;
    record.test = event.test;
    if (const site::Device* device = site_.findDevice(received.device)) {
        record.deviceName = device->name;
        record.deviceNameEn = device->nameEn;
        record.zone = device->zone;
        record.riskPoint = device->riskPoint;
        record.position = device->position;
        record.cameras = device->cameras;
        record.procedure = device->procedure;
    }
    byIdentity_[key] = record.id;
    count(record.state, record.priority, 1);
    std::string id = record.id;
    alarms_[id] = Entry{number, std::move(record)};
    return {EventEffect::Raised, id};
}

CommandOutcome AlarmBook::applyCommand(const alarm::AlarmCommand& command, int64_t nowUs, bool closedInJournal) {
    CommandOutcome outcome;
    outcome.alarmId = command.id;
    const auto it = alarms_.find(command.id);
    if (it == alarms_.end() || it->second.record.state == alarm::State::Closed) {
        outcome.message = closedInJournal || it != alarms_.end() ? "alarm " + command.id + " is closed"
                                                                 : "no alarm " + command.id;
        return outcome;
    }
    alarm::AlarmRecord& record = it->second.record;
    const alarm::State stateBefore = record.state;
    switch (command.action) {
    case alarm::Action::Ack:
        if (record.priority <= site_.alarms.ackNoteRequiredMaxPriority && command.note.empty()) {
            outcome.message = "acknowledging a priority " + std::to_string(record.priority) +
                              " alarm needs a note; expected {\"note\": \"what was done\"}";
            return outcome;
        }
        if (record.state == alarm::State::Acknowledged) {
            outcome.message = "alarm " + command.id + " is already acknowledged by " + record.ack->by;
            return outcome;
        }
        record.state = alarm::State::Acknowledged;
        record.ack = alarm::Acknowledgement{command.operatorName, nowUs, command.note};
        outcome.journalWhat = "ack";
        outcome.journalNote = command.note;
        break;
    case alarm::Action::Assign:
        record.assignedTo = command.to;
        outcome.journalWhat = "assign";
        outcome.journalNote = command.to;
        break;
    case alarm::Action::Close:
        record.state = alarm::State::Closed;
        record.close = alarm::Closure{command.operatorName, nowUs, command.outcome, command.note};
        byIdentity_.erase(identity(record.device, record.type, record.point));
        outcome.journalWhat = "close " + command.outcome;
        outcome.journalNote = command.note;
        break;
    case alarm::Action::Note:
        record.notes.push_back(alarm::Note{command.operatorName, nowUs, command.text});
        outcome.journalWhat = "note";
        outcome.journalNote = command.text;
        break;
    case alarm::Action::History:
        outcome.message = "alarm.history changes no alarm";
        return outcome;
    }
    count(stateBefore, record.priority, -1);
    count(record.state, record.priority, 1);
    outcome.ok = true;
    return outcome;
}

void AlarmBook::escalate(const std::string& id, int highest) {
    const auto it = alarms_.find(id);
    if (it == alarms_.end()) {
        return;
    }
    alarm::AlarmRecord& record = it->second.record;
    count(record.state, record.priority, -1);
    if (record.priority > highest) {
        record.priority = std::max({alarm::kHighestPriority, highest, record.priority - 1});
    }
    ++record.escalated;
    count(record.state, record.priority, 1);
}

void AlarmBook::forget(const std::string& id) {
    if (const auto it = alarms_.find(id); it != alarms_.end()) {
        count(it->second.record.state, it->second.record.priority, -1); // nothing when closed
        alarms_.erase(it);
    }
}

const alarm::AlarmRecord* AlarmBook::find(const std::string& id) const {
    const auto it = alarms_.find(id);
    return it != alarms_.end() ? &it->second.record : nullptr;
}

int64_t AlarmBook::numberOf(const std::string& id) const {
    const auto it = alarms_.find(id);
    return it != alarms_.end() ? it->second.number : 0;
}

std::vector<const alarm::AlarmRecord*> AlarmBook::all() const {
    std::vector<const alarm::AlarmRecord*> records;
    records.reserve(alarms_.size());
    for (const auto& [id, entry] : alarms_) {
        records.push_back(&entry.record);
    }
    return records;
}


} // namespace ccoc::alarm_service
