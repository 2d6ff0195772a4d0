// Commands to the alarm service (device "alarms"): decoding and encoding their args.
#include "ccoc/alarm.hpp"
#include "json_fields.hpp"

namespace ccoc::alarm {

using nlohmann::json;

Decoded<AlarmCommand> decodeCommand(std::string_view actionText, std::string_view argsJson) {
    Decoded<AlarmCommand> result;
    const auto action = parseAction(actionText);
    if (!action) {
        result.error = "unknown action '" + std::string(actionText) +
                       "'; expected alarm.ack, alarm.assign, alarm.close, alarm.note or alarm.history";
        return result;
    }
    const std::string what = "the args of " + std::string(actionText);
    json object;
    // history may come with no args at all (null): every default applies.
    if (*action == Action::History && (argsJson.empty() || argsJson == "null")) {
        argsJson = "{}";
    }
    if (!detail::parseObject(argsJson, what, object, result.error)) {
        return result;
    }
    detail::FieldReader reader(object, what);
    AlarmCommand command;
    command.action = *action;
    using detail::Field;
    if (*action == Action::History) {
        int64_t limit = 200;
        reader.integer("limit", limit, 1, 1000);
        command.limit = static_cast<int>(limit);
        reader.text("search", command.search);
        reader.integer("before_us", command.beforeUs, 0, INT64_MAX);
    } else {
        reader.text("id", command.id, Field::required);
        reader.text("operator", command.operatorName, Field::required);
        if (reader.ok() && command.operatorName.empty()) {
            reader.fail("'operator' of " + what + " is empty; expected the operator's name");
        }
    }
    switch (*action) {
    case Action::Ack:
        reader.text("note", command.note);
        break;
    case Action::Assign:
        reader.text("to", command.to, Field::required);
        break;
    case Action::Close:
        reader.text("outcome", command.outcome, Field::required);
        reader.text("note", command.note);
        if (reader.ok() && !isOutcome(command.outcome)) {
            reader.fail("'outcome' of " + what + " is '" + command.outcome +
                        "'; expected one of real, false_alarm, test, other");
        }
        break;
    case Action::Note:
        reader.text("text", command.text, Field::required);
        if (reader.ok() && command.text.empty()) {
            reader.fail("'text' of " + what + " is empty; expected the note's text");
        }
        break;
    case Action::History:
        break;
    }
    if (!reader.ok()) {
        result.error = reader.error();
        return result;
    }
    result.value = std::move(command);
    return result;
}

std::string encodeCommandArgs(const AlarmCommand& command) {
    json args = json::object();
    if (command.action == Action::History) {
        args["limit"] = command.limit;
        args["search"] = command.search;
        args["before_us"] = command.beforeUs;
        return args.dump();
    }
    args["id"] = command.id;
    args["operator"] = command.operatorName;
    switch (command.action) {
    case Action::Ack:
        args["note"] = command.note;
        break;
    case Action::Assign:
        args["to"] = command.to;
        break;
    case Action::Close:
        args["outcome"] = command.outcome;
        args["note"] = command.note;
        break;
    case Action::Note:
        args["text"] = command.text;
        break;
    case Action::History:
        break;
    }
    return args.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace ccoc::alarm
