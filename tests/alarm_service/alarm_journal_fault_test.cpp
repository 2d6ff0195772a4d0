// The alarm journal failing under a running service: a full filesystem (a tmpfs the test mounts
// and fills), an immutable journal (chattr +i), and a journal another process breaks. Whatever
// the fault, an alarm stays on the desks marked not stored, the fault is on the bus (state
// alarms/journal/ and an alarm of its own), the cursor never passes an event that is not stored,
// and once the journal takes writes again every alarm is stored exactly once, also after a restart.
#include "alarm_test_support.hpp"
#include "journal_fault_support.hpp"

#include <algorithm>
#include <functional>

using namespace ccoc;
using namespace ccoc::alarm_test;
using nlohmann::json;

namespace {

constexpr int kFurtherEvents = 30;

std::optional<alarm::JournalHealth> journalHealth(Observer& observer) {
    auto entry = observer.client().state("alarms/journal");
    if (!entry) {
        return std::nullopt;
    }
    return alarm::decodeJournalHealth(entry->value).value;
}

std::optional<alarm::AlarmRecord> itemOf(const Observer& observer, const std::string& device,
                                         const std::string& type = "") {
    for (auto& record : observer.items()) {
        if (record.device == device && (type.empty() || record.type == type)) {
            return record;
        }
    }
    return std::nullopt;
}

size_t countLines(ServiceLog& log, std::string_view text) {
    std::lock_guard lock(log.mutex);
    return static_cast<size_t>(std::count_if(log.lines.begin(), log.lines.end(),
                                             [&](const std::string& line) { return line.find(text) != std::string::npos; }));
}

int64_t cursorOf(const std::string& journal) { return queryInt(journal, "SELECT event_seq FROM cursor"); }

// The scenario on a journal that `breakJournal` makes unwritable (returns "" or why it could not,
// for a skip) and `repairJournal` makes writable again.
void keepsTheAlarmThroughAJournalFault(TempDir& dir, const std::string& journalPath,
                                       const std::function<std::string()>& breakJournal,
                                       const std::function<void()>& repairJournal) {
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText("journal = \"" + journalPath + "\"\n", ""));
    AlarmDriver driver(broker);
    Observer observer(broker);
    ServiceLog log;
    alarm_service::AlarmServiceConfig config = serviceConfig(broker, site, &log);
    config.journalRetryMaxMs = 200;
    config.cursorGapLimit = 10; // far fewer than the events sent during the fault
    auto service = std::make_unique<alarm_service::AlarmService>(site, config);
    REQUIRE(service->start().ok());
    REQUIRE(service->waitReady(5000));

    driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"event_id", "f-0"}, {"point", "000"}});
    REQUIRE(waitUntil([&] { return queryInt(journalPath, "SELECT COUNT(*) FROM events WHERE event_id = 'f-0'") == 1; },
                      10000));
    CHECK(waitUntil([&] { return journalHealth(observer) && journalHealth(observer)->ok; }, 10000));

    if (const std::string why = breakJournal(); !why.empty()) {
        WARN("skipped: " << why);
        return;
    }
    const uint64_t beforeAlarm = broker.stats().eventSeq;
    // Large enough that the journal's write-ahead log must grow (a full disk refuses it).
    const std::string text = "Station front door forced " + std::string(300000, '!');
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "f-1"}, {"text", text}});

    // On the desks, marked not stored; the fault on the bus, naming it; an alarm of its own.
    std::optional<alarm::AlarmRecord> door;
    REQUIRE(waitUntil([&] { return (door = itemOf(observer, "door-front")).has_value(); }, 10000));
    CHECK_FALSE(door->stored);
    std::optional<alarm::JournalHealth> health;
    // (A fault may begin with a batch without alarms: the health naming the door comes next.)
    const auto names = [](const alarm::JournalHealth& h, const std::string& id) {
        return std::find(h.notStored.begin(), h.notStored.end(), id) != h.notStored.end();
    };
    REQUIRE(waitUntil([&] { return (health = journalHealth(observer)) && !health->ok && names(*health, door->id); },
                      10000));
    INFO("journal error: " << health->error);
    CHECK(health->notStoredCount == 1);
    CHECK_FALSE(health->error.empty());
    std::optional<alarm::AlarmRecord> own;
    REQUIRE(waitUntil([&] { return (own = itemOf(observer, "alarms", "device_fault")).has_value(); }, 10000));
    CHECK(own->priority == 2);
    CHECK_FALSE(own->cleared);
    CHECK(waitUntil([&] { return log.warned("the alarm journal cannot be written") && log.warned(door->id); }, 5000));

    // Many further events while the journal fails: taken, shown, and the cursor stays before them.
    for (int i = 1; i <= kFurtherEvents; ++i) {
        char point[8];
        std::snprintf(point, sizeof point, "%03d", i);
        driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"event_id", std::string("g-") + point},
                                {"point", point}});
    }
    REQUIRE(waitUntil([&] { return service->stats().events == 2 + kFurtherEvents; }, 20000));
    REQUIRE(waitUntil([&] {
        return (health = journalHealth(observer)) && health->notStoredCount == 1 + kFurtherEvents;
    }, 10000));
    CHECK(cursorOf(journalPath) <= static_cast<int64_t>(beforeAlarm));
    door = itemOf(observer, "door-front");
    REQUIRE(door);
    CHECK_FALSE(door->stored);
    CHECK(queryInt(journalPath, "SELECT COUNT(*) FROM events WHERE event_id = 'f-1'") == 0);

    // The journal thread keeps trying (with its back-off), and the log does not repeat itself.
    const uint64_t attempts = service->stats().journalAttemptsFailed;
    CHECK(waitUntil([&] { return service->stats().journalAttemptsFailed >= attempts + 3; }, 10000));
    CHECK(countLines(log, "the alarm journal cannot be written") == 1);

    // Writable again: stored (once), the fault over and its alarm cleared, the cursor past it all.
    repairJournal();
    REQUIRE(waitUntil([&] {
        door = itemOf(observer, "door-front");
        return door && door->stored;
    }, 15000));
    REQUIRE(waitUntil([&] { return (health = journalHealth(observer)) && health->ok; }, 10000));
    CHECK(health->notStored.empty());
    CHECK(waitUntil([&] {
        own = itemOf(observer, "alarms", "device_fault");
        return own && own->cleared && own->stored;
    }, 10000));
    CHECK(waitUntil([&] { return log.contains("the alarm journal is written again"); }, 5000));
    CHECK(queryInt(journalPath, "SELECT COUNT(*) FROM events WHERE event_id = 'f-1'") == 1);
    CHECK(waitUntil([&] { return cursorOf(journalPath) >= static_cast<int64_t>(beforeAlarm) + 1 + kFurtherEvents; },
                    10000));
    // One error line for the whole episode, however many attempts it took.
    CHECK(countLines(log, "the alarm journal cannot be written") == 1);
    CHECK(service->stats().journalErrors == 1);
    service->stop();
    service.reset();

    // After a restart: every alarm there exactly once.
    alarm_service::AlarmService again(site, serviceConfig(broker, site));
    REQUIRE(again.start().ok());
    REQUIRE(again.waitReady(5000));
    Observer later(broker, "desk-2");
    const size_t open = 2 + kFurtherEvents + 1; // f-0, f-1, the further ones, the fault's own
    CHECK(waitForItems(later, open, 15000).size() == open);
    CHECK(queryInt(journalPath, "SELECT COUNT(*) FROM alarms WHERE device = 'door-front'") == 1);
    CHECK(queryInt(journalPath, "SELECT COUNT(*) FROM events WHERE event_id = 'f-1'") == 1);
    CHECK(queryInt(journalPath, "SELECT COUNT(*) FROM events WHERE event_id LIKE 'g-%'") == kFurtherEvents);
    again.stop();
}

} // namespace

TEST_CASE("alarm_service/journal-disk-full-keeps-the-alarm-not-stored-and-stores-it-once-space-is-back") {
    TempDir dir;
    TmpfsMount disk(dir.path / "disk", "size=4m");
    if (!disk.mounted()) {
        WARN("skipped: " << disk.whyNot());
        return;
    }
    DiskFiller filler(disk.path() / "filler");
    keepsTheAlarmThroughAJournalFault(
        dir, (disk.path() / "alarms.sqlite").string(),
        [&]() -> std::string { return filler.fill() ? "" : "the tmpfs could not be filled"; },
        [&] { filler.free(); });
}

