// SIA DC-04 event codes (the two letters of SIA-DCS data) mapped to the alarm contract's types.
#include "panel_event.hpp"

#include <string>

namespace ccoc::sia {

namespace {

struct SiaCode {
    std::string_view code;
    std::string_view type; // "" for arming and supervision
    bool active;
    std::string_view words;
    PanelEvent::Kind kind = PanelEvent::Kind::Alarm;
};

constexpr auto kArming = PanelEvent::Kind::Arming;
constexpr auto kSupervision = PanelEvent::Kind::Supervision;

// The codes a police station's intruder panels send; the rest become vendor.sia-XX.
constexpr SiaCode kCodes[] = {
    {"BA", "intrusion", true, "Burglary alarm"},
    {"BR", "intrusion", false, "Burglary restore"},
    {"BH", "intrusion", false, "Burglary alarm restore"},
    {"BV", "intrusion", true, "Burglary verified"},
    {"BT", "device_fault", true, "Burglary trouble"},
    {"BJ", "device_fault", false, "Burglary trouble restore"},
    {"PA", "panic", true, "Panic alarm"},
    {"PR", "panic", false, "Panic restore"},
    {"PH", "panic", false, "Panic alarm restore"},
    {"HA", "duress", true, "Holdup alarm"},
    {"HR", "duress", false, "Holdup restore"},
    {"HH", "duress", false, "Holdup alarm restore"},
    {"FA", "fire", true, "Fire alarm"},
    {"FR", "fire", false, "Fire restore"},
    {"FH", "fire", false, "Fire alarm restore"},
    {"FT", "device_fault", true, "Fire trouble"},
    {"FJ", "device_fault", false, "Fire trouble restore"},
    {"KA", "fire", true, "Heat alarm"},
    {"KR", "fire", false, "Heat restore"},
    {"SA", "fire", true, "Sprinkler alarm"},
    {"SR", "fire", false, "Sprinkler restore"},
    {"GA", "smoke", true, "Gas alarm"},
    {"GR", "smoke", false, "Gas restore"},
    {"MA", "panic", true, "Medical alarm"},
    {"MR", "panic", false, "Medical restore"},
    {"TA", "tamper", true, "Tamper alarm"},
    {"TR", "tamper", false, "Tamper restore"},
    {"WA", "water", true, "Water alarm"},
    {"WR", "water", false, "Water restore"},
    {"WH", "water", false, "Water alarm restore"},
    {"DF", "door", true, "Door forced"},
    {"DR", "door", false, "Door restore"},
    {"AT", "device_fault", true, "AC power trouble"},
    {"AR", "device_fault", false, "AC power restore"},
    {"YT", "device_fault", true, "System battery trouble"},
    {"YR", "device_fault", false, "System battery restore"},
    {"YP", "device_fault", true, "Power supply trouble"},
    {"YQ", "device_fault", false, "Power supply restore"},
    {"YS", "device_fault", true, "Communication trouble"},
    {"YK", "device_fault", false, "Communication restore"},
    {"YC", "device_fault", true, "Communication fail"},
    {"XT", "device_fault", true, "Transmitter battery trouble"},
    {"XR", "device_fault", false, "Transmitter battery restore"},
    {"ES", "tamper", true, "Expander tamper"},
    {"EJ", "tamper", false, "Expander tamper restore"},
    {"RX", "vendor.test", true, "Manual test"},
    {"CL", "", true, "Closing (armed)", kArming},
    {"CA", "", true, "Automatic closing (armed)", kArming},
    {"OP", "", false, "Opening (disarmed)", kArming},
    {"OA", "", false, "Automatic opening (disarmed)", kArming},
    {"RP", "", true, "Automatic test", kSupervision},
    {"NL", "", true, "Network link check", kSupervision},
};

bool isUpper(char c)
{
    return c >= 'A' && c <= 'Z';
}

bool allDigits(std::string_view text)
{
    for (char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

PanelEvent eventFor(std::string_view token, const std::string& area)
{
    const std::string_view letters = token.substr(0, 2);
    PanelEvent event;
    event.point = std::string(token.substr(2));
    event.area = area;
    event.code = "SIA " + std::string(token);
    std::string words;
    bool found = false;
    for (const auto& entry : kCodes) {
        if (entry.code == letters) {
            event.kind = entry.kind;
            event.type = std::string(entry.type);
            event.active = entry.active;
            words = std::string(entry.words);
            found = true;
            break;
        }
    }
    if (!found) {
        // SIA's convention: a second letter R or H is a restore of the condition.
        event.type = "vendor.sia-" + std::string(letters);
        event.active = letters[1] != 'R' && letters[1] != 'H';
        words = "SIA event " + std::string(letters);
    }
    event.test = letters == "RX";
    const bool isUser = event.kind == PanelEvent::Kind::Arming;
    event.text = words;
    if (!event.point.empty()) {
        event.text += (isUser ? ", user " : ", zone ") + event.point;
    }
    if (!area.empty()) {
        event.text += ", area " + area;
    }
    return event;
}

} // namespace

DataParse mapSiaData(std::string_view data)
{
    DataParse result;
    const std::string_view content = dataContent(data);
    if (content.empty() || content.front() != 'N') {
        result.error = "SIA-DCS data '" + std::string(content.substr(0, 40)) + "' does not start with 'N' (new event)";
        return result;
    }
    std::string area;
    std::string_view rest = content.substr(1);
    while (!rest.empty()) {
        const size_t slash = rest.find('/');
        const std::string_view token = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (token.empty()) {
            continue;
        }
        const std::string_view head = token.substr(0, 2);
        if ((head == "ri" || head == "id" || head == "pi") && allDigits(token.substr(2))) {
            if (head == "ri") {
                area = std::string(token.substr(2));
            }
            continue; // the user (id) and peripheral (pi) add nothing the alarm needs
        }
        if (head == "ti") {
            continue; // the panel's local time; the frame's UTC timestamp is what counts
        }
        if (token.size() >= 2 && isUpper(token[0]) && isUpper(token[1])) {
            // The address after the code: digits (zone or user); text after '^' is ignored.
            std::string_view address = token.substr(2);
            address = address.substr(0, address.find('^'));
            if (!allDigits(address)) {
                result.error = "SIA code '" + std::string(token.substr(0, 20)) + "': the address after '" +
                               std::string(head) + "' is not digits";
                return result;
            }
            result.events.push_back(eventFor(token.substr(0, 2 + address.size()), area));
            continue;
        }
        result.error = "SIA-DCS data: '" + std::string(token.substr(0, 20)) +
                       "' is neither a modifier (ri, id, ti, pi) nor a two-letter event code";
        return result;
    }
    if (result.events.empty()) {
        result.error = "SIA-DCS data '" + std::string(content.substr(0, 40)) + "' holds no event code";
    }
    return result;
}

} // namespace ccoc::sia
