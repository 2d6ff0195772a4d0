// The alarm service (sdk/docs/alarms.md): receives alarm events from the bus, keeps every alarm in
// its SQLite journal, publishes the open alarms and their summary as retained state, answers the
// operators' commands, pushes cameras to walls by [[alarm_rule]]s and escalates alarms left
// unacknowledged. Runs in its own process: ccoc-serviced with the service plugin of
// alarm_service_plugin.cpp, for a [[service]] with plugin = "alarms".
//
// Threads: start() and stop() on one owning thread (ccoc-serviced's service thread). The
// service's bus client has its own I/O thread, whose callbacks only queue work; one worker thread
// does all journal writes, publishing and replies. Nothing here runs on the caller's thread after
// start() returns, so a render loop is never held up. No ImGui, no GLFW.
#pragma once

#include "ccoc/bus/client.hpp"
#include "ccoc/site.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace ccoc::alarm_service {

enum class LogLevel { Info, Warning, Error };
using LogSink = std::function<void(LogLevel, std::string_view message)>;

struct AlarmServiceConfig {
    // Endpoints and CURVE keys of the bus; sourceId, role, devices and reliable-event settings are
    // the service's own and set by the service.
    bus::ClientConfig bus;
    std::string journalPath; // SQLite file; empty: in memory (alarms are lost at stop)
    LogSink log;             // [worker or I/O thread] empty: stderr
    // With no cursor in the journal (its first start), take every reliable event still in the
    // broker's journal instead of starting from the first welcome. Right when the broker's
    // journal began with this run (an embedded broker without a [bus] journal): alarms a driver
    // sent before the service connected are not lost. Wrong for a long-lived broker journal,
    // whose history would all be raised again.
    bool replayBusJournalOnFirstStart = false;
    // While the journal cannot be written, failed batches are written again after 0.1 s, doubling
    // up to this many milliseconds between attempts.
    int journalRetryMaxMs = 2000;
    // Alarm events kept in memory while the journal cannot be written. Beyond it, further events
    // are not taken: they stay in the broker's journal, the cursor stops before the first of them,
    // and the next start takes them (the journal health says how many wait there).
    size_t maxUnstoredEvents = 100000;
    // Reliable events handled beyond a gap in the broker's numbering before the cursor gives the
    // gap up as never to be filled (a broker that trimmed its journal). A gap is only ever events
    // this service never received: every event it took is written before the cursor passes it.
    size_t cursorGapLimit = 10000;
};

// The service's configuration from a site: [bus] endpoints (overridden by CCOC_BUS_FRONTEND and
// CCOC_BUS_PUBLISHER, as the host does), with security = "curve" the service's own key pair (the
// [[bus.allow]] entry named "alarms": public_key and secret_key_file), and [alarms] journal.
// Error: unusable [bus], or no usable "alarms" key on a CURVE bus (the message says what to add).
bus::Status alarmServiceConfigFromSite(const site::Site& site, AlarmServiceConfig& config);

struct AlarmServiceStats {
    uint64_t events = 0;     // alarm events taken into the journal
    uint64_t duplicates = 0; // alarm events whose event_id was already stored
    uint64_t malformed = 0;  // alarm events dropped as bad input
    uint64_t commands = 0;   // commands answered
    uint64_t escalations = 0;
    uint64_t journalErrors = 0;   // fault episodes: the journal failed after a good write
    uint64_t journalAttemptsFailed = 0; // commits that failed, each retry counted
    uint64_t eventsHeld = 0;      // alarm events left in the broker's journal (beyond the bound)
    int64_t open = 0;        // alarms open now
};

class AlarmService {
public:
    // Keeps a reference to `site`: it must outlive the service.
    AlarmService(const site::Site& site, AlarmServiceConfig config);
    ~AlarmService(); // stops
    AlarmService(const AlarmService&) = delete;
    AlarmService& operator=(const AlarmService&) = delete;
    AlarmService(AlarmService&&) = delete;
    AlarmService& operator=(AlarmService&&) = delete;

    // Opens the journal, loads the open alarms, connects to the bus (which may come later) and
    // republishes them. Error: the journal cannot be opened, or bad bus settings.
    bus::Status start();
    // Stops the worker and the bus client. Idempotent.
    void stop();

    // Waits up to timeoutMs until the service's client is welcomed by the broker: from then on no
    // reliable alarm event is missed. A fresh journal starts from that moment (older events in
    // the broker's journal are history, not news). False on timeout. [the owning thread]
    bool waitReady(int timeoutMs);

    [[nodiscard]] AlarmServiceStats stats() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace ccoc::alarm_service
