// alarm_commands.cpp: the operator's commands to the alarm service (device "alarms") and to
// camera walls, sent without waiting; their replies are taken on the next refresh.
#include "alarm_inbox.hpp"
#include "alarm_view_model.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ccoc::alarms {

namespace {

constexpr const char* kServiceDevice = "alarms";
constexpr int32_t kCommandTtlMs = 5000;

void onReply(void* user, const ccoc_bus_reply* reply)
{
    std::unique_ptr<PendingCall> call(static_cast<PendingCall*>(user));
    if (!call->inbox->alive) {
        return;
    }
    call->inbox->pending -= std::min<size_t>(call->inbox->pending, 1);
    AlarmViewModel::Inbox::Arrived arrived;
    arrived.outcome.action = call->action;
    arrived.outcome.alarmId = call->alarmId;
    arrived.outcome.status = reply->status;
    arrived.outcome.message = reply->message != nullptr ? reply->message : "";
    arrived.resultJson = reply->result_json != nullptr ? reply->result_json : "null";
    call->inbox->arrived.push_back(std::move(arrived));
}

}  // namespace

bool AlarmViewModel::refuse(const std::string& action, const std::string& alarmId, std::string why)
{
    CommandOutcome outcome;
    outcome.action = action;
    outcome.alarmId = alarmId;
    outcome.status = CCOC_BUS_STATUS_REJECTED;
    outcome.message = std::move(why);
    outcome.sent = false;
    lastOutcome_ = std::move(outcome);
    return false;
}

bool AlarmViewModel::send(const std::string& device, const std::string& action, const std::string& alarmId,
                          const std::string& argsJson)
{
    if (bus_ == nullptr) {
        return refuse(action, alarmId, "no bus: the host offers no \"ccoc.bus/1\"");
    }
    ccoc_bus_command command{};
    command.struct_size = sizeof command;
    command.device = device.c_str();
    command.action = action.c_str();
    command.args_json = argsJson.c_str();
    command.ttl_ms = kCommandTtlMs;
    auto call = std::make_unique<PendingCall>(PendingCall{inbox_, action, alarmId});
    const int result = bus_->send_command(host_, &command, &onReply, call.get());
    if (result != CCOC_BUS_OK) {
        return refuse(action, alarmId, "not sent (bus error " + std::to_string(result) + ")");
    }
    call.release();  // onReply owns it now
    ++inbox_->pending;
    return true;
}

void AlarmViewModel::takeReplies()
{
    for (auto& arrived : inbox_->arrived) {
        if (arrived.outcome.action == "alarm.history") {
            historyLoading_ = false;
            historyError_.clear();
            history_.clear();
            if (arrived.outcome.status != CCOC_BUS_STATUS_OK) {
                historyError_ = arrived.outcome.message.empty() ? "no answer" : arrived.outcome.message;
            } else {
                const auto result = nlohmann::json::parse(arrived.resultJson, nullptr, false);
                if (!result.is_object() || !result.contains("alarms") || !result["alarms"].is_array()) {
                    historyError_ = "alarm.history: expected {\"alarms\": [...]} in the reply";
                } else {
                    for (const auto& item : result["alarms"]) {
                        std::string error;
                        if (auto record = parseAlarmRecord(item.dump(), &error)) {
                            history_.push_back(std::move(*record));
                        } else {
                            historyError_ = error;  // shown; the readable ones are listed
                        }
                    }
                }
            }
        }
        lastOutcome_ = std::move(arrived.outcome);
    }
    inbox_->arrived.clear();
}

size_t AlarmViewModel::pendingCommands() const noexcept
{
    return inbox_->pending;
}

bool AlarmViewModel::acknowledge(const std::string& id, const std::string& note)
{
    const AlarmRecord* record = find(id);
    if (record == nullptr) {
        return refuse("alarm.ack", id, "no open alarm " + id);
    }
    switch (ackBlock(*record, note)) {
    case AckBlock::NoteRequired:
        return refuse("alarm.ack", id, "a note is required to acknowledge a priority " + std::to_string(record->priority) +
                                           " alarm");
    case AckBlock::AlreadyAcknowledged:
        return refuse("alarm.ack", id, id + " is already acknowledged");
    case AckBlock::Closed:
        return refuse("alarm.ack", id, id + " is closed");
    case AckBlock::None:
        break;
    }
    const nlohmann::json args = {{"id", id}, {"operator", operator_}, {"note", note}};
    return send(kServiceDevice, "alarm.ack", id, args.dump());
}

bool AlarmViewModel::assign(const std::string& id, const std::string& to)
{
    if (find(id) == nullptr) {
        return refuse("alarm.assign", id, "no open alarm " + id);
    }
    const nlohmann::json args = {{"id", id}, {"operator", operator_}, {"to", to}};
    return send(kServiceDevice, "alarm.assign", id, args.dump());
}

bool AlarmViewModel::close(const std::string& id, const std::string& outcome, const std::string& note)
{
    if (find(id) == nullptr) {
        return refuse("alarm.close", id, "no open alarm " + id);
    }
    if (std::find(std::begin(kOutcomes), std::end(kOutcomes), outcome) == std::end(kOutcomes)) {
        return refuse("alarm.close", id, "outcome '" + outcome + "' is not one of real, false_alarm, test, other");
    }
    const nlohmann::json args = {{"id", id}, {"operator", operator_}, {"outcome", outcome}, {"note", note}};
    return send(kServiceDevice, "alarm.close", id, args.dump());
}

bool AlarmViewModel::addNote(const std::string& id, const std::string& text)
{
    if (find(id) == nullptr) {
        return refuse("alarm.note", id, "no open alarm " + id);
    }
    if (text.empty()) {
        return refuse("alarm.note", id, "the note is empty");
    }
    const nlohmann::json args = {{"id", id}, {"operator", operator_}, {"text", text}};
    return send(kServiceDevice, "alarm.note", id, args.dump());
}

bool AlarmViewModel::requestHistory(const std::string& search, int limit)
{
    const nlohmann::json args = {{"limit", limit}, {"search", search}, {"before_us", 0}};
    if (!send(kServiceDevice, "alarm.history", "", args.dump())) {
        return false;
    }
    historyLoading_ = true;
    return true;
}

bool AlarmViewModel::sendOther(const std::string& device, const std::string& action, const std::string& argsJson)
{
    return send(device, action, "", argsJson);
}

}  // namespace ccoc::alarms
