// The alarm model of sdk/docs/alarms.md: what a driver sends (AlarmEvent), what the alarm service
// keeps and publishes (AlarmRecord, AlarmSummary) and what consoles ask of it (AlarmCommand), with
// their JSON forms (schemas in sdk/schema/alarm-*.schema.json).
//
// Pure functions on values: no sockets, no files, no ImGui. Thread: any; no shared state.
// Errors a caller can cause (malformed JSON, a missing field) come back as a Decoded<T> whose
// `error` says what, where and what was expected; nothing here throws except std::bad_alloc.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccoc::alarm {

// Priorities: 1 is the highest, 5 the lowest (test signals).
inline constexpr int kHighestPriority = 1;
inline constexpr int kLowestPriority = 5;
inline constexpr int kTestPriority = 5;

// The built-in alarm types, in the contract's order.
inline constexpr std::array<std::string_view, 12> kBuiltinTypes = {
    "intrusion", "door", "motion", "glass_break", "panic", "duress", "fire", "smoke", "water", "tamper",
    "camera_offline", "device_fault"};

// True for a built-in type or a vendor type "vendor.NAME" (NAME: 1..48 of a-z 0-9 _ - .).
[[nodiscard]] bool isKnownType(std::string_view type) noexcept;
// What the messages say a type must be.
inline constexpr std::string_view kTypeExpectation =
    "one of intrusion, door, motion, glass_break, panic, duress, fire, smoke, water, tamper, camera_offline, "
    "device_fault, or vendor.NAME (vendor.acme-cut-fence)";
// The contract's built-in priority of a type (panic, duress, fire: 1; ...; vendor types: 3).
// An unknown type gets 3.
[[nodiscard]] int defaultPriority(std::string_view type) noexcept;

// A decoded value, or why it could not be decoded.
template <typename T>
struct Decoded {
    std::optional<T> value;
    std::string error; // empty when value is set
    [[nodiscard]] bool ok() const noexcept { return value.has_value(); }
};

// ---- what a driver sends on event/DEVICE/alarm/ -------------------------------------------------

struct AlarmEvent {
    std::string type;     // may be empty only when decoded with a fallback type (see decodeEvent)
    bool active = true;   // false: a restore
    std::string eventId;  // empty: the envelope id stands in
    std::string point;
    std::string text;
    std::string code;
    bool test = false;
};

// Decodes an alarm event payload. `fallbackType` (a device's configured alarm_type) is used when
// the payload has no "type"; without one, a missing type is an error. Unknown fields are ignored.
[[nodiscard]] Decoded<AlarmEvent> decodeEvent(std::string_view json, std::string_view fallbackType = {});
// The payload a driver sends for `event`.
[[nodiscard]] std::string encodeEvent(const AlarmEvent& event);

// ---- the alarm record the service keeps -----------------------------------------------------------

enum class State { New, Acknowledged, Closed };
// "new", "acknowledged", "closed".
[[nodiscard]] std::string_view stateName(State state) noexcept;
[[nodiscard]] std::optional<State> parseState(std::string_view name) noexcept;

struct Acknowledgement {
    std::string by;
    int64_t atUs = 0;
    std::string note;
};

struct Closure {
    std::string by;
    int64_t atUs = 0;
    std::string outcome; // real, false_alarm, test, other
    std::string note;
};

struct Note {
    std::string by;
    int64_t atUs = 0;
    std::string text;
};

// The close outcomes the contract allows.
inline constexpr std::array<std::string_view, 4> kOutcomes = {"real", "false_alarm", "test", "other"};
[[nodiscard]] bool isOutcome(std::string_view outcome) noexcept;

