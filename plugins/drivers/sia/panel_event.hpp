// What a panel reported, mapped to the alarm contract (sdk/docs/alarms.md): pure functions from
// the data block of an ADM-CID or SIA-DCS message to panel events. Thread: any.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ccoc::sia {

struct PanelEvent {
    enum class Kind {
        Alarm,       // an alarm condition raised or restored: event DEVICE/alarm
        Arming,      // an area armed (closing) or disarmed (opening): state DEVICE/arming/AREA
        Supervision, // a periodic test: only the panel's state is refreshed
    };
    Kind kind = Kind::Alarm;
    std::string type;   // contract type: "intrusion", "fire", ..., "vendor.cid-NNN"
    bool active = true; // false: a restore (Alarm) or disarmed (Arming)
    bool test = false;  // a manual test signal
    std::string point;  // zone (or user, for arming) as sent: "003"
    std::string area;   // partition / area: "01", "1"
    std::string code;   // raw code: "ADM-CID 1130 01 003", "SIA BA003"
    std::string text;   // words for the operator: "Burglary - perimeter, zone 003, area 01"
};

struct DataParse {
    std::vector<PanelEvent> events;
    std::string error; // non-empty: the data is not what the id token promises (what, expected)
    [[nodiscard]] bool ok() const noexcept { return error.empty(); }
};

// "[#1234|1130 01 003]" content ("#1234|1130 01 003", or without "#acct|"): Ademco Contact ID,
// qualifier 1 new event, 3 restore, 6 status (a present condition, reported as active).
[[nodiscard]] DataParse mapContactId(std::string_view data);

// "[#1234|Nri1/BA003]" content: SIA DC-04 codes after 'N' (new event), '/' separated, with
// "ri" (area), "id" (user), "ti" (time), "pi" (peripheral) modifiers before the codes.
[[nodiscard]] DataParse mapSiaData(std::string_view data);

// Splits "#acct|rest" into rest (the account inside the data is optional; the header's is used).
[[nodiscard]] std::string_view dataContent(std::string_view data) noexcept;

} // namespace ccoc::sia
