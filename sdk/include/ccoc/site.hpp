// Site files: the TOML an integrator writes to set up a station (see configs/README.md).
//
// Loading is a pure function of the file's text: it never throws, collects every error it finds
// (not just the first), and yields a Site only when there is none. Each error says where
// (FILE:LINE:COL), what is wrong, and what was expected.
//
// Thread: any; no shared state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ccoc::site {

struct SourcePos {
    std::string file;
    uint32_t line = 0;   // 1-based; 0 when the position is unknown (unreadable file)
    uint32_t column = 0; // 1-based
};

struct Diagnostic {
    SourcePos where;
    std::string what;     // "unknown key 'fulscreen' in [[screen]]"
    std::string expected; // "one of: id, title, monitor, x, y, width, height, fullscreen"
    // "FILE:LINE:COL: what; expected EXPECTED" (the "; expected" part only when expected is set).
    [[nodiscard]] std::string format() const;
};

// A plugin's or panel's own settings: dotted keys ("stream.fps") to scalar values, plus the whole
// table as JSON for plugins that want structure.
using SettingValue = std::variant<std::string, int64_t, double, bool>;
struct Settings {
    std::map<std::string, SettingValue> values; // flattened; arrays are only in json
    std::string json = "{}";
    // Where each entry was written, so that a plugin's message about a value can say FILE:LINE:COL.
    // Keyed by the same dotted paths as `values`, plus every nested table ("account.1234"), every
    // array ("sensor") and its elements by 0-based index ("sensor.0", "sensor.0.device"). The key ""
    // is the settings table itself, or the entry that holds it ([[driver]], ...) when it has none.
    // Positions are those of the value (as in Diagnostic) and of a table's [header].
    std::map<std::string, SourcePos> positions;
    // `positions` as text ("FILE:LINE:COL"), or another origin such as "--set KEY" for a value given
    // on a command line; kept as strings so that a settings service can hand out stable pointers.
    std::map<std::string, std::string> origins;

    // The origin of `key`, or of the nearest enclosing table written in the file when `key` is
    // absent (a missing key is reported at its table); nullptr when nothing is known. The pointer
    // lives as long as this Settings is not changed.
    [[nodiscard]] const std::string* originOf(std::string_view key) const;
};

struct SiteInfo {
    std::string name;        // Thai
    std::string nameEn;      // English
    std::string stationCode; // e.g. "BKK-0101"
    std::string zone;        // name of the SMART SAFETY ZONE, may be empty
};

struct UiSettings {
    std::string language = "th";   // "th" | "en"
    std::string font;              // absolute path to a TTF with Thai glyphs (written relative to the
                                   // site file); empty: the host's default
    float fontSizePx = 18.0f;      // 8..72
    std::string operatorName;      // shown in the status bar
};

struct Screen {
    std::string id;
    std::string title;             // in the site's language (Thai)
    std::string titleEn;           // in the English interface; empty: title
    std::optional<int> monitor;    // index of the monitor; when absent, x/y/width/height place it
    int x = 0;
    int y = 0;
    int width = 1280;
    int height = 720;
    bool fullscreen = false;
    SourcePos pos;
};

// Which panel fills which cells of a screen's grid.
struct Region {
    std::string panel;  // id of a [[panel]]
    int column = 0;     // 0-based cell
    int row = 0;
    int columnSpan = 1;
    int rowSpan = 1;
    SourcePos pos;
};

struct Layout {
    std::string screen; // id of a [[screen]]
    int columns = 1;    // 1..16
    int rows = 1;       // 1..16
    std::vector<Region> regions;
    SourcePos pos;
};

// An instance of a panel type offered by a plugin ("system.info").
struct Panel {
    std::string id;
    std::string type;
    std::string title;   // optional override of the panel type's title, in the site's language
    std::string titleEn; // the same for the English interface; empty: title
    Settings settings;
    SourcePos pos;
};