struct AlarmRecord {
    std::string id; // "A-20261127-000042"
    std::string device;
    std::string deviceName;
    std::string deviceNameEn;
    std::string type;
    std::string point;
    int priority = 3;
    State state = State::New;
    bool cleared = false;
    int64_t count = 1;
    int64_t firstUs = 0;
    int64_t lastUs = 0;
    int64_t receivedUs = 0;
    std::string zone;
    std::string riskPoint;
    std::optional<std::pair<double, double>> position; // lat, lon
    std::vector<std::string> cameras;
    std::string procedure;
    std::string text;
    std::string code;
    std::string source;
    std::string eventId;
    bool test = false;
    std::string assignedTo;
    int64_t escalated = 0;
    std::optional<Acknowledgement> ack;
    std::optional<Closure> close;
    std::vector<Note> notes;
    // False while the alarm's latest change is on the desks but not yet in the service's journal
    // (a slow disk for a moment; a journal fault until it is written again). Encoded only when
    // false ("stored": false), so what the journal keeps never carries it; absent reads as true.
    bool stored = true;
};

[[nodiscard]] std::string encodeRecord(const AlarmRecord& record);
[[nodiscard]] Decoded<AlarmRecord> decodeRecord(std::string_view json);

// ---- state/alarms/summary/ ----------------------------------------------------------------------

struct AlarmSummary {
    int64_t open = 0;
    int64_t unacknowledged = 0;
    std::array<int64_t, 5> byPriority{};               // index 0 is priority 1
    std::array<int64_t, 5> unacknowledgedByPriority{};
};

// Counts the records that are not closed.
[[nodiscard]] AlarmSummary summarize(const std::vector<const AlarmRecord*>& records);
[[nodiscard]] std::string encodeSummary(const AlarmSummary& summary);
[[nodiscard]] Decoded<AlarmSummary> decodeSummary(std::string_view json);

// ---- state/alarms/journal/: whether the service's journal is written --------------------------

// The alarm service's journal health. While `ok` is false every alarm in `notStored` is shown on
// the desks but not yet in the journal (the service retries); `eventsHeld` events beyond the
// service's bound wait in the broker's journal for the next start.
struct JournalHealth {
    bool ok = true;
    std::string error;                  // what the journal said at the last failed write
    int64_t sinceUs = 0;                // when this fault began (0 while ok)
    std::vector<std::string> notStored; // ids of the alarms waiting (at most kMaxNotStoredIds)
    int64_t notStoredCount = 0;         // how many alarms wait (may exceed notStored.size())
    int64_t eventsWaiting = 0;          // alarm events taken but not yet written
    int64_t eventsHeld = 0;             // alarm events not taken (beyond the bound), in the bus journal
};
inline constexpr size_t kMaxNotStoredIds = 100;

[[nodiscard]] std::string encodeJournalHealth(const JournalHealth& health);
[[nodiscard]] Decoded<JournalHealth> decodeJournalHealth(std::string_view json);

// ---- commands to the device "alarms" ------------------------------------------------------------

enum class Action { Ack, Assign, Close, Note, History };
// "alarm.ack", "alarm.assign", "alarm.close", "alarm.note", "alarm.history".
[[nodiscard]] std::string_view actionName(Action action) noexcept;
[[nodiscard]] std::optional<Action> parseAction(std::string_view name) noexcept;

struct AlarmCommand {
    Action action = Action::Ack;
    std::string id;        // every action but history
    std::string operatorName;
    std::string note;      // ack, close
    std::string to;        // assign
    std::string outcome;   // close
    std::string text;      // note
    int limit = 200;       // history: 1..1000
    std::string search;    // history: text the record must contain
    int64_t beforeUs = 0;  // history: only alarms first seen before this (0: no bound)
};

// Decodes the args of a command named `action`. Checks presence and types and, for close, the
// outcome. Whether a note is required depends on the alarm (the service checks that).
[[nodiscard]] Decoded<AlarmCommand> decodeCommand(std::string_view action, std::string_view argsJson);
// The args JSON of `command` (what a console sends).
[[nodiscard]] std::string encodeCommandArgs(const AlarmCommand& command);

} // namespace ccoc::alarm
