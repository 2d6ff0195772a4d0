// The sia driver: a SIA DC-09 receiver for intruder alarm panels, run by ccoc-driverd. Panels
// send ADM-CID (Contact ID) and SIA-DCS (SIA DC-04 codes) frames over TCP or UDP; every alarm
// becomes a reliable event/DEVICE/alarm/ on the bus (sdk/docs/alarms.md) and the panel gets its
// ACK only once the bus has taken the event. Settings and behaviour: sdk/docs/sia-driver.md.
#include "account_keys.hpp"
#include "alarm_delivery.hpp"
#include "frame_processor.hpp"
#include "json_text.hpp"
#include "sia_receiver.hpp"
#include "sia_settings.hpp"

#include "ccoc/driver.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace {

using namespace ccoc::sia;

int64_t nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Publishes a reliable event and waits until the broker journalled it when the SDK offers that
// (DriverBus::publishEventAcked); with an older SDK, until the bus client has queued it (it then
// resends it until the broker acknowledges it).
// A ccoc-driverd older than "ccoc.bus/1" revision 1.1 lacks the waiting publish
// (CCOC_BUS_BAD_ARGUMENT): then `hostLacksAck` is set and the event is published the old way.
template <class Bus>
bool publishAlarm(const Bus& bus, const std::string& path, const std::string& json, int timeoutMs, int& code,
                  std::atomic<bool>& hostLacksAck)
{
    if constexpr (requires { bus.publishEventAcked(path, json, timeoutMs, &code); }) {
        if (!hostLacksAck.load()) {
            if (bus.publishEventAcked(path, json, timeoutMs, &code)) {
                return true;
            }
            if (code != CCOC_BUS_BAD_ARGUMENT) {
                return false;
            }
            hostLacksAck = true;
        }
    }
    return bus.publishEvent(path, json, true, &code);
}

template <class Bus>
constexpr bool waitsForBroker()
{
    return requires(const Bus& bus, const std::string& text, int* code) { bus.publishEventAcked(text, text, 1, code); };
}

// A text setting that may also have been given as a number ("--set receiver=12").
std::optional<std::string> textSetting(const ccoc::Host& host, const char* key)
{
    if (auto text = host.setting(key)) {
        return std::string(*text);
    }
    if (auto number = host.settingInt(key)) {
        return std::to_string(*number);
    }
    return std::nullopt;
}

std::optional<std::string> environmentVariable(const std::string& name)
{
    const char* value = std::getenv(name.c_str());
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
}

struct Counters {
    std::atomic<uint64_t> frames{0};
    std::atomic<uint64_t> acks{0};
    std::atomic<uint64_t> naks{0};
    std::atomic<uint64_t> duh{0};
    std::atomic<uint64_t> unanswered{0}; // the bus did not take an alarm in time: no answer
    std::atomic<uint64_t> alarms{0};
    std::atomic<uint64_t> refusedAccounts{0};
};

class SiaDriver : public ccoc::Driver {
public:
    explicit SiaDriver(const ccoc::Host& host) : Driver(host) { settingsError_ = readSettings(); }

    std::vector<std::string> devices() override
    {
        std::set<std::string> ids{settings_.device};
        for (const auto& [account, device] : settings_.accounts) {
            ids.insert(device);
        }
        return {ids.begin(), ids.end()};
    }