TEST_CASE("alarm_service/journal-immutable-keeps-the-alarm-not-stored-and-stores-it-once-writable") {
    TempDir dir;
    const std::filesystem::path journal = dir.path / "alarms.sqlite";
    ImmutableFiles immutable;
    keepsTheAlarmThroughAJournalFault(
        dir, journal.string(),
        [&]() -> std::string {
            // The journal and its write-ahead log, where SQLite writes first.
            if (!immutable.set(journal) || !immutable.set(journal.string() + "-wal")) {
                return immutable.whyNot();
            }
            return "";
        },
        [&] { immutable.clear(); });
}

// Another process breaks the journal under the running service (no root needed). Beyond the
// bound of events kept in memory, further events are not taken: they stay in the broker's journal
// with the cursor before them, the journal health counts them, and the next start takes them.
TEST_CASE("alarm_service/journal-broken-keeps-alarms-and-leaves-events-beyond-the-bound-in-the-bus-journal") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText("journal = \"alarms.sqlite\"\n", ""));
    const std::string& journalPath = site.alarms.journal;
    AlarmDriver driver(broker);
    Observer observer(broker);
    ServiceLog log;
    alarm_service::AlarmServiceConfig config = serviceConfig(broker, site, &log);
    config.journalRetryMaxMs = 200;
    config.maxUnstoredEvents = 5;
    auto service = std::make_unique<alarm_service::AlarmService>(site, config);
    REQUIRE(service->start().ok());
    REQUIRE(service->waitReady(5000));
    driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"event_id", "h-000"}, {"point", "000"}});
    REQUIRE(waitUntil([&] { return queryInt(journalPath, "SELECT COUNT(*) FROM alarms") == 1; }, 10000));

    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(journalPath.c_str(), &other) == SQLITE_OK);
    struct Closer {
        sqlite3* db;
        ~Closer() { sqlite3_close(db); }
    } closer{other};
    sqlite3_busy_timeout(other, 5000);
    REQUIRE(sqlite3_exec(other, "ALTER TABLE alarms RENAME TO alarms_away", nullptr, nullptr, nullptr) == SQLITE_OK);
    driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "w-1"}});
    std::optional<alarm::AlarmRecord> door;
    REQUIRE(waitUntil([&] { return (door = itemOf(observer, "door-front")).has_value(); }, 10000));
    CHECK_FALSE(door->stored);
    std::optional<alarm::JournalHealth> health;
    REQUIRE(waitUntil([&] { return (health = journalHealth(observer)) && !health->ok; }, 10000));
    CHECK(health->error.find("alarms") != std::string::npos); // SQLite names the missing table

    // The door alarm and the fault's own alarm wait: three more fill the bound of five.
    constexpr int kSent = 20;
    for (int i = 1; i <= kSent; ++i) {
        char point[8];
        std::snprintf(point, sizeof point, "%03d", i);
        driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"event_id", std::string("h-") + point},
                                {"point", point}});
    }
    REQUIRE(waitUntil([&] { return service->stats().events + service->stats().eventsHeld == 2 + kSent; }, 20000));
    CHECK(service->stats().events == 2 + 3);
    CHECK(service->stats().eventsHeld == kSent - 3);
    REQUIRE(waitUntil([&] { return (health = journalHealth(observer)) && health->eventsHeld == kSent - 3; }, 10000));
    CHECK(health->notStoredCount == 4);
    CHECK(log.warned("stay in the bus journal"));

    // Writable again: what was taken is stored; the held events still wait, and the health says so.
    REQUIRE(sqlite3_exec(other, "ALTER TABLE alarms_away RENAME TO alarms", nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(waitUntil([&] {
        door = itemOf(observer, "door-front");
        return door && door->stored;
    }, 15000));
    REQUIRE(waitUntil([&] { return (health = journalHealth(observer)) && health->notStoredCount == 0; }, 10000));
    CHECK_FALSE(health->ok);
    CHECK(health->eventsHeld == kSent - 3);
    CHECK(queryInt(journalPath, "SELECT COUNT(*) FROM events WHERE event_id LIKE 'h-%'") == 1 + 3);
    service->stop();
    service.reset();

    // The next start takes the held events from the broker's journal: every alarm exactly once.
    alarm_service::AlarmService again(site, serviceConfig(broker, site));
    REQUIRE(again.start().ok());
    REQUIRE(again.waitReady(5000));
    const size_t open = 1 + 1 + kSent + 1; // h-000, the door, the ones sent during the fault, the fault's own
    CHECK(waitForItems(observer, open, 15000).size() == open);
    CHECK(waitUntil([&] {
        return queryInt(journalPath, "SELECT COUNT(*) FROM events WHERE event_id LIKE 'h-%'") == 1 + kSent;
    }, 10000));
    CHECK(queryInt(journalPath, "SELECT COUNT(*) FROM alarms WHERE device = 'door-front'") == 1);
    CHECK(waitUntil([&] { return (health = journalHealth(observer)) && health->ok; }, 10000));
    again.stop();
}

// The service stops while its journal still refuses the alarm: the stored cursor is before it,
// so the next start, on a journal that works again, takes it from the broker's journal, once.
TEST_CASE("alarm_service/journal-still-broken-at-stop-the-next-start-takes-the-alarm-once") {
    TempDir dir;
    bus::Broker broker(brokerWithJournal(dir));
    REQUIRE(broker.start().ok());
    const site::Site site = loadSite(dir, siteText("journal = \"alarms.sqlite\"\n", ""));
    const std::string& journalPath = site.alarms.journal;
    AlarmDriver driver(broker);
    Observer observer(broker);
    ServiceLog log;
    alarm_service::AlarmServiceConfig config = serviceConfig(broker, site, &log);
    config.journalRetryMaxMs = 200;
    {
        alarm_service::AlarmService service(site, config);
        REQUIRE(service.start().ok());
        REQUIRE(service.waitReady(5000));
        driver.send("panel-1", {{"type", "intrusion"}, {"active", true}, {"event_id", "s-0"}});
        REQUIRE(waitUntil([&] { return queryInt(journalPath, "SELECT COUNT(*) FROM alarms") == 1; }, 10000));
        sqlite3* other = nullptr;
        REQUIRE(sqlite3_open(journalPath.c_str(), &other) == SQLITE_OK);
        struct Closer {
            sqlite3* db;
            ~Closer() { sqlite3_close(db); }
        } closer{other};
        sqlite3_busy_timeout(other, 5000);
        REQUIRE(sqlite3_exec(other, "ALTER TABLE events RENAME TO events_away", nullptr, nullptr, nullptr) == SQLITE_OK);
        driver.send("door-front", {{"type", "door"}, {"active", true}, {"event_id", "s-1"}});
        std::optional<alarm::AlarmRecord> door;
        REQUIRE(waitUntil([&] { return (door = itemOf(observer, "door-front")).has_value(); }, 10000));
        CHECK_FALSE(door->stored);
        REQUIRE(waitUntil([&] { return log.warned("the alarm journal cannot be written"); }, 10000));
        service.stop();
        CHECK(log.warned("stopped with the alarm journal unwritable"));
        CHECK(log.warned(door->id));
        REQUIRE(sqlite3_exec(other, "ALTER TABLE events_away RENAME TO events", nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    CHECK(queryInt(journalPath, "SELECT COUNT(*) FROM alarms WHERE device = 'door-front'") == 0);
    alarm_service::AlarmService service(site, serviceConfig(broker, site));
    REQUIRE(service.start().ok());
    REQUIRE(service.waitReady(5000));
    REQUIRE(waitUntil([&] {
        return queryInt(journalPath, "SELECT COUNT(*) FROM events WHERE event_id = 's-1'") == 1;
    }, 10000));
    std::optional<alarm::AlarmRecord> door;
    CHECK(waitUntil([&] {
        door = itemOf(observer, "door-front");
        return door && door->stored;
    }, 10000));
    service.stop();
    CHECK(queryInt(journalPath, "SELECT COUNT(*) FROM alarms WHERE device = 'door-front'") == 1);
    CHECK(queryInt(journalPath, "SELECT COUNT(*) FROM events WHERE event_id = 's-1'") == 1);
}
