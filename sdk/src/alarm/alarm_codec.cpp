// JSON forms of alarm events, records and the summary (sdk/docs/alarms.md, sdk/schema/alarm-*).
#include "ccoc/alarm.hpp"
#include "json_fields.hpp"

namespace ccoc::alarm {

using nlohmann::json;

namespace detail {

std::string_view jsonTypeNoun(const json& value) {
    switch (value.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
        return "a string";
    case json::value_t::boolean:
        return "a boolean";
    case json::value_t::number_float:
        return "a number with a fraction";
    default:
        return "an integer";
    }
}

bool parseObject(std::string_view text, std::string_view what, json& out, std::string& error) {
    out = json::parse(text, nullptr, false);
    if (out.is_discarded()) {
        error = std::string(what) + " is not valid JSON; expected a JSON object";
        return false;
    }
    if (!out.is_object()) {
        error = std::string(what) + " is " + std::string(jsonTypeNoun(out)) + "; expected a JSON object";
        return false;
    }
    return true;
}

void FieldReader::fail(std::string message) {
    if (error_.empty()) {
        error_ = std::move(message);
    }
}

const json* FieldReader::find(std::string_view key) const {
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
}

const json* FieldReader::fetch(std::string_view key, Field need, std::string_view wanted) {
    const json* value = find(key);
    if (value == nullptr && need == Field::required) {
        fail(what_ + " has no '" + std::string(key) + "'; expected " + std::string(wanted));
    }
    return value;
}

void FieldReader::text(std::string_view key, std::string& target, Field need) {
    if (const json* value = fetch(key, need, "a string")) {
        if (!value->is_string()) {
            fail("'" + std::string(key) + "' of " + what_ + " is " + std::string(jsonTypeNoun(*value)) + "; expected a string");
        } else {
            target = value->get<std::string>();
        }
    }
}

void FieldReader::boolean(std::string_view key, bool& target, Field need) {
    if (const json* value = fetch(key, need, "true or false")) {
        if (!value->is_boolean()) {
            fail("'" + std::string(key) + "' of " + what_ + " is " + std::string(jsonTypeNoun(*value)) + "; expected true or false");
        } else {
            target = value->get<bool>();
        }
    }
}

void FieldReader::integer(std::string_view key, int64_t& target, int64_t min, int64_t max, Field need) {
    const std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    if (const json* value = fetch(key, need, range)) {
        if (!value->is_number_integer()) {
            fail("'" + std::string(key) + "' of " + what_ + " is " + std::string(jsonTypeNoun(*value)) + "; expected " + range);
            return;
        }
        const int64_t got = value->get<int64_t>();
        if (got < min || got > max) {
            fail("'" + std::string(key) + "' of " + what_ + " is " + std::to_string(got) + "; expected " + range);
            return;
        }
        target = got;
    }
}

} // namespace detail

namespace {

constexpr int64_t kMaxInt = INT64_MAX;

json personJson(const std::string& by, int64_t atUs) { return json{{"by", by}, {"at_us", atUs}}; }

} // namespace

Decoded<AlarmEvent> decodeEvent(std::string_view text, std::string_view fallbackType) {
    Decoded<AlarmEvent> result;
    json object;
    if (!detail::parseObject(text, "the alarm event", object, result.error)) {
        return result;
    }
    detail::FieldReader reader(object, "the alarm event");
    AlarmEvent event;
    reader.text("type", event.type, fallbackType.empty() ? detail::Field::required : detail::Field::optional);
    reader.boolean("active", event.active, detail::Field::required);
    reader.text("event_id", event.eventId);
    reader.text("point", event.point);
    reader.text("text", event.text);
    reader.text("code", event.code);
    reader.boolean("test", event.test);
    if (reader.ok() && event.type.empty()) {
        event.type = std::string(fallbackType);
    }
    if (reader.ok() && !isKnownType(event.type)) {
        reader.fail("'type' of the alarm event is '" + event.type + "'; expected " + std::string(kTypeExpectation));
    }
    if (!reader.ok()) {
        result.error = reader.error();
        return result;
    }
    result.value = std::move(event);
    return result;
}

std::string encodeEvent(const AlarmEvent& event) {
    json object{{"type", event.type}, {"active", event.active}};
    for (const auto& [key, value] : {std::pair{"event_id", &event.eventId}, std::pair{"point", &event.point},
                                     std::pair{"text", &event.text}, std::pair{"code", &event.code}}) {
        if (!value->empty()) {
            object[key] = *value;
        }
    }
    if (event.test) {
        object["test"] = true;
    }
    return object.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string encodeRecord(const AlarmRecord& record) {
    json object{{"id", record.id},
                {"device", record.device},
                {"device_name", record.deviceName},
                {"device_name_en", record.deviceNameEn},
                {"type", record.type},
                {"point", record.point},
                {"priority", record.priority},
                {"state", stateName(record.state)},
                {"cleared", record.cleared},
                {"count", record.count},
                {"first_us", record.firstUs},
                {"last_us", record.lastUs},
                {"received_us", record.receivedUs},
                {"zone", record.zone},
                {"risk_point", record.riskPoint},
                {"position", record.position ? json::array({record.position->first, record.position->second}) : json(nullptr)},
                {"cameras", record.cameras},
                {"procedure", record.procedure},
                {"text", record.text},
                {"code", record.code},
                {"source", record.source},
                {"event_id", record.eventId},
                {"test", record.test},
                {"assigned_to", record.assignedTo},
                {"escalated", record.escalated}};
    if (record.ack) {
        json ack = personJson(record.ack->by, record.ack->atUs);
        ack["note"] = record.ack->note;
        object["ack"] = std::move(ack);
    }
    if (record.close) {
        json close = personJson(record.close->by, record.close->atUs);
        close["outcome"] = record.close->outcome;
        close["note"] = record.close->note;
        object["close"] = std::move(close);
    }
    json notes = json::array();
    for (const Note& note : record.notes) {
        json item = personJson(note.by, note.atUs);
        item["text"] = note.text;
        notes.push_back(std::move(item));
    }
    object["notes"] = std::move(notes);
    if (!record.stored) {
        object["stored"] = false;
    }
    return object.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

void readPerson(detail::FieldReader& reader, std::string& by, int64_t& atUs) {
    reader.text("by", by, detail::Field::required);
    reader.integer("at_us", atUs, 0, kMaxInt, detail::Field::required);
}

template <typename T, typename Fill>
std::optional<T> readSubObject(detail::FieldReader& outer, std::string_view key, Fill fill) {
    const json* value = outer.find(key);
    if (value == nullptr || value->is_null()) {
        return std::nullopt;
    }
    if (!value->is_object()) {
        outer.fail("'" + std::string(key) + "' of the alarm record is " + std::string(detail::jsonTypeNoun(*value)) +
                   "; expected an object");
        return std::nullopt;
    }
    detail::FieldReader reader(*value, "'" + std::string(key) + "' of the alarm record");
    T out;
    fill(reader, out);
    if (!reader.ok()) {
        outer.fail(reader.error());
        return std::nullopt;
    }
    return out;
}

void readStrings(detail::FieldReader& reader, std::string_view key, std::vector<std::string>& target) {
    const json* value = reader.find(key);
    if (value == nullptr) {
        return;
    }
    if (!value->is_array()) {
        reader.fail("'" + std::string(key) + "' of the alarm record is " + std::string(detail::jsonTypeNoun(*value)) +
                    "; expected an array of strings");
        return;
    }
    for (const json& item : *value) {
        if (!item.is_string()) {
            reader.fail("an element of '" + std::string(key) + "' is " + std::string(detail::jsonTypeNoun(item)) +
                        "; expected a string");
            return;
        }
        target.push_back(item.get<std::string>());
    }
}

void readPosition(detail::FieldReader& reader, AlarmRecord& record) {
    const json* value = reader.find("position");
    if (value == nullptr || value->is_null()) {
        return;
    }
    if (!value->is_array() || value->size() != 2 || !(*value)[0].is_number() || !(*value)[1].is_number()) {
        reader.fail("'position' of the alarm record is not [latitude, longitude]; expected two numbers or null");
        return;
    }
    record.position = std::pair{(*value)[0].get<double>(), (*value)[1].get<double>()};
}

} // namespace

Decoded<AlarmRecord> decodeRecord(std::string_view text) {
    Decoded<AlarmRecord> result;
    json object;
    if (!detail::parseObject(text, "the alarm record", object, result.error)) {
        return result;
    }
    detail::FieldReader reader(object, "the alarm record");
    AlarmRecord record;
    using detail::Field;
    reader.text("id", record.id, Field::required);
    reader.text("device", record.device, Field::required);
    reader.text("device_name", record.deviceName);
    reader.text("device_name_en", record.deviceNameEn);
    reader.text("type", record.type, Field::required);
    reader.text("point", record.point);
    int64_t priority = 3;
    reader.integer("priority", priority, kHighestPriority, kLowestPriority, Field::required);
    record.priority = static_cast<int>(priority);
    std::string state = "new";
    reader.text("state", state, Field::required);
    if (auto parsed = parseState(state)) {
        record.state = *parsed;
    } else if (reader.ok()) {
        reader.fail("'state' of the alarm record is '" + state + "'; expected new, acknowledged or closed");
    }
    reader.boolean("cleared", record.cleared);
    reader.integer("count", record.count, 1, kMaxInt);
    reader.integer("first_us", record.firstUs, 0, kMaxInt);
    reader.integer("last_us", record.lastUs, 0, kMaxInt);
    reader.integer("received_us", record.receivedUs, 0, kMaxInt);
    reader.text("zone", record.zone);
    reader.text("risk_point", record.riskPoint);
    readPosition(reader, record);
    readStrings(reader, "cameras", record.cameras);
    reader.text("procedure", record.procedure);
    reader.text("text", record.text);
    reader.text("code", record.code);
    reader.text("source", record.source);
    reader.text("event_id", record.eventId);
    reader.boolean("test", record.test);
    reader.text("assigned_to", record.assignedTo);
    reader.integer("escalated", record.escalated, 0, kMaxInt);
    reader.boolean("stored", record.stored);
    record.ack = readSubObject<Acknowledgement>(reader, "ack", [](detail::FieldReader& sub, Acknowledgement& ack) {
        readPerson(sub, ack.by, ack.atUs);
        sub.text("note", ack.note);
    });
    record.close = readSubObject<Closure>(reader, "close", [](detail::FieldReader& sub, Closure& close) {
        readPerson(sub, close.by, close.atUs);
        sub.text("outcome", close.outcome, detail::Field::required);
        sub.text("note", close.note);
    });
    if (const json* notes = reader.find("notes"); notes != nullptr && notes->is_array()) {
        for (const json& item : *notes) {
            if (!item.is_object()) {
                reader.fail("a note of the alarm record is " + std::string(detail::jsonTypeNoun(item)) +
                            "; expected {\"by\", \"at_us\", \"text\"}");
                break;
            }
            detail::FieldReader sub(item, "a note of the alarm record");
            Note note;
            readPerson(sub, note.by, note.atUs);
            sub.text("text", note.text);
            if (!sub.ok()) {
                reader.fail(sub.error());
                break;
            }
            record.notes.push_back(std::move(note));
        }
    }
    if (!reader.ok()) {
        result.error = reader.error();
        return result;
    }
    result.value = std::move(record);
    return result;
}

std::string encodeSummary(const AlarmSummary& summary) {
    json byPriority = json::object();
    json unackByPriority = json::object();
    for (size_t i = 0; i < summary.byPriority.size(); ++i) {
        byPriority[std::to_string(i + 1)] = summary.byPriority[i];
        unackByPriority[std::to_string(i + 1)] = summary.unacknowledgedByPriority[i];
    }
    return json{{"open", summary.open},
                {"unacknowledged", summary.unacknowledged},
                {"by_priority", std::move(byPriority)},
                {"unacknowledged_by_priority", std::move(unackByPriority)}}
        .dump();
}

Decoded<AlarmSummary> decodeSummary(std::string_view text) {
    Decoded<AlarmSummary> result;
    json object;
    if (!detail::parseObject(text, "the alarm summary", object, result.error)) {
        return result;
    }
    detail::FieldReader reader(object, "the alarm summary");
    AlarmSummary summary;
    reader.integer("open", summary.open, 0, kMaxInt, detail::Field::required);
    reader.integer("unacknowledged", summary.unacknowledged, 0, kMaxInt, detail::Field::required);
    for (const auto& [key, target] : {std::pair{"by_priority", &summary.byPriority},
                                      std::pair{"unacknowledged_by_priority", &summary.unacknowledgedByPriority}}) {
        const json* table = reader.find(key);
        if (table == nullptr || !table->is_object()) {
            reader.fail(std::string("the alarm summary has no object '") + key + "'; expected {\"1\": N, ... \"5\": N}");
            continue;
        }
        detail::FieldReader sub(*table, std::string("'") + key + "' of the alarm summary");
        for (size_t i = 0; i < target->size(); ++i) {
            sub.integer(std::to_string(i + 1), (*target)[i], 0, kMaxInt);
        }
        if (!sub.ok()) {
            reader.fail(sub.error());
        }
    }
    if (!reader.ok()) {
        result.error = reader.error();
        return result;
    }
    result.value = summary;
    return result;
}

} // namespace ccoc::alarm
