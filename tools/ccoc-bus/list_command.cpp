// ccoc-bus list: the drivers the broker knows (online, session, last heard, devices), with what
// the host's supervisor says of each (state, restarts), and every device with retained state.
#include "bus_tool.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>

namespace ccoc::bustool {
namespace {

using Json = nlohmann::json;

// The broker publishes a driver's presence (with `last_heard_us`) only when it changes: for an
// online driver that is when it came online, not when it was last heard. What the broker does
// promise is that an online driver was heard within offline_after_ms (protocol section 9);
// an offline one's `last_heard_us` is exact, since nothing was heard after it.
std::string ageText(bool online, int64_t lastHeardUs, int64_t offlineAfterMs)
{
    if (online && offlineAfterMs > 0) {
        char text[32];
        std::snprintf(text, sizeof text, "within %.1f s", static_cast<double>(offlineAfterMs) / 1000.0);
        return text;
    }
    if (lastHeardUs <= 0) {
        return "never";
    }
    using namespace std::chrono;
    const int64_t nowUs = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    const double seconds = static_cast<double>(nowUs - lastHeardUs) / 1e6;
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s ago", seconds < 0 ? 0.0 : seconds);
    return text;
}

std::string segmentAfter(const std::string& path, size_t index)
{
    size_t start = 0;
    for (size_t i = 0; i < index; ++i) {
        start = path.find('/', start);
        if (start == std::string::npos) {
            return {};
        }
        ++start;
    }
    const size_t end = path.find('/', start);
    return path.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

} // namespace

int runList(const ToolOptions& options)
{
    bus::ClientConfig config;
    if (!clientConfig(options, true, config)) {
        return kUsage;
    }
    auto client = std::make_unique<bus::Client>(config);
    if (bus::Status started = client->start(); !started.ok()) {
        std::fprintf(stderr, "ccoc-bus: %s\n", started.error.c_str());
        return kUsage;
    }
    if (!client->waitReady(options.timeoutMs)) {
        std::fprintf(stderr, "ccoc-bus: no broker answered at %s within %d ms\n", config.frontendEndpoint.c_str(),
                     options.timeoutMs);
        return kNoBroker;
    }
    const auto entries = client->stateSnapshot();
    std::map<std::string, Json> brokerView;     // driver -> _bus/drivers value
    std::map<std::string, Json> supervisorView; // driver -> supervisor.*/driver/ID value
    std::map<std::string, std::pair<size_t, bool>> devices; // device -> keys, any stale
    std::map<std::string, std::string> owner;   // device -> driver
    for (const auto& entry : entries) {
        const std::string device = segmentAfter(entry.path, 0);
        if (entry.path.rfind("_bus/drivers/", 0) == 0) {
            brokerView[segmentAfter(entry.path, 2)] = Json::parse(entry.value, nullptr, false);
        } else if (device.rfind("supervisor.", 0) == 0 && segmentAfter(entry.path, 1) == "driver") {
            supervisorView[segmentAfter(entry.path, 2)] = Json::parse(entry.value, nullptr, false);
        } else if (!device.empty() && device.front() != '_') {
            auto& [keys, stale] = devices[device];
            ++keys;
            stale = stale || entry.stale;
            owner[device] = entry.source;
        }
    }
    const int64_t offlineAfterMs = client->stats().brokerOfflineAfterMs;
    std::set<std::string> drivers;
    for (const auto& [id, value] : brokerView) {
        drivers.insert(id);
    }
    for (const auto& [id, value] : supervisorView) {
        drivers.insert(id);
    }
    std::printf("DRIVERS\n%-20s %-8s %-12s %-18s %-9s %-14s %s\n", "id", "online", "process", "session", "restarts",
                "last heard", "devices");
    for (const auto& id : drivers) {
        const Json broker = brokerView.count(id) != 0 ? brokerView[id] : Json::object();
        const Json supervisor = supervisorView.count(id) != 0 ? supervisorView[id] : Json::object();
        std::string deviceList;
        if (broker.is_object() && broker.contains("devices") && broker["devices"].is_array()) {
            for (const auto& d : broker["devices"]) {
                deviceList += (deviceList.empty() ? "" : ",") + d.get<std::string>();
            }
        }
        const bool online = broker.is_object() && broker.value("online", false);
        std::printf("%-20s %-8s %-12s %-18s %-9s %-14s %s\n", id.c_str(), online ? "yes" : "no",
                    supervisor.is_object() ? supervisor.value("state", std::string("-")).c_str() : "-",
                    broker.is_object() ? broker.value("session", std::string("-")).c_str() : "-",
                    supervisor.is_object() && supervisor.contains("restarts") ? std::to_string(supervisor.value("restarts", 0)).c_str() : "-",
                    ageText(online, broker.is_object() ? broker.value("last_heard_us", int64_t{0}) : 0, offlineAfterMs).c_str(),
                    deviceList.c_str());
    }
    std::printf("\nDEVICES\n%-24s %-20s %-6s %s\n", "id", "source", "keys", "state");
    for (const auto& [device, info] : devices) {
        std::printf("%-24s %-20s %-6zu %s\n", device.c_str(), owner[device].c_str(), info.first, info.second ? "stale" : "live");
    }
    std::fflush(stdout);
    return kOk;
}

} // namespace ccoc::bustool