struct Camera {
    std::string id;
    std::string name;      // Thai
    std::string nameEn;
    std::string url;       // main stream
    std::string subUrl;    // sub stream, may be empty
    std::string username;
    std::string password;  // resolved from password or password_env; never logged
    std::string passwordEnv;
    bool ptz = false;
    std::string zone;
    std::optional<std::pair<double, double>> position; // lat, lon
    SourcePos pos;
};

struct Device {
    std::string id;
    std::string name;      // Thai
    std::string nameEn;
    std::string kind;      // "sensor", "alarm_panel", "light", "camera_io", "other"
    std::string driver;    // id of the driver that owns it (bus issue); may be empty
    std::string zone;
    std::vector<std::string> cameras; // ids of linked [[camera]]s
    std::optional<std::pair<double, double>> position;
    Settings settings;
    // Alarms (sdk/docs/alarms.md): what the alarm service puts into this device's alarms.
    std::optional<int> priority;   // 1..5; wins over [alarms.priority] and the built-in default
    std::string riskPoint;         // risk point name (จุดเสี่ยง), may be empty
    std::string procedure;         // what the operator does, shown with the alarm; may be empty
    std::string alarmType;         // type of an alarm event that names none; empty: none
    SourcePos pos;
};

struct Plugin {
    std::string id;        // file name stem searched on the plugin path, or
    std::string path;      // explicit path to the .so, made absolute (written relative to the site file)
    bool enabled = true;
    Settings settings;
    SourcePos pos;
};

// A driver process the host starts and supervises ([[driver]]): ccoc-driverd running one driver
// shared object (`plugin` or `path`), or any program that speaks the bus (`command`).
struct Driver {
    std::string id;                   // bus source id of the driver ("sim-1")
    std::string plugin;               // driver .so file stem searched on the plugin path, or
    std::string path;                 // explicit path to the driver .so, made absolute, or
    std::vector<std::string> command; // a program and its arguments (a driver in another language)
    bool enabled = true;
    std::string restart = "always";   // "always" | "on-failure" | "never"
    int restartDelayMs = 500;         // first delay after a death, doubled each time
    int restartMaxDelayMs = 30000;    // cap of the delay
    int crashLimit = 5;               // this many deaths within crashWindowSec: stop restarting
    int crashWindowSec = 60;
    int crashCooldownSec = 30;        // a crash loop rests this long, then the driver is tried again
    int crashCooldownMaxSec = 300;    // each further crash loop doubles the rest, up to this
    Settings settings;
    SourcePos pos;
};

// [[service]]: a bus service of the site (ccoc/service.h), run by ccoc-serviced in a process of
// its own. The restart fields mean what they mean for a [[driver]].
enum class ServiceRun {
    Local, // run = "local": this host starts and supervises it
    Remote // run = "remote": another machine runs it; this host only watches for it on the bus
};

struct Service {
    std::string id;                   // the service's bus source id ("alarms")
    std::string plugin;               // service .so file stem, searched as services/PLUGIN.so on
                                      // the plugin path, or
    std::string path;                 // explicit path to the service .so, made absolute
    ServiceRun run = ServiceRun::Local;
    bool enabled = true;
    std::string restart = "always";   // "always" | "on-failure" | "never"
    int restartDelayMs = 500;
    int restartMaxDelayMs = 30000;
    int crashLimit = 5;
    int crashWindowSec = 60;
    int crashCooldownSec = 30;
    int crashCooldownMaxSec = 300;
    std::string stateDir;             // absolute; its state and journal; default: the site file's folder
    Settings settings;
    SourcePos pos;
    // Not written as [[service]]: implied by the deprecated [alarms] service key (or, for one
    // release, by a site with alarm sources and no [[service]] for the alarm service).
    bool implied = false;
};

