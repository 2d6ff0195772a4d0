// alarm_fixture.cpp: broker, alarm service peer and console for the alarm panel tests.
#include "alarm_fixture.hpp"

#include "child_process.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace ccoc::test {

namespace {

using Json = nlohmann::json;

runtime::BusCService* gService = nullptr;

int64_t wallUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bus::Reply rejected(std::string why)
{
    return {bus::CommandStatus::Rejected, std::move(why), "null"};
}

}  // namespace

double steadyNowSec()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Json alarmRecord(const std::string& id, int priority, const std::string& type, const std::string& device, int64_t lastUs)
{
    return {{"id", id},       {"device", device}, {"device_name", device + " (th)"}, {"device_name_en", device + " (en)"},
            {"type", type},   {"point", ""},      {"priority", priority},             {"state", "new"},
            {"cleared", false}, {"count", 1},     {"first_us", lastUs},               {"last_us", lastUs},
            {"received_us", lastUs}, {"zone", ""}, {"risk_point", ""},                {"cameras", Json::array()},
            {"procedure", ""}, {"text", ""},      {"code", ""},                       {"source", "test"},
            {"event_id", id}, {"test", false},    {"assigned_to", ""},                {"escalated", 0},
            {"notes", Json::array()}};
}

AlarmServicePeer::AlarmServicePeer(const std::string& frontend, const std::string& publisher)
{
    bus::ClientConfig config;
    config.sourceId = "alarms";
    config.role = bus::Role::Driver;
    config.devices = {"alarms"};
    config.frontendEndpoint = frontend;
    config.publisherEndpoint = publisher;
    config.heartbeatMs = 200;
    client_ = std::make_unique<bus::Client>(config);
    client_->serveCommands([this](const bus::IncomingCommand& command, bus::Responder responder) {
        responder.answer(handle(command));
    });
    if (!client_->start().ok() || !client_->waitReady(10000)) {
        throw std::runtime_error("alarm service peer: no welcome from the broker at " + frontend);
    }
}

AlarmServicePeer::~AlarmServicePeer()
{
    client_->stop();
}

void AlarmServicePeer::publish(const Json& record)
{
    const auto status = client_->publishState("alarms/item/" + record["id"].get<std::string>(), record.dump());
    if (!status.ok()) {
        throw std::runtime_error("alarm service peer: " + status.error);
    }
}

void AlarmServicePeer::remove(const std::string& id)
{
    // The contract: a closed alarm's retained item is removed.
    const auto status = client_->removeState("alarms/item/" + id);
    if (!status.ok()) {
        throw std::runtime_error("alarm service peer: " + status.error);
    }
}

void AlarmServicePeer::journalHealth(bool ok, int notStored)
{
    const Json health = {{"ok", ok}, {"error", ok ? "" : "disk I/O error"}, {"not_stored_count", notStored}};
    if (const auto status = client_->publishState("alarms/journal", health.dump()); !status.ok()) {
        throw std::runtime_error("alarm service peer: " + status.error);
    }
}

void AlarmServicePeer::publishSummary()
{
    Json summary = {{"open", 0}, {"unacknowledged", 0}, {"by_priority", Json::object()},
                    {"unacknowledged_by_priority", Json::object()}};
    for (int p = 1; p <= 5; ++p) {
        summary["by_priority"][std::to_string(p)] = 0;
        summary["unacknowledged_by_priority"][std::to_string(p)] = 0;
    }
    for (const auto& [id, record] : open_) {
        if (record["priority"].get<int>() < 1 || record["priority"].get<int>() > 5) {
            continue;  // a broken record a test publishes on purpose
        }
        const std::string p = std::to_string(record["priority"].get<int>());
        summary["open"] = summary["open"].get<int>() + 1;
        summary["by_priority"][p] = summary["by_priority"][p].get<int>() + 1;
        if (record["state"] == "new") {
            summary["unacknowledged"] = summary["unacknowledged"].get<int>() + 1;
            summary["unacknowledged_by_priority"][p] = summary["unacknowledged_by_priority"][p].get<int>() + 1;
        }
    }
    (void)client_->publishState("alarms/summary", summary.dump());
}

void AlarmServicePeer::raise(const Json& record)
{
    std::lock_guard lock(mutex_);
    open_[record["id"].get<std::string>()] = record;
    publish(record);
    publishSummary();
}

void AlarmServicePeer::escalate(const std::string& id, int priority, const std::string& screen)
{
    (void)client_->publishEvent("alarms/escalated", Json{{"id", id}, {"priority", priority}, {"screen", screen}}.dump());
}

void AlarmServicePeer::closeAlarm(const std::string& id, const std::string& outcome)
{
    std::lock_guard lock(mutex_);
    auto it = open_.find(id);
    if (it == open_.end()) {
        return;
    }
    Json record = it->second;
    record["state"] = "closed";
    record["close"] = {{"by", "test"}, {"at_us", wallUs()}, {"outcome", outcome}, {"note", ""}};
    open_.erase(it);
    closed_.push_back(record);
    remove(id);
    publishSummary();
}

