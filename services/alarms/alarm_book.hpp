// The alarm service's state: the open alarms and what events and operator commands do to them
// (sdk/docs/alarms.md section 2). No bus, no files: the service feeds it, journals what changed
// and publishes it.
//
// Thread: one thread at a time (the service's worker).
#pragma once

#include "ccoc/alarm.hpp"
#include "ccoc/site.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ccoc::alarm_service {

// An alarm event as the service received it.
struct ReceivedEvent {
    std::string device;       // from the topic event/DEVICE/alarm/
    std::string source;       // envelope src
    std::string messageId;    // envelope id
    int64_t acquiredUs = 0;   // when the source saw it
    alarm::AlarmEvent event;
    std::optional<int> priority; // a new alarm's priority, instead of the site's and the built-in
};

enum class EventEffect { Raised, Retriggered, Restored, NoOpenAlarm };

struct EventOutcome {
    EventEffect effect = EventEffect::NoOpenAlarm;
    std::string alarmId; // empty for NoOpenAlarm
};

// The answer to an operator command.
struct CommandOutcome {
    bool ok = false;
    std::string message;        // why it was rejected
    std::string alarmId;        // the alarm it changed
    std::string journalWhat;    // for the actions table: "ack", "assign to X", "close real", "note"
    std::string journalNote;
};

class AlarmBook {
public:
    explicit AlarmBook(const site::Site& site);

    // Replaces the open alarms (from the journal at start) and the last serial number used.
    void load(std::vector<std::pair<int64_t, alarm::AlarmRecord>> open, int64_t lastNumber);

    // The device's configured alarm type, for events that name none ("" when none).
    [[nodiscard]] std::string fallbackType(const std::string& device) const;
    // Applies an event received at `nowUs`. A new alarm gets the next serial number.
    EventOutcome applyEvent(const ReceivedEvent& received, int64_t nowUs);
    // Applies an operator command (not history) at `nowUs`. `closedInJournal` tells a closed alarm
    // from an unknown id in the rejection message.
    CommandOutcome applyCommand(const alarm::AlarmCommand& command, int64_t nowUs, bool closedInJournal);
    // Raises the priority of alarm `id` by one (not above `highest`) and counts the escalation.
    void escalate(const std::string& id, int highest);
    // Forgets a closed alarm (after it was journalled and published).
    void forget(const std::string& id);

    // The alarm, open or just closed (until forgotten); null when unknown.
    [[nodiscard]] const alarm::AlarmRecord* find(const std::string& id) const;
    [[nodiscard]] int64_t numberOf(const std::string& id) const;
    [[nodiscard]] std::vector<const alarm::AlarmRecord*> all() const;
    // Alarms held (open, and closed ones not yet forgotten).
    [[nodiscard]] size_t size() const noexcept { return alarms_.size(); }
    // Kept up to date by every change: no walk over all alarms (a burst has tens of thousands).
    [[nodiscard]] const alarm::AlarmSummary& summary() const noexcept { return summary_; }
    // The priority a new alarm of `type` on `device` gets (device, [alarms.priority], built-in).
    [[nodiscard]] int priorityFor(const std::string& device, const std::string& type, bool test) const;

private:
    struct Entry {
        int64_t number = 0;
        alarm::AlarmRecord record;
    };
    [[nodiscard]] std::string newId(int64_t number, int64_t nowUs) const;
    // Adds (sign 1) or takes away (sign -1) what an alarm in `state` at `priority` counts for.
    void count(alarm::State state, int priority, int sign);
    [[nodiscard]] static std::string identity(const std::string& device, const std::string& type,
                                              const std::string& point);

    const site::Site& site_;
    std::map<std::string, Entry> alarms_;           // by alarm id
    std::map<std::string, std::string> byIdentity_; // device/type/point -> alarm id (not closed)
    int64_t lastNumber_ = 0;
    alarm::AlarmSummary summary_;
};

} // namespace ccoc::alarm_service