// One key the bus lets in ([[bus.allow]], sdk/docs/bus-protocol.md section 10).
struct BusAllow {
    std::string name;                  // the source id this key must use ("sim-1")
    std::string publicKey;             // Z85, 40 characters
    std::vector<std::string> publish;  // topic prefixes it may send: "state/cam-1/", "cmd/"
    std::vector<std::string> devices;  // devices it may own
    // The key's secret half, for a peer the host runs or launches under this name (the wall
    // "wall.PANEL", the alarm service "alarms", a [[driver]] run by ccoc-driverd): absolute path;
    // empty when the entry has none (a peer on another machine, or one that brings its own key).
    // Only named here; ccoc/bus/site_config.hpp reads it when that peer starts.
    std::string secretKeyFile;
    SourcePos secretKeyFilePos;        // where secret_key_file was written, for messages
    SourcePos pos;
};

// [bus]: where the broker listens, whether the host runs it, and its security. Key files are
// only named here (absolute paths); ccoc/bus/site_config.hpp reads them.
struct BusSettings {
    bool present = false;                  // the file has a [bus] section
    bool embeddedBroker = true;            // broker = "embedded" | "external"
    std::string frontend = "tcp://127.0.0.1:5570";
    std::string publisher = "tcp://127.0.0.1:5571";
    bool curve = false;                    // security = "curve" | "none"
    std::string serverPublicKey;           // Z85
    std::string serverSecretKeyFile;       // absolute path
    std::string clientPublicKey;           // the host's own key pair
    std::string clientSecretKeyFile;       // absolute path
    std::string journal;                   // absolute path; empty: in memory only
    int heartbeatMs = 1000;
    int offlineAfterMs = 3000;
    double maxRate = 0;                    // telemetry messages/s per sender; 0: unlimited
    size_t maxMessageBytes = 0;            // the broker's ZMQ_MAXMSGSIZE; 0: the decoder's limit + 64 KiB
    std::vector<BusAllow> allow;
    SourcePos pos;
    SourcePos securityPos;                 // where `security` is written; line 0 when it is not
    SourcePos frontendPos;                 // likewise `frontend`
    SourcePos publisherPos;                // and `publisher`
};

// A bus without security (security = "none", the default) lets any process that reaches its
// endpoints say hello as any driver or console: receive its commands, publish alarms in its name.
// Whether only processes of this machine can reach `endpoint`: tcp:// on 127.x.y.z, localhost,
// [::1] or the interface lo; ipc:// and inproc://. A wildcard (tcp://*, tcp://0.0.0.0), another
// address or a host name is not local.
[[nodiscard]] bool isLocalEndpoint(std::string_view endpoint);

struct OpenBusNotice {
    bool warning = false; // true: other machines can reach the bus; false: only this machine
    std::string message;  // "FILE:LINE:COL: ..." at `security`, else at the endpoint's key
};

// For a plain bus on these endpoints (the ones actually used: [bus], or overrides from the
// environment or a command line): a warning when one is not local, else the note that every
// local process can join. nullopt with security = "curve". The host logs it when it starts the
// bus, `ccoc-host --check` prints the warning, `ccoc-bus broker` both.
[[nodiscard]] std::optional<OpenBusNotice> openBusNotice(const BusSettings& bus, const std::string& siteFile,
                                                         const std::string& frontend, const std::string& publisher);

// [alarms]: where the alarm service runs and its defaults (sdk/docs/alarms.md).
enum class AlarmServiceMode { Embedded, External, Off };

struct AlarmSettings {
    bool present = false;                 // the file has an [alarms] section
    std::optional<AlarmServiceMode> service; // as written (deprecated: [[service]]); see Site::alarmServiceMode()
    SourcePos servicePos;                 // where `service` was written
    std::string journal;                  // absolute path of the SQLite journal; empty: in memory
    std::string supervisorScreen;         // id of a [[screen]]: where escalations are shown
    std::string alarmScreen;              // id of a [[screen]]: default screen of rules
    int escalateAfterS = 0;               // unacknowledged this long: escalate; 0: never
    int ackNoteRequiredMaxPriority = 2;   // acknowledging priorities 1..this needs a note; 0: never
    std::map<std::string, int> priorityByType; // [alarms.priority]: type -> 1..5
    SourcePos pos;
};

