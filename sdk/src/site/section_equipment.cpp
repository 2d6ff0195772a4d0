// What is in the street: [[camera]] and [[device]].
#include "site_sections.hpp"

#include "camera_url.hpp"

#include "ccoc/alarm.hpp"
#include "ccoc/env_name.hpp"

#include <cstdlib>

namespace ccoc::site::detail {

namespace {

const TableReader::PairSpec kPositionSpec{"latitude", -90.0, 90.0, "longitude", -180.0, 180.0, false};

// url and sub_url: a scheme the camera wall reads, a host, a port in range. The URL is quoted
// with its credentials masked.
void checkUrl(TableReader& reader, std::string_view key, const std::string& url, LoadContext& ctx) {
    if (url.empty()) {
        return;
    }
    if (auto problem = cameraUrlProblem(url)) {
        ctx.sink.add(reader.posOf(key),
                     "'" + std::string(key) + "' of [[camera]] is '" + maskUrlCredentials(url) + "': " + *problem,
                     std::string(kCameraUrlExpectation));
    }
}

// password = "..." in the file, or password_env = "VAR" read now; never both. Messages name the
// variable but never include a password.
void readPassword(TableReader& reader, Camera& camera, LoadContext& ctx) {
    if (reader.has("password") && reader.has("password_env")) {
        ctx.sink.add(reader.posOf("password_env"), "'password_env' cannot be combined with 'password' in [[camera]]",
                     "either password = \"...\" or password_env = \"NAME_OF_VARIABLE\"");
        return;
    }
    camera.password = reader.string("password", Need::optional).value_or("");
    auto variable = reader.string("password_env", Need::optional);
    if (!variable) {
        return;
    }
    // What is written here is sometimes the password itself: never quote it.
    if (!ccoc::isEnvName(*variable)) {
        ctx.sink.add(reader.posOf("password_env"),
                     "'password_env' of [[camera]] is not a name of an environment variable (its value is not shown: "
                     "it may be a password)",
                     std::string(ccoc::kEnvNameExpectation));
        return;
    }
    camera.passwordEnv = *variable;
    const char* secret = std::getenv(variable->c_str());
    if (secret == nullptr) {
        ctx.sink.add(reader.posOf("password_env"),
                     "environment variable '" + *variable + "' named by 'password_env' is not set",
                     "the variable set in the environment of the program that loads the site");
        return;
    }
    camera.password = secret;
}

} // namespace

void readCameras(const toml::node& value, LoadContext& ctx) {
    for (const toml::table* table : sectionTables(value, "camera", ctx)) {
        TableReader reader(*table, "[[camera]]",
                           {"id", "name", "name_en", "url", "sub_url", "username", "password", "password_env", "ptz",
                            "zone", "position"},
                           ctx.sink);
        Camera camera;
        camera.pos = reader.where();
        if (auto id = reader.id("id", Need::required)) {
            camera.id = *id;
            ctx.ids.declare("[[camera]]", camera.id, reader.posOf("id"), ctx.sink);
        }
        camera.name = reader.string("name", Need::required).value_or("");
        camera.nameEn = reader.string("name_en", Need::optional).value_or("");
        camera.url = reader.string("url", Need::required).value_or("");
        camera.subUrl = reader.string("sub_url", Need::optional).value_or("");
        checkUrl(reader, "url", camera.url, ctx);
        checkUrl(reader, "sub_url", camera.subUrl, ctx);
        camera.username = reader.string("username", Need::optional).value_or("");
        readPassword(reader, camera, ctx);
        camera.ptz = reader.boolean("ptz", Need::optional).value_or(false);
        camera.zone = reader.string("zone", Need::optional).value_or("");
        camera.position = reader.pair("position", kPositionSpec, Need::optional);
        ctx.site.cameras.push_back(std::move(camera));
    }
}

void readDevices(const toml::node& value, LoadContext& ctx) {
    for (const toml::table* table : sectionTables(value, "device", ctx)) {
        TableReader reader(*table, "[[device]]",
                           {"id", "name", "name_en", "kind", "driver", "zone", "cameras", "position", "settings",
                            "priority", "risk_point", "procedure", "alarm_type"},
                           ctx.sink);
        Device device;
        device.pos = reader.where();
        if (auto id = reader.id("id", Need::required)) {
            device.id = *id;
            ctx.ids.declare("[[device]]", device.id, reader.posOf("id"), ctx.sink);
        }
        device.name = reader.string("name", Need::required).value_or("");
        device.nameEn = reader.string("name_en", Need::optional).value_or("");
        device.kind = reader.choice("kind", {"sensor", "alarm_panel", "light", "camera_io", "other"}, Need::required)
                          .value_or("");
        // Which drivers exist is the bus issue's business; here only the id's form is checked.
        device.driver = reader.id("driver", Need::optional).value_or("");
        device.zone = reader.string("zone", Need::optional).value_or("");
        if (auto cameras = reader.stringList("cameras", Need::optional)) {
            for (auto& [cameraId, where] : *cameras) {
                ctx.ids.refer("[[camera]]", cameraId, where, "cameras");
                device.cameras.push_back(std::move(cameraId));
            }
        }
        device.position = reader.pair("position", kPositionSpec, Need::optional);
        device.settings = readSettings(reader, "settings");
        if (auto priority = reader.integer("priority", alarm::kHighestPriority, alarm::kLowestPriority, Need::optional)) {
            device.priority = static_cast<int>(*priority);
        }
        device.riskPoint = reader.string("risk_point", Need::optional).value_or("");
        device.procedure = reader.string("procedure", Need::optional).value_or("");
        if (auto type = reader.string("alarm_type", Need::optional)) {
            if (alarm::isKnownType(*type)) {
                device.alarmType = *type;
            } else {
                ctx.sink.add(reader.posOf("alarm_type"), "'alarm_type' of [[device]] is '" + *type + "', not an alarm type",
                             std::string(alarm::kTypeExpectation));
            }
        }
        ctx.site.devices.push_back(std::move(device));
    }
}

} // namespace ccoc::site::detail
