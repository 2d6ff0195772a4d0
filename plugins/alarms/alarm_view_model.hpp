// alarm_view_model.hpp: what the "alarm.list" panel shows and sends, gathered through
// "ccoc.bus/1" only: the open alarms (retained state/alarms/item/ID/ records, kept current by a
// subscription and reconciled with the state mirror), the filtered and sorted list, blinking of
// unacknowledged alarms, the sound request, the operator's commands to the alarm service (device
// "alarms") and their replies, and the history from alarm.history. No ImGui.
//
// Thread: main thread only. The bus service calls back on the main thread (in the host), and
// nothing here waits: commands are sent and their replies arrive later through refresh's caller.
#pragma once

#include "alarm_record.hpp"
#include "ccoc/bus.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <optional>
#include <string>
#include <vector>

namespace ccoc::alarms {

/// What the list shows. An empty type or state shows every one.
struct AlarmFilter {
    bool priorities[5] = {true, true, true, true, true}; ///< index 0: priority 1
    std::string state;  ///< "", "new" or "acknowledged"
    std::string type;   ///< "" or an alarm type
    std::string search; ///< case-insensitive, in id, device id and names, text, zone, risk point, point
};

/// True when `record` passes `filter`.
[[nodiscard]] bool matches(const AlarmRecord& record, const AlarmFilter& filter);
/// Priority 1 first, then the newest first; the id breaks ties so the order never flickers.
[[nodiscard]] bool sortsBefore(const AlarmRecord& a, const AlarmRecord& b);
/// Blink phase of unacknowledged alarms: on for the first half of every second of `nowSec`.
[[nodiscard]] bool blinkOn(double nowSec);

/// Why the acknowledge button is disabled, if it is.
enum class AckBlock { None, NoteRequired, AlreadyAcknowledged, Closed };
[[nodiscard]] AckBlock ackBlock(const AlarmRecord& record, std::string_view note);

/// The answer to the operator's last command, for the panel's status line.
struct CommandOutcome {
    std::string action;   ///< "alarm.ack"
    std::string alarmId;  ///< "" for alarm.history
    ccoc_bus_status status = CCOC_BUS_STATUS_OK;
    std::string message;  ///< the service's message (why it was rejected), or ours
    bool sent = true;     ///< false: not sent at all (message says why)
};

class AlarmViewModel {
public:
    /// `bus` may be null (no bus service: available() is false and nothing is sent).
    /// `operatorName` goes into every command as "operator".
    AlarmViewModel(const ccoc_host* host, const ccoc_bus_service_v1* bus, std::string operatorName);
    ~AlarmViewModel();
    AlarmViewModel(const AlarmViewModel&) = delete;
    AlarmViewModel& operator=(const AlarmViewModel&) = delete;
    AlarmViewModel(AlarmViewModel&&) = delete;
    AlarmViewModel& operator=(AlarmViewModel&&) = delete;

    /// Per frame: takes the replies that came, and reconciles with the state mirror once a second
    /// (the subscription applies every change at once; the mirror catches what it cannot say).
    void refresh(double nowSec);

    [[nodiscard]] bool available() const noexcept { return bus_ != nullptr; }
    /// Open alarms (every one, unfiltered), by id.
    [[nodiscard]] const std::map<std::string, AlarmRecord>& alarms() const noexcept { return alarms_; }
    /// The filtered list in display order.
    [[nodiscard]] const std::vector<const AlarmRecord*>& visible() const noexcept { return visible_; }
    [[nodiscard]] const AlarmRecord* find(const std::string& id) const;
    [[nodiscard]] size_t unacknowledgedCount() const;
    /// Records that could not be decoded, with the reason (last one), for the panel to show.
    [[nodiscard]] const std::string& lastDecodeError() const noexcept { return decodeError_; }

    [[nodiscard]] const AlarmFilter& filter() const noexcept { return filter_; }
    void setFilter(AlarmFilter filter);
    /// Alarm types present among the open alarms, sorted (for the type filter's choices).
    [[nodiscard]] std::vector<std::string> types() const;