// [[alarm_rule]]: what to do with a new alarm that matches (sdk/docs/alarms.md section 3).
struct AlarmRule {
    std::string id;
    std::vector<std::string> types;  // empty: any type
    std::vector<std::string> zones;  // empty: any zone (free text, compared exactly)
    int maxPriority = 5;             // matches priorities 1..maxPriority
    std::string screen;              // id of a [[screen]]; empty: [alarms] alarm_screen
    std::string panel;               // explicit camera.wall [[panel]]; empty: the one on `screen`
    int tile = 1;                    // first tile the cameras go to, from 1
    bool pushCameras = true;
    bool markBorder = true;
    std::optional<int> escalateAfterS;      // overrides [alarms] escalate_after_s; 0: never
    std::optional<int> escalateToPriority;  // escalation stops raising the priority at this one
    SourcePos pos;
};

struct Site {
    std::string sourceFile;
    SiteInfo info;
    UiSettings ui;
    std::vector<Screen> screens;
    std::vector<Layout> layouts;
    std::vector<Panel> panels;
    std::vector<Camera> cameras;
    std::vector<Device> devices;
    std::vector<Plugin> plugins;
    std::vector<Driver> drivers;
    std::vector<Service> services;            // [[service]], in file order, then the implied one
    BusSettings bus;                          // [bus]
    AlarmSettings alarms;                     // [alarms]
    std::vector<AlarmRule> alarmRules;        // [[alarm_rule]], in file order
    std::vector<std::string> pluginSearchPath; // plugin_path = [...], made absolute against the site
                                               // file's directory, in file order

    // Look-ups by id (findLayout: by the id of its screen). Null when there is none. The pointers
    // point into this Site's vectors: valid while the Site lives and is not modified.
    [[nodiscard]] const Screen* findScreen(std::string_view id) const noexcept;
    [[nodiscard]] const Layout* findLayout(std::string_view screenId) const noexcept;
    [[nodiscard]] const Panel* findPanel(std::string_view id) const noexcept;
    [[nodiscard]] const Camera* findCamera(std::string_view id) const noexcept;
    [[nodiscard]] const Device* findDevice(std::string_view id) const noexcept;
    [[nodiscard]] const Service* findService(std::string_view id) const noexcept;
    // The first panel of type "camera.wall" in the layout of `screenId`; null when there is none.
    [[nodiscard]] const Panel* findCameraWall(std::string_view screenId) const noexcept;
    // The bus devices of the site's camera walls ("wall." + the id of each [[panel]] of type
    // "camera.wall": the peers that take push-to-wall commands, sdk/docs/bus-protocol.md), in file order.
    [[nodiscard]] std::vector<std::string> cameraWallDevices() const;
    // Where the alarm service runs: [alarms] service as written, else Embedded when the site has
    // an alarm source (a [[driver]], a [[device]] of kind sensor, alarm_panel or camera_io or with
    // an alarm_type, or an [[alarm_rule]]), else Off.
    [[nodiscard]] AlarmServiceMode alarmServiceMode() const noexcept;
};

struct LoadResult {
    std::optional<Site> site;          // set only when errors is empty
    std::vector<Diagnostic> errors;
    // Said but not refused: deprecated forms that are still read, with the form that replaces
    // them in `expected`. Whoever loads a site prints them ("warning: " + format()).
    std::vector<Diagnostic> warnings;
    [[nodiscard]] bool ok() const noexcept { return site.has_value() && errors.empty(); }
};

// Reads and validates a site file. Never throws. An unreadable file gives one error with line 0
// ("FILE: cannot read: REASON"). Reads the environment variables named by password_env.
// Thread: any (reads the environment, so not concurrently with setenv).
LoadResult loadSiteFile(const std::string& path);
// Validates site-file text; `sourceName` is used in diagnostics and to resolve relative paths
// (a relative sourceName is taken against the current directory). Never throws.
LoadResult parseSite(std::string_view text, const std::string& sourceName);

} // namespace ccoc::site
