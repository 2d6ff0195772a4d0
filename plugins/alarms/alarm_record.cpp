// alarm_record.cpp: decoding alarm records and the summary, priority colours.
#include "alarm_record.hpp"

#include "ccoc/i18n.hpp"

#include <nlohmann/json.hpp>

namespace ccoc::alarms {

namespace {

using Json = nlohmann::json;

// Reads an optional field into `out`; a value of another type is an error naming the field.
class FieldReader {
public:
    FieldReader(const Json& object, std::string what) : object_(object), what_(std::move(what)) {}

    void text(const char* key, std::string& out)
    {
        if (const Json* value = find(key)) {
            value->is_string() ? void(out = value->get<std::string>()) : fail(key, "a string", *value);
        }
    }
    void integer(const char* key, int64_t& out)
    {
        if (const Json* value = find(key)) {
            value->is_number_integer() ? void(out = value->get<int64_t>()) : fail(key, "an integer", *value);
        }
    }
    void boolean(const char* key, bool& out)
    {
        if (const Json* value = find(key)) {
            value->is_boolean() ? void(out = value->get<bool>()) : fail(key, "true or false", *value);
        }
    }
    void texts(const char* key, std::vector<std::string>& out)
    {
        if (const Json* value = find(key)) {
            if (!value->is_array()) {
                fail(key, "an array of strings", *value);
                return;
            }
            for (const auto& item : *value) {
                item.is_string() ? out.push_back(item.get<std::string>()) : fail(key, "an array of strings", item);
            }
        }
    }
    [[nodiscard]] const Json* object(const char* key)
    {
        const Json* value = find(key);
        if (value != nullptr && !value->is_object()) {
            fail(key, "an object", *value);
            return nullptr;
        }
        return value;
    }
    [[nodiscard]] const std::string& error() const { return error_; }

private:
    const Json* find(const char* key) const
    {
        const auto it = object_.find(key);
        return it == object_.end() || it->is_null() ? nullptr : &*it;
    }
    void fail(const char* key, const char* expected, const Json& got)
    {
        if (error_.empty()) {
            error_ = what_ + ": '" + key + "' must be " + expected + ", got " + got.dump();
        }
    }