    bool start() override
    {
        if (!bus().available()) {
            host().error("the sia driver needs the \"ccoc.bus/1\" service; run it with ccoc-driverd");
            return false;
        }
        if (!settingsError_.empty()) {
            host().error(settingsError_);
            return false;
        }
        processor_ = std::make_unique<FrameProcessor>(settings_);
        delivery_ = std::make_unique<AlarmDelivery>(
            [this](const Publication& event, std::string& why) {
                int code = 0;
                const bool lackedAck = hostLacksAck_.load();
                const bool published = publishAlarm(bus(), event.path, event.json, settings_.ackTimeoutMs, code, hostLacksAck_);
                if (!lackedAck && hostLacksAck_.load()) {
                    host().warn("this ccoc-driverd cannot wait for the broker's journal ack (ccoc.bus/1 older than "
                                "1.1): panels are ACKed once the bus client has queued the alarm");
                }
                if (published) {
                    return true;
                }
                why = code == CCOC_BUS_TIMEOUT ? "the broker did not journal " + event.path + " within ack_timeout_ms"
                                               : "publishing " + event.path + " failed with bus code " + std::to_string(code);
                return false;
            },
            4, 1024);
        ReceiverOptions options;
        options.listen = settings_.listen;
        options.port = settings_.port;
        options.connectionTimeoutMs = settings_.connectionTimeoutMs;
        options.maxConnections = settings_.maxConnections;
        receiver_ = std::make_unique<SiaReceiver>(
            options, [this](std::string line, const FrameOrigin& origin) { onFrame(line, origin); },
            [this](bool warning, const std::string& line) { warning ? host().warn(line) : host().info(line); });
        if (const std::string error = receiver_->start(); !error.empty()) {
            host().error(error);
            return false;
        }
        for (const auto& [account, device] : settings_.accounts) {
            publishPanel(device, account, nullptr);
        }
        publishReceiver();
        host().info("SIA DC-09 receiver listening on " + settings_.listen + " port " +
                    std::to_string(receiver_->port()) + " (TCP and UDP) for " +
                    std::to_string(settings_.accounts.size()) + " accounts (" + std::to_string(settings_.keys.size()) +
                    " with an AES key); ACK " +
                    (waitsForBroker<ccoc::DriverBus>() ? "after the broker journalled the alarm"
                                                       : "after the bus client queued the alarm"));
        return true;
    }

    int32_t tick(double nowSec) override
    {
        if (nowSec - lastStatsSec_ >= 1.0) {
            lastStatsSec_ = nowSec;
            if (const std::string stats = receiverJson(); stats != lastStats_) {
                publishReceiver();
            }
            checkSilentPanels();
        }
        return 250;
    }

    void command(ccoc::DriverCommand command) override
    {
        if (command.remainingMs() <= 0) {
            command.reply(CCOC_BUS_STATUS_TIMEOUT, "time to live ran out before the command was executed");
            return;
        }
        if (command.action() == "receiver.status") {
            command.reply(CCOC_BUS_STATUS_OK, "", receiverJson());
            return;
        }
        command.reply(CCOC_BUS_STATUS_REJECTED, "unknown action '" + command.action() + "' (known: receiver.status)");
    }