std::vector<std::string> AlarmServicePeer::received() const
{
    std::lock_guard lock(mutex_);
    return received_;
}

Json AlarmServicePeer::record(const std::string& id) const
{
    std::lock_guard lock(mutex_);
    const auto it = open_.find(id);
    return it == open_.end() ? Json() : it->second;
}

bus::Reply AlarmServicePeer::handle(const bus::IncomingCommand& command)
{
    std::lock_guard lock(mutex_);
    received_.push_back(command.action + " " + command.argsJson);
    const Json args = Json::parse(command.argsJson, nullptr, false);
    if (command.action == "alarm.history") {
        Json alarms = Json::array();
        for (auto it = closed_.rbegin(); it != closed_.rend(); ++it) {
            alarms.push_back(*it);
        }
        for (const auto& [id, record] : open_) {
            alarms.push_back(record);
        }
        return {bus::CommandStatus::Ok, "", Json{{"alarms", alarms}}.dump()};
    }
    if (!args.is_object() || !args.contains("id") || !args["id"].is_string()) {
        return rejected(command.action + " expects {\"id\": ...}");
    }
    const std::string id = args["id"].get<std::string>();
    auto it = open_.find(id);
    if (it == open_.end()) {
        return rejected("unknown or closed alarm " + id);
    }
    Json& record = it->second;
    const std::string by = args.value("operator", std::string());
    if (command.action == "alarm.ack") {
        const std::string note = args.value("note", std::string());
        if (record["priority"].get<int>() <= 2 && note.empty()) {
            return rejected("a note is required to acknowledge a priority 1-2 alarm");
        }
        record["state"] = "acknowledged";
        record["ack"] = {{"by", by}, {"at_us", wallUs()}, {"note", note}};
    } else if (command.action == "alarm.assign") {
        record["assigned_to"] = args.value("to", std::string());
    } else if (command.action == "alarm.note") {
        record["notes"].push_back({{"by", by}, {"at_us", wallUs()}, {"text", args.value("text", std::string())}});
    } else if (command.action == "alarm.close") {
        const std::string outcome = args.value("outcome", std::string());
        if (outcome != "real" && outcome != "false_alarm" && outcome != "test" && outcome != "other") {
            return rejected("outcome must be real, false_alarm, test or other");
        }
        Json closed = record;
        closed["state"] = "closed";
        closed["close"] = {{"by", by}, {"at_us", wallUs()}, {"outcome", outcome}, {"note", args.value("note", "")}};
        open_.erase(it);
        closed_.push_back(closed);
        remove(id);
        publishSummary();
        return {bus::CommandStatus::Ok, "", "null"};
    } else {
        return rejected("unknown action " + command.action);
    }
    publish(record);
    publishSummary();
    return {bus::CommandStatus::Ok, "", "null"};
}

AlarmBus::AlarmBus()
{
    const std::string& dir = dir_.path();
    bus::BrokerConfig brokerConfig;
    brokerConfig.frontendEndpoint = "ipc://" + dir + "/frontend";
    brokerConfig.publisherEndpoint = "ipc://" + dir + "/publisher";
    brokerConfig.heartbeatMs = 200;
    brokerConfig.log = [](bus::LogLevel, std::string_view) {};
    broker_ = std::make_unique<bus::Broker>(brokerConfig);
    if (!broker_->start().ok()) {
        throw std::runtime_error("broker did not start");
    }
    service_ = std::make_unique<AlarmServicePeer>(brokerConfig.frontendEndpoint, brokerConfig.publisherEndpoint);

    bus::ClientConfig consoleConfig;
    consoleConfig.sourceId = "host.TEST";
    consoleConfig.role = bus::Role::Console;
    consoleConfig.frontendEndpoint = brokerConfig.frontendEndpoint;
    consoleConfig.publisherEndpoint = brokerConfig.publisherEndpoint;
    consoleConfig.mirrorState = true;
    consoleConfig.heartbeatMs = 200;
    consoleConfig.callbacks = bus::ClientConfig::Callbacks::Queued;
    console_ = std::make_unique<bus::Client>(consoleConfig);
    cservice_ = std::make_unique<runtime::BusCService>(
        *console_, [](std::function<void()> fn) { fn(); }, [](const ccoc_host*) { return gService; });
    gService = cservice_.get();
    if (!console_->start().ok() || !console_->waitReady(10000)) {
        throw std::runtime_error("console client: no welcome from the broker");
    }
    host_.struct_size = sizeof host_;
}

AlarmBus::~AlarmBus()
{
    console_->stop();
    cservice_.reset();
    gService = nullptr;
    console_.reset();
    service_.reset();
    broker_->stop();
}

const ccoc_bus_service_v1* AlarmBus::table()
{
    return runtime::BusCService::table();
}

bool AlarmBus::until(const std::function<void(double)>& frame, const std::function<bool()>& done,
                     std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        console_->dispatch();
        frame(steadyNowSec());
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // one "frame"
    }
    return false;
}

}  // namespace ccoc::test
