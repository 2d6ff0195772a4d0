// alarm_record.hpp: an alarm record as the alarm panel sees it (sdk/docs/alarms.md, "An alarm
// record"), decoded from the JSON the alarm service publishes, and the priority colours every
// alarm view uses. No ImGui, no bus.
//
// Thread: any; plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::alarms {

struct AlarmNote {
    std::string by;
    int64_t atUs = 0;
    std::string text;
};

/// One alarm. Fields the contract marks optional are empty or 0 when absent.
struct AlarmRecord {
    std::string id;
    std::string device;
    std::string deviceName;   ///< Thai (or the only) name
    std::string deviceNameEn;
    std::string type;
    std::string point;
    int priority = 3;         ///< 1 (highest) .. 5
    std::string state = "new"; ///< new, acknowledged, closed
    bool cleared = false;     ///< the sensor is back to normal
    int64_t count = 1;
    int64_t firstUs = 0;
    int64_t lastUs = 0;
    int64_t receivedUs = 0;
    std::string zone;
    std::string riskPoint;
    std::vector<std::string> cameras;
    std::string procedure;
    std::string text;
    std::string code;
    std::string source;
    std::string eventId;      ///< the source's id of the event that opened it
    bool test = false;
    std::string assignedTo;
    int64_t escalated = 0;
    std::string ackBy;
    int64_t ackAtUs = 0;
    std::string ackNote;
    std::string closeBy;
    int64_t closeAtUs = 0;
    std::string closeOutcome;
    std::string closeNote;
    std::vector<AlarmNote> notes;
    /// False while the alarm's latest change is shown but not yet in the service's journal
    /// ("stored": false; a journal fault while it lasts). Absent in the record: true.
    bool stored = true;

    [[nodiscard]] bool acknowledged() const noexcept { return state != "new"; }
    [[nodiscard]] bool closed() const noexcept { return state == "closed"; }
    /// The time the list sorts by: the last activation, else when it was first seen or stored.
    [[nodiscard]] int64_t sortTimeUs() const noexcept;
    /// The device's name in the interface language `language` (falls back to the other name,
    /// then the id).
    [[nodiscard]] const std::string& displayName(std::string_view language) const noexcept;
};

/// Decodes a record. nullopt and `error` ("alarm record: 'priority' must be an integer 1..5,
/// got \"x\"") for JSON that is not an alarm record: not an object, or no string "id".
/// Unknown fields are ignored; a field of the wrong type is an error naming the field.
[[nodiscard]] std::optional<AlarmRecord> parseAlarmRecord(std::string_view json, std::string* error = nullptr);

/// Open alarms by priority, from state/alarms/summary/.
struct AlarmCounts {
    int64_t open = 0;
    int64_t unacknowledged = 0;
    int64_t byPriority[5] = {0, 0, 0, 0, 0};               ///< index 0: priority 1
    int64_t unacknowledgedByPriority[5] = {0, 0, 0, 0, 0};
};
[[nodiscard]] std::optional<AlarmCounts> parseAlarmSummary(std::string_view json, std::string* error = nullptr);

struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
};
/// P1 red, P2 orange, P3 yellow, P4 blue, P5 grey (outside 1..5: grey).
[[nodiscard]] Rgb priorityColour(int priority) noexcept;

/// The close outcomes the contract allows, in the order the panel offers them.
inline constexpr std::string_view kOutcomes[] = {"real", "false_alarm", "test", "other"};

/// The mark the list and the details show beside an alarm not yet stored ("not yet stored", from
/// the catalogue); empty once it is stored.
[[nodiscard]] const char* storageMark(const AlarmRecord& record) noexcept;

/// An alarm type of the contract (sdk/docs/alarms.md: "intrusion", "panic", ...) in the interface
/// language; a vendor type ("vendor.acme-cut-fence") as it is. Valid while `type` is.
[[nodiscard]] const char* alarmTypeText(const std::string& type) noexcept;

/// True when an acknowledgement of this alarm must carry a note (priorities 1 and 2).
[[nodiscard]] bool ackNeedsNote(int priority) noexcept;

}  // namespace ccoc::alarms