    void stop() override
    {
        if (receiver_) {
            receiver_->stop();
        }
        if (delivery_) {
            delivery_->stop();
        }
        host().info("stopped after " + std::to_string(counters_.frames.load()) + " frames");
    }

private:
    // "" or every mistake found, one a line, each "FILE:LINE:COL: settings: ..." (see settingsMessage):
    // one mistake never hides another.
    std::string readSettings()
    {
        const SettingsWhere where = [this](const std::string& key) { return host().settingWhere(key.c_str()); };
        std::vector<std::string> problems;
        if (auto text = host().setting("device")) {
            settings_.device = std::string(*text);
        }
        if (auto text = host().setting("listen")) {
            settings_.listen = std::string(*text);
        }
        settings_.port = static_cast<int>(host().settingInt("port").value_or(0));
        if (auto text = host().setting("accounts")) {
            if (std::string error = parseAccounts(*text, settings_.accounts); !error.empty()) {
                problems.push_back(error);
            } else if (where("accounts").rfind("--set", 0) != 0) {
                // A command line has no tables: --set accounts=1234=panel-bank stays quiet.
                host().warn(settingsMessage("accounts: one string of ACCOUNT=DEVICE pairs is read for this release "
                                            "only; write it as a table: " + accountsTableText(settings_.accounts),
                                            where));
            }
        } else {
            const std::vector<std::string> errors = readAccountsTable(host().settingsJson(), settings_.accounts);
            problems.insert(problems.end(), errors.begin(), errors.end());
        }
        settings_.receiver = textSetting(host(), "receiver").value_or(settings_.receiver);
        settings_.prefix = textSetting(host(), "prefix").value_or(settings_.prefix);
        if (auto window = host().settingInt("time_window_s")) {
            settings_.timeFutureSec = static_cast<int>(*window);
            settings_.timePastSec = static_cast<int>(*window);
        }
        settings_.timeFutureSec = static_cast<int>(host().settingInt("time_future_s").value_or(settings_.timeFutureSec));
        settings_.timePastSec = static_cast<int>(host().settingInt("time_past_s").value_or(settings_.timePastSec));
        settings_.connectionTimeoutMs =
            static_cast<int>(host().settingInt("connection_timeout_ms").value_or(settings_.connectionTimeoutMs));
        settings_.ackTimeoutMs = static_cast<int>(host().settingInt("ack_timeout_ms").value_or(settings_.ackTimeoutMs));
        settings_.panelTimeoutSec = static_cast<int>(host().settingInt("panel_timeout_s").value_or(0));
        settings_.maxConnections = static_cast<int>(host().settingInt("max_connections").value_or(settings_.maxConnections));
        // An accounts table with mistakes is not also reported as empty.
        for (const std::string& problem : validate(settings_)) {
            if (problems.empty() || problem.rfind("accounts: empty", 0) != 0) {
                problems.push_back(problem);
            }
        }
        // After the accounts: a key belongs to a listed account.
        const std::vector<std::string> keyErrors = readAccountKeys(host().settingsJson(), settings_, &environmentVariable);
        problems.insert(problems.end(), keyErrors.begin(), keyErrors.end());
        std::string joined;
        for (const std::string& problem : problems) {
            joined += (joined.empty() ? "" : "\n  ") + settingsMessage(problem, where);
        }
        return joined;
    }

    // [network-thread] One frame: decide, publish state, answer now or after the bus took the alarms.
    void onFrame(const std::string& line, const FrameOrigin& origin)
    {
        ++counters_.frames;
        const int64_t now = nowUs();
        Outcome outcome = processor_->process(line, origin.peer, origin.transport == Transport::Tcp ? "tcp" : "udp", now);
        outcome.logAsWarning ? host().warn(outcome.logLine) : host().info(outcome.logLine);
        if (outcome.accountRefused) {
            ++counters_.refusedAccounts;
        }
        if (outcome.answer != Outcome::Answer::Ack) {
            ++(outcome.answer == Outcome::Answer::Nak ? counters_.naks : counters_.duh);
            receiver_->answer(origin, outcome.reply);
            return;
        }
        for (const auto& state : outcome.states) {
            int code = 0;
            if (!bus().publishState(state.path, state.json, &code)) {
                host().warn("publishing state " + state.path + " failed with bus code " + std::to_string(code));
            }
        }
        if (!outcome.device.empty()) {
            publishPanel(outcome.device, outcome.account, &origin, now);
        }
        if (outcome.events.empty()) {
            ++counters_.acks;
            receiver_->answer(origin, outcome.reply);
            return;
        }
        counters_.alarms += outcome.events.size();
        AlarmDelivery::Job job;
        job.events = std::move(outcome.events);
        job.eventIds = std::move(outcome.eventIds);
        job.done = [this, origin, reply = outcome.reply, seq = outcome.seq, account = outcome.account](
                       bool delivered, const std::string& why) {
            if (delivered) {
                ++counters_.acks;
                receiver_->answer(origin, reply);
                return;
            }
            ++counters_.unanswered;
            host().warn("no answer to " + origin.peer + " for account " + account + " seq " + seq +
                        ": the bus did not take the alarm (" + why + "); the panel will send it again");
            receiver_->answer(origin, {});
        };
        delivery_->submit(std::move(job));
    }