    /// The priority to sound now (1 = most urgent), or 0 for silence: once for newly seen
    /// unacknowledged alarms (the most urgent of them), and with `repeatSec` > 0 again every
    /// `repeatSec` while any alarm is unacknowledged (the most urgent of those). At most once per
    /// 2 s either way.
    [[nodiscard]] int takeSoundRequest(double nowSec, double repeatSec = 0.0);
    /// Silences the reminders of takeSoundRequest until nowSec + seconds (0 ends a silence). A
    /// newly seen alarm still sounds: a silence never hides a new alarm.
    void muteReminders(double nowSec, double seconds) { remindersMutedUntil_ = nowSec + seconds; }
    /// Seconds of silence left at nowSec, 0 when reminders sound.
    [[nodiscard]] double remindersMutedFor(double nowSec) const noexcept
    {
        return remindersMutedUntil_ > nowSec ? remindersMutedUntil_ - nowSec : 0.0;
    }

    // Commands to the alarm service. Each returns false, sends nothing and sets the outcome with
    // the reason when it cannot be sent (no bus, an unknown id, the note rule, a bad outcome).
    bool acknowledge(const std::string& id, const std::string& note);
    bool assign(const std::string& id, const std::string& to);
    bool close(const std::string& id, const std::string& outcome, const std::string& note);
    bool addNote(const std::string& id, const std::string& text);
    /// Asks for the journal's alarms (newest first, closed ones included).
    bool requestHistory(const std::string& search, int limit = 200);
    /// Sends a command to another device (a camera wall's wall.set_tile); the reply is shown the
    /// same way.
    bool sendOther(const std::string& device, const std::string& action, const std::string& argsJson);

    [[nodiscard]] const std::optional<CommandOutcome>& lastOutcome() const noexcept { return lastOutcome_; }
    /// Number of commands sent whose reply has not come yet.
    [[nodiscard]] size_t pendingCommands() const noexcept;

    /// Alarms the service escalated to `screen` (event/alarms/escalated/ naming it: the
    /// supervisor's desk) that are still open and unacknowledged, highest priority first.
    [[nodiscard]] std::vector<const AlarmRecord*> escalatedTo(const std::string& screen) const;
    /// The priority to sound on `screen` for alarms newly escalated to it (the most urgent), or 0:
    /// once per escalated alarm while it stays escalated and unacknowledged (the supervisor's
    /// alert is heard, not only seen).
    [[nodiscard]] int takeEscalationSound(const std::string& screen);

    [[nodiscard]] const std::vector<AlarmRecord>& history() const noexcept { return history_; }
    [[nodiscard]] bool historyLoading() const noexcept { return historyLoading_; }
    [[nodiscard]] const std::string& historyError() const noexcept { return historyError_; }

    struct Inbox; // replies land here; shared with callbacks that may outlive the model

private:
    static void onMessage(void* user, const ccoc_bus_message* message);
    static void onEscalated(void* user, const ccoc_bus_message* message);
    static void onState(void* user, const ccoc_bus_state_entry* entry);
    void apply(const std::string& path, const char* valueJson);
    void reconcile();
    void rebuild();
    void takeReplies();
    bool send(const std::string& device, const std::string& action, const std::string& alarmId,
              const std::string& argsJson);
    bool refuse(const std::string& action, const std::string& alarmId, std::string why);

    const ccoc_host* host_;
    const ccoc_bus_service_v1* bus_;
    std::string operator_;
    uint64_t subscription_ = 0;
    uint64_t escalatedSubscription_ = 0;
    std::map<std::string, std::string> escalatedTo_; // alarm id -> screen it was escalated to
    std::set<std::string> escalationSounded_;        // escalated alarms already sounded
    std::map<std::string, AlarmRecord> alarms_;
    std::map<std::string, AlarmRecord> reconciling_; // filled by onState during reconcile()
    std::vector<const AlarmRecord*> visible_;
    AlarmFilter filter_;
    double lastReconcileSec_ = -1;
    std::string decodeError_;
    std::map<std::string, bool> announced_; // unacknowledged ids already rung for
    int soundPending_ = 0; // most urgent priority newly seen since the last sound, 0 for none
    double lastSoundSec_ = -1e9;
    double remindersMutedUntil_ = -1e9;
    std::shared_ptr<Inbox> inbox_;
    std::optional<CommandOutcome> lastOutcome_;
    std::vector<AlarmRecord> history_;
    bool historyLoading_ = false;
    std::string historyError_;
};

}  // namespace ccoc::alarms
