// Ademco Contact ID (ADM-CID) event codes mapped to the alarm contract's types.
#include "panel_event.hpp"

#include <string>

namespace ccoc::sia {

namespace {

struct CidClass {
    std::string type;
    std::string words;
    PanelEvent::Kind kind = PanelEvent::Kind::Alarm;
};

// Contact ID event codes, by the standard's ranges; the exceptions first.
CidClass classify(int code)
{
    using Kind = PanelEvent::Kind;
    switch (code) {
    case 111: return {"smoke", "Smoke"};
    case 121: return {"duress", "Duress"};
    case 124: return {"duress", "Duress - access granted"};
    case 125: return {"duress", "Duress - egress granted"};
    case 131: return {"intrusion", "Burglary - perimeter"};
    case 132: return {"intrusion", "Burglary - interior"};
    case 134: return {"door", "Burglary - entry/exit"};
    case 137: return {"tamper", "Burglary - tamper"};
    case 144: return {"tamper", "Sensor tamper"};
    case 145: return {"tamper", "Expansion module tamper"};
    case 154: return {"water", "Water leakage"};
    case 383: return {"tamper", "Sensor tamper (trouble)"};
    case 401: return {"", "Open/close by user", Kind::Arming};
    case 402: return {"", "Group open/close", Kind::Arming};
    case 403: return {"", "Automatic open/close", Kind::Arming};
    case 407: return {"", "Remote arm/disarm", Kind::Arming};
    case 408: return {"", "Quick arm", Kind::Arming};
    case 409: return {"", "Keyswitch open/close", Kind::Arming};
    case 441: return {"", "Armed stay", Kind::Arming};
    case 442: return {"", "Keyswitch armed stay", Kind::Arming};
    case 601: return {"vendor.test", "Manual trigger test"};
    case 602: return {"", "Periodic test report", Kind::Supervision};
    case 603: return {"", "Periodic RF transmission", Kind::Supervision};
    default: break;
    }
    if (code >= 100 && code <= 109) {
        return {"panic", "Medical"};
    }
    if (code >= 110 && code <= 119) {
        return {"fire", "Fire"};
    }
    if (code >= 120 && code <= 129) {
        return {"panic", "Panic"};
    }
    if (code >= 130 && code <= 139) {
        return {"intrusion", "Burglary"};
    }
    if (code == 140 || code == 146) {
        return {"intrusion", code == 140 ? "General alarm" : "Silent burglary"};
    }
    if (code >= 141 && code <= 149) {
        return {"device_fault", "Alarm circuit trouble"};
    }
    if (code >= 200 && code <= 299) {
        return {"device_fault", "Fire supervisory"};
    }
    if (code >= 300 && code <= 399) {
        return {"device_fault", "Trouble"};
    }
    return {"vendor.cid-" + std::to_string(code), "Contact ID event " + std::to_string(code)};
}

bool isZoneChar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

} // namespace

std::string_view dataContent(std::string_view data) noexcept
{
    if (!data.empty() && data.front() == '#') {
        const size_t bar = data.find('|');
        return bar == std::string_view::npos ? std::string_view{} : data.substr(bar + 1);
    }
    if (!data.empty() && data.front() == '|') {
        return data.substr(1);
    }
    return data;
}

DataParse mapContactId(std::string_view data)
{
    DataParse result;
    const std::string_view content = dataContent(data);
    std::string digits;
    for (char c : content) {
        if (c != ' ') {
            digits += c;
        }
    }
    // Q EEE GG ZZZ: 9 characters once the spaces are gone.
    bool shaped = digits.size() == 9;
    for (size_t i = 0; shaped && i < digits.size(); ++i) {
        shaped = i < 4 ? (digits[i] >= '0' && digits[i] <= '9') : isZoneChar(digits[i]);
    }
    if (!shaped) {
        result.error = "ADM-CID data '" + std::string(content).substr(0, 40) +
                       "' is not 'Q EEE GG ZZZ' (qualifier, event code, group, zone)";
        return result;
    }
    const char qualifier = digits[0];
    if (qualifier != '1' && qualifier != '3' && qualifier != '6') {
        result.error = "ADM-CID qualifier '" + std::string(1, qualifier) + "' is not 1 (new), 3 (restore) or 6 (status)";
        return result;
    }
    const int code = std::stoi(digits.substr(1, 3));
    const CidClass cls = classify(code);
    PanelEvent event;
    event.kind = cls.kind;
    event.type = cls.type;
    event.area = digits.substr(4, 2);
    event.point = digits.substr(6, 3);
    event.code = "ADM-CID " + digits.substr(0, 4) + " " + event.area + " " + event.point;
    event.test = code == 601;
    if (cls.kind == PanelEvent::Kind::Arming) {
        // Contact ID: 1 = opening (disarmed), 3 = closing (armed); the zone field is the user.
        event.active = qualifier == '3';
        event.text = cls.words + (event.active ? ": armed" : ": disarmed") + ", user " + event.point + ", area " +
                     event.area;
        result.events.push_back(std::move(event));
        return result;
    }
    event.active = qualifier != '3';
    const std::string what = qualifier == '3' ? " restored" : (qualifier == '6' ? " (status)" : "");
    event.text = cls.words + what + ", zone " + event.point + ", area " + event.area;
    result.events.push_back(std::move(event));
    return result;
}

} // namespace ccoc::sia