    // [any-thread] DEVICE/panel: online once a valid frame came (origin given).
    void publishPanel(const std::string& device, const std::string& account, const FrameOrigin* origin, int64_t atUs = 0)
    {
        std::string json;
        {
            std::lock_guard lock(panelsMutex_);
            PanelSeen& seen = panels_[device];
            if (origin != nullptr) {
                seen.lastFrameUs = atUs;
                seen.peer = origin->peer;
                seen.transport = origin->transport == Transport::Tcp ? "tcp" : "udp";
                ++seen.frames;
                seen.online = true;
            }
            json = "{\"online\":" + jsonBool(seen.online) + ",\"last_frame_us\":" + std::to_string(seen.lastFrameUs) +
                   ",\"account\":" + jsonString(account) + ",\"peer\":" + jsonString(seen.peer) +
                   ",\"transport\":" + jsonString(seen.transport) + ",\"frames\":" + std::to_string(seen.frames) + "}";
        }
        int code = 0;
        if (!bus().publishState(device + "/panel", json, &code)) {
            host().warn("publishing state " + device + "/panel failed with bus code " + std::to_string(code));
        }
    }

    // [driver-thread] panel_timeout_s: a panel silent that long is shown offline.
    void checkSilentPanels()
    {
        if (settings_.panelTimeoutSec <= 0) {
            return;
        }
        const int64_t limitUs = static_cast<int64_t>(settings_.panelTimeoutSec) * 1000000;
        std::vector<std::pair<std::string, std::string>> silent;
        {
            std::lock_guard lock(panelsMutex_);
            for (const auto& [account, device] : settings_.accounts) {
                PanelSeen& seen = panels_[device];
                if (seen.online && nowUs() - seen.lastFrameUs > limitUs) {
                    seen.online = false;
                    silent.emplace_back(device, account);
                }
            }
        }
        for (const auto& [device, account] : silent) {
            host().warn("panel " + device + " (account " + account + ") silent for more than " +
                        std::to_string(settings_.panelTimeoutSec) + " s: offline");
            publishPanel(device, account, nullptr);
        }
    }

    std::string receiverJson() const
    {
        return "{\"listen\":" + jsonString(settings_.listen) + ",\"port\":" + std::to_string(receiver_->port()) +
               ",\"tcp_port\":" + std::to_string(receiver_->port()) + ",\"udp_port\":" +
               std::to_string(receiver_->port()) + ",\"frames\":" + std::to_string(counters_.frames.load()) +
               ",\"acks\":" + std::to_string(counters_.acks.load()) + ",\"naks\":" +
               std::to_string(counters_.naks.load()) + ",\"duh\":" + std::to_string(counters_.duh.load()) +
               ",\"unanswered\":" + std::to_string(counters_.unanswered.load()) + ",\"alarms\":" +
               std::to_string(counters_.alarms.load()) + ",\"refused_accounts\":" +
               std::to_string(counters_.refusedAccounts.load()) + ",\"connections\":" +
               std::to_string(receiver_->connectionCount()) + ",\"closed_bad_connections\":" +
               std::to_string(receiver_->connectionsClosedForBadInput()) + "}";
    }

    // [driver-thread]
    void publishReceiver()
    {
        lastStats_ = receiverJson();
        int code = 0;
        if (!bus().publishState(settings_.device + "/receiver", lastStats_, &code)) {
            host().warn("publishing state " + settings_.device + "/receiver failed with bus code " + std::to_string(code));
        }
    }

    struct PanelSeen {
        bool online = false;
        int64_t lastFrameUs = 0;
        std::string peer;
        std::string transport;
        uint64_t frames = 0;
    };

    SiaSettings settings_;
    std::string settingsError_;
    Counters counters_;
    std::unique_ptr<FrameProcessor> processor_;
    std::unique_ptr<AlarmDelivery> delivery_;
    std::unique_ptr<SiaReceiver> receiver_;
    std::mutex panelsMutex_;
    std::map<std::string, PanelSeen> panels_; // guarded by panelsMutex_
    double lastStatsSec_ = -1.0;
    std::string lastStats_;
    std::atomic<bool> hostLacksAck_{false};
};

} // namespace

CCOC_DRIVER(SiaDriver, "ccoc.driver.sia", "SIA DC-09 alarm receiver", CCOC_PLUGIN_VERSION, "CCOC");
