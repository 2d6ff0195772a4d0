// JSON form of state/alarms/journal/ (sdk/docs/alarms.md section 2, "Journal health"): the alarm
// service says there whether its journal is written and which alarms wait for it.
#include "ccoc/alarm.hpp"
#include "json_fields.hpp"

#include <algorithm>

namespace ccoc::alarm {

using nlohmann::json;

std::string encodeJournalHealth(const JournalHealth& health) {
    json ids = json::array();
    for (size_t i = 0; i < health.notStored.size() && i < kMaxNotStoredIds; ++i) {
        ids.push_back(health.notStored[i]);
    }
    return json{{"ok", health.ok},
                {"error", health.error},
                {"since_us", health.sinceUs},
                {"not_stored", std::move(ids)},
                {"not_stored_count", health.notStoredCount},
                {"events_waiting", health.eventsWaiting},
                {"events_held", health.eventsHeld}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
}

Decoded<JournalHealth> decodeJournalHealth(std::string_view text) {
    Decoded<JournalHealth> result;
    json object;
    if (!detail::parseObject(text, "the alarm journal health", object, result.error)) {
        return result;
    }
    detail::FieldReader reader(object, "the alarm journal health");
    JournalHealth health;
    using detail::Field;
    reader.boolean("ok", health.ok, Field::required);
    reader.text("error", health.error);
    reader.integer("since_us", health.sinceUs, 0, INT64_MAX);
    reader.integer("not_stored_count", health.notStoredCount, 0, INT64_MAX);
    reader.integer("events_waiting", health.eventsWaiting, 0, INT64_MAX);
    reader.integer("events_held", health.eventsHeld, 0, INT64_MAX);
    if (const json* ids = reader.find("not_stored"); ids != nullptr) {
        if (!ids->is_array()) {
            reader.fail("'not_stored' of the alarm journal health is " + std::string(detail::jsonTypeNoun(*ids)) +
                        "; expected an array of alarm ids");
        } else {
            for (const json& id : *ids) {
                if (!id.is_string()) {
                    reader.fail("an element of 'not_stored' is " + std::string(detail::jsonTypeNoun(id)) +
                                "; expected an alarm id (a string)");
                    break;
                }
                health.notStored.push_back(id.get<std::string>());
            }
        }
    }
    if (!reader.ok()) {
        result.error = reader.error();
        return result;
    }
    // An older or terse service may leave the count out: the list is then all of them.
    health.notStoredCount = std::max<int64_t>(health.notStoredCount, static_cast<int64_t>(health.notStored.size()));
    result.value = std::move(health);
    return result;
}

} // namespace ccoc::alarm