    const Json& object_;
    std::string what_;
    std::string error_;
};

bool setError(std::string* error, std::string text)
{
    if (error != nullptr) {
        *error = std::move(text);
    }
    return false;
}

}  // namespace

int64_t AlarmRecord::sortTimeUs() const noexcept
{
    return lastUs != 0 ? lastUs : firstUs != 0 ? firstUs : receivedUs;
}

const std::string& AlarmRecord::displayName(std::string_view language) const noexcept
{
    const std::string& name = i18n::siteText(language, deviceName, deviceNameEn);
    return !name.empty() ? name : device;
}

std::optional<AlarmRecord> parseAlarmRecord(std::string_view json, std::string* error)
{
    const Json root = Json::parse(json, nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        setError(error, "alarm record: expected a JSON object, got " + std::string(json.substr(0, 80)));
        return std::nullopt;
    }
    AlarmRecord record;
    FieldReader read(root, "alarm record");
    read.text("id", record.id);
    if (record.id.empty()) {
        setError(error, "alarm record: no \"id\" (a non-empty string is expected)");
        return std::nullopt;
    }
    FieldReader fields(root, "alarm record " + record.id);
    int64_t priority = 3;
    fields.integer("priority", priority);
    fields.text("device", record.device);
    fields.text("device_name", record.deviceName);
    fields.text("device_name_en", record.deviceNameEn);
    fields.text("type", record.type);
    fields.text("point", record.point);
    fields.text("state", record.state);
    fields.boolean("cleared", record.cleared);
    fields.integer("count", record.count);
    fields.integer("first_us", record.firstUs);
    fields.integer("last_us", record.lastUs);
    fields.integer("received_us", record.receivedUs);
    fields.text("zone", record.zone);
    fields.text("risk_point", record.riskPoint);
    fields.texts("cameras", record.cameras);
    fields.text("procedure", record.procedure);
    fields.text("text", record.text);
    fields.text("code", record.code);
    fields.text("source", record.source);
    fields.text("event_id", record.eventId);
    fields.boolean("test", record.test);
    fields.text("assigned_to", record.assignedTo);
    fields.integer("escalated", record.escalated);
    fields.boolean("stored", record.stored);
    if (const Json* ack = fields.object("ack")) {
        FieldReader a(*ack, "alarm record " + record.id + " ack");
        a.text("by", record.ackBy);
        a.integer("at_us", record.ackAtUs);
        a.text("note", record.ackNote);
        if (!a.error().empty()) {
            setError(error, a.error());
            return std::nullopt;
        }
    }
    if (const Json* close = fields.object("close")) {
        FieldReader c(*close, "alarm record " + record.id + " close");
        c.text("by", record.closeBy);
        c.integer("at_us", record.closeAtUs);
        c.text("outcome", record.closeOutcome);
        c.text("note", record.closeNote);
        if (!c.error().empty()) {
            setError(error, c.error());
            return std::nullopt;
        }
    }
    if (auto it = root.find("notes"); it != root.end() && it->is_array()) {
        for (const auto& item : *it) {
            if (!item.is_object()) {
                continue;  // a note we cannot read is skipped, the alarm still shows
            }
            AlarmNote note;
            FieldReader n(item, "alarm record " + record.id + " note");
            n.text("by", note.by);
            n.integer("at_us", note.atUs);
            n.text("text", note.text);
            record.notes.push_back(std::move(note));
        }
    }
    if (!fields.error().empty()) {
        setError(error, fields.error());
        return std::nullopt;
    }
    if (priority < 1 || priority > 5) {
        setError(error, "alarm record " + record.id + ": 'priority' must be 1..5, got " + std::to_string(priority));
        return std::nullopt;
    }
    record.priority = static_cast<int>(priority);
    return record;
}

std::optional<AlarmCounts> parseAlarmSummary(std::string_view json, std::string* error)
{
    const Json root = Json::parse(json, nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        setError(error, "alarm summary: expected a JSON object, got " + std::string(json.substr(0, 80)));
        return std::nullopt;
    }
    AlarmCounts counts;
    FieldReader read(root, "alarm summary");
    read.integer("open", counts.open);
    read.integer("unacknowledged", counts.unacknowledged);
    const auto perPriority = [&](const char* key, int64_t (&out)[5]) {
        if (const Json* table = read.object(key)) {
            FieldReader each(*table, std::string("alarm summary ") + key);
            for (int p = 1; p <= 5; ++p) {
                each.integer(std::to_string(p).c_str(), out[p - 1]);
            }
            if (!each.error().empty() && error != nullptr && error->empty()) {
                *error = each.error();
            }
        }
    };
    perPriority("by_priority", counts.byPriority);
    perPriority("unacknowledged_by_priority", counts.unacknowledgedByPriority);
    if (!read.error().empty()) {
        setError(error, read.error());
        return std::nullopt;
    }
    return counts;
}

Rgb priorityColour(int priority) noexcept
{
    switch (priority) {
    case 1:
        return {235, 50, 45};   // red
    case 2:
        return {245, 140, 30};  // orange
    case 3:
        return {240, 215, 40};  // yellow
    case 4:
        return {60, 130, 240};  // blue
    default:
        return {150, 150, 150}; // grey
    }
}

const char* storageMark(const AlarmRecord& record) noexcept
{
    if (record.stored) {
        return "";
    }
    return tr("not yet stored");
}

const char* alarmTypeText(const std::string& type) noexcept
{
    struct Entry {
        std::string_view type;
        const char* text;
    };
    const Entry entries[] = {
        {"intrusion", trc("alarm type", "intrusion")},   {"door", trc("alarm type", "door")},
        {"motion", trc("alarm type", "motion")},         {"glass_break", trc("alarm type", "glass_break")},
        {"panic", trc("alarm type", "panic")},           {"duress", trc("alarm type", "duress")},
        {"fire", trc("alarm type", "fire")},             {"smoke", trc("alarm type", "smoke")},
        {"water", trc("alarm type", "water")},           {"tamper", trc("alarm type", "tamper")},
        {"camera_offline", trc("alarm type", "camera_offline")}, {"device_fault", trc("alarm type", "device_fault")},
    };
    for (const Entry& entry : entries) {
        if (entry.type == type) {
            return entry.text;
        }
    }
    return type.c_str();
}

bool ackNeedsNote(int priority) noexcept
{
    return priority <= 2;
}

}  // namespace ccoc::alarms
