// alarm_view_model.cpp: the open alarms from the bus, the visible list, blinking and sound.
// Commands and their replies are in alarm_commands.cpp.
#include "alarm_view_model.hpp"

#include "alarm_inbox.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <string_view>

namespace ccoc::alarms {

namespace {

constexpr std::string_view kItemPrefix = "alarms/item/";
// The subscription brings every change at once; the mirror is read again now and then so a
// removal the subscription could not express, or a resync, is never missed for long.
constexpr double kReconcileSec = 1.0;
constexpr double kSoundSpacingSec = 2.0;

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool contains(const std::string& haystack, const std::string& lowerNeedle)
{
    return lower(haystack).find(lowerNeedle) != std::string::npos;
}

// The alarm id of an item path "alarms/item/ID"; empty for any other path.
std::string itemId(std::string_view path)
{
    if (path.substr(0, kItemPrefix.size()) != kItemPrefix) {
        return {};
    }
    const std::string_view rest = path.substr(kItemPrefix.size());
    return rest.find('/') == std::string_view::npos ? std::string(rest) : std::string();
}

bool isRemoval(const char* valueJson)
{
    if (valueJson == nullptr) {
        return true;
    }
    const std::string_view value(valueJson);
    return value.empty() || value == "null";
}

}  // namespace

bool matches(const AlarmRecord& record, const AlarmFilter& filter)
{
    if (record.priority < 1 || record.priority > 5 || !filter.priorities[record.priority - 1]) {
        return false;
    }
    if (!filter.state.empty() && record.state != filter.state) {
        return false;
    }
    if (!filter.type.empty() && record.type != filter.type) {
        return false;
    }
    if (filter.search.empty()) {
        return true;
    }
    const std::string needle = lower(filter.search);
    for (const std::string* field : {&record.id, &record.device, &record.deviceName, &record.deviceNameEn, &record.text,
                                     &record.zone, &record.riskPoint, &record.point, &record.type}) {
        if (contains(*field, needle)) {
            return true;
        }
    }
    return false;
}

bool sortsBefore(const AlarmRecord& a, const AlarmRecord& b)
{
    if (a.priority != b.priority) {
        return a.priority < b.priority;
    }
    if (a.sortTimeUs() != b.sortTimeUs()) {
        return a.sortTimeUs() > b.sortTimeUs();
    }
    return a.id < b.id;
}

bool blinkOn(double nowSec)
{
    const double phase = nowSec - std::floor(nowSec);
    return phase < 0.5;
}

AckBlock ackBlock(const AlarmRecord& record, std::string_view note)
{
    if (record.closed()) {
        return AckBlock::Closed;
    }
    if (record.acknowledged()) {
        return AckBlock::AlreadyAcknowledged;
    }
    const bool blank = std::all_of(note.begin(), note.end(), [](unsigned char c) { return std::isspace(c) != 0; });
    if (ackNeedsNote(record.priority) && blank) {
        return AckBlock::NoteRequired;
    }
    return AckBlock::None;
}

AlarmViewModel::AlarmViewModel(const ccoc_host* host, const ccoc_bus_service_v1* bus, std::string operatorName)
    : host_(host), bus_(bus), operator_(std::move(operatorName)), inbox_(std::make_shared<Inbox>())
{
    if (bus_ != nullptr) {
        subscription_ = bus_->subscribe(host_, "state/alarms", &AlarmViewModel::onMessage, this);
        escalatedSubscription_ = bus_->subscribe(host_, "event/alarms/escalated", &AlarmViewModel::onEscalated, this);
    }
}

AlarmViewModel::~AlarmViewModel()
{
    if (bus_ != nullptr && subscription_ != 0) {
        bus_->unsubscribe(host_, subscription_);
    }
    if (bus_ != nullptr && escalatedSubscription_ != 0) {
        bus_->unsubscribe(host_, escalatedSubscription_);
    }
    inbox_->alive = false;  // replies still on their way find no one
}

void AlarmViewModel::onMessage(void* user, const ccoc_bus_message* message)
{
    auto* self = static_cast<AlarmViewModel*>(user);
    if (message->kind != CCOC_BUS_STATE || message->path == nullptr) {
        return;
    }
    // A removed key (bus 1.1) means the alarm was closed, whatever payload comes with it.
    const bool removed = CCOC_STRUCT_HAS_FIELD(message, ccoc_bus_message, removed) && message->removed;
    self->apply(message->path, removed ? nullptr : message->payload_json);
}

void AlarmViewModel::onEscalated(void* user, const ccoc_bus_message* message)
{
    auto* self = static_cast<AlarmViewModel*>(user);
    const auto event = nlohmann::json::parse(message->payload_json != nullptr ? message->payload_json : "", nullptr, false);
    if (!event.is_object() || !event.contains("id") || !event["id"].is_string()) {
        self->decodeError_ = "event/alarms/escalated/: expected {\"id\", \"priority\", \"screen\"}";
        return;
    }
    const auto screen = event.find("screen");
    self->escalatedTo_[event["id"].get<std::string>()] =
        screen != event.end() && screen->is_string() ? screen->get<std::string>() : std::string();
}

std::vector<const AlarmRecord*> AlarmViewModel::escalatedTo(const std::string& screen) const
{
    std::vector<const AlarmRecord*> out;
    for (const auto& [id, target] : escalatedTo_) {
        const AlarmRecord* record = find(id);
        if (target == screen && record != nullptr && !record->acknowledged() && !record->closed()) {
            out.push_back(record);
        }
    }
    std::sort(out.begin(), out.end(), [](const AlarmRecord* a, const AlarmRecord* b) {
        return a->priority != b->priority ? a->priority < b->priority : a->id < b->id;
    });
    return out;
}

int AlarmViewModel::takeEscalationSound(const std::string& screen)
{
    const std::vector<const AlarmRecord*> escalated = escalatedTo(screen);
    int priority = 0;
    std::set<std::string> current;
    for (const AlarmRecord* record : escalated) {
        current.insert(record->id);
        if (escalationSounded_.insert(record->id).second) {
            priority = priority == 0 ? record->priority : std::min(priority, record->priority);
        }
    }
    // Forget what is no longer escalated here, so a new escalation of it sounds again.
    std::erase_if(escalationSounded_, [&](const std::string& id) { return current.count(id) == 0; });
    return priority;
}

void AlarmViewModel::apply(const std::string& path, const char* valueJson)
{
    const std::string id = itemId(path);
    if (id.empty()) {
        return;
    }
    std::string error;
    std::optional<AlarmRecord> record;
    if (!isRemoval(valueJson)) {
        record = parseAlarmRecord(valueJson, &error);
        if (!record) {
            decodeError_ = path + ": " + error;
            return;
        }
    }
    // A closed alarm leaves the open list whichever way the service says so.
    if (!record || record->closed()) {
        alarms_.erase(id);
        escalatedTo_.erase(id);
    } else {
        alarms_[id] = std::move(*record);
    }
    // At once: visible_ points into alarms_ and the panel may draw before the next refresh.
    rebuild();
}

void AlarmViewModel::onState(void* user, const ccoc_bus_state_entry* entry)
{
    auto* self = static_cast<AlarmViewModel*>(user);
    const std::string id = itemId(entry->path != nullptr ? entry->path : "");
    if (id.empty() || isRemoval(entry->value_json)) {
        return;
    }
    std::string error;
    if (auto record = parseAlarmRecord(entry->value_json, &error)) {
        if (!record->closed()) {
            self->reconciling_[id] = std::move(*record);
        }
    } else {
        self->decodeError_ = std::string(entry->path) + ": " + error;
    }
}

void AlarmViewModel::reconcile()
{
    reconciling_.clear();
    bus_->read_state(host_, "alarms/item", &AlarmViewModel::onState, this);
    alarms_.swap(reconciling_);
    reconciling_.clear();
    rebuild();
}

void AlarmViewModel::refresh(double nowSec)
{
    takeReplies();
    if (bus_ == nullptr) {
        return;
    }
    if (lastReconcileSec_ < 0 || nowSec - lastReconcileSec_ >= kReconcileSec) {
        lastReconcileSec_ = nowSec;
        reconcile();
    }
}

void AlarmViewModel::rebuild()
{
    visible_.clear();
    std::set<std::string> unacknowledged;
    for (const auto& [id, record] : alarms_) {
        if (!record.acknowledged()) {
            unacknowledged.insert(id);
            if (announced_.emplace(id, true).second) {
                soundPending_ = soundPending_ == 0 ? record.priority : std::min(soundPending_, record.priority);
            }
        }
        if (matches(record, filter_)) {
            visible_.push_back(&record);
        }
    }
    // Forget what is acknowledged or gone, so an id raised again would ring again.
    std::erase_if(announced_, [&](const auto& entry) { return unacknowledged.count(entry.first) == 0; });
    std::sort(visible_.begin(), visible_.end(), [](const AlarmRecord* a, const AlarmRecord* b) { return sortsBefore(*a, *b); });
}

const AlarmRecord* AlarmViewModel::find(const std::string& id) const
{
    const auto it = alarms_.find(id);
    return it == alarms_.end() ? nullptr : &it->second;
}

size_t AlarmViewModel::unacknowledgedCount() const
{
    return static_cast<size_t>(
        std::count_if(alarms_.begin(), alarms_.end(), [](const auto& entry) { return !entry.second.acknowledged(); }));
}

void AlarmViewModel::setFilter(AlarmFilter filter)
{
    filter_ = std::move(filter);
    rebuild();
}

std::vector<std::string> AlarmViewModel::types() const
{
    std::set<std::string> types;
    for (const auto& [id, record] : alarms_) {
        types.insert(record.type);
    }
    return {types.begin(), types.end()};
}

int AlarmViewModel::takeSoundRequest(double nowSec, double repeatSec)
{
    if (nowSec - lastSoundSec_ < kSoundSpacingSec) {
        return 0;
    }
    int priority = soundPending_;
    if (priority == 0 && repeatSec > 0.0 && nowSec - lastSoundSec_ >= repeatSec && nowSec >= remindersMutedUntil_) {
        // Reminders: the most urgent alarm nobody has acknowledged yet.
        for (const auto& [id, record] : alarms_) {
            if (!record.acknowledged()) {
                priority = priority == 0 ? record.priority : std::min(priority, record.priority);
            }
        }
    }
    if (priority == 0) {
        return 0;
    }
    soundPending_ = 0;
    lastSoundSec_ = nowSec;
    return priority;
}

}  // namespace ccoc::alarms
