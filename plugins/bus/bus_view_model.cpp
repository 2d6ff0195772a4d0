#include "bus_view_model.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>

namespace ccoc::buspanel {
namespace {

using Json = nlohmann::json;

// Segment `index` of a path ("a/b/c", 1 -> "b"); empty when there is none.
std::string segment(std::string_view path, size_t index)
{
    size_t start = 0;
    for (size_t i = 0; i < index; ++i) {
        start = path.find('/', start);
        if (start == std::string_view::npos) {
            return {};
        }
        ++start;
    }
    const size_t end = path.find('/', start);
    return std::string(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

} // namespace

BusViewModel::BusViewModel(const ccoc_host* host, const ccoc_bus_service_v1* bus) : host_(host), bus_(bus)
{
    if (bus_ != nullptr) {
        // Everything, to count rates per kind; the host delivers through its bounded queue.
        subscription_ = bus_->subscribe(host_, "", &BusViewModel::onMessage, this);
    }
}

BusViewModel::~BusViewModel()
{
    if (bus_ != nullptr && subscription_ != 0) {
        bus_->unsubscribe(host_, subscription_);
    }
}

void BusViewModel::onMessage(void* user, const ccoc_bus_message* message)
{
    auto* self = static_cast<BusViewModel*>(user);
    const int kind = static_cast<int>(message->kind);
    if (kind >= 0 && kind < 3) {
        ++self->counts_[kind];
    }
}

void BusViewModel::onState(void* user, const ccoc_bus_state_entry* entry)
{
    auto* self = static_cast<BusViewModel*>(user);
    const std::string_view path(entry->path);
    const std::string device = segment(path, 0);
    if (path.rfind("_bus/drivers/", 0) == 0) {
        const Json value = Json::parse(entry->value_json, nullptr, false);
        DriverRow& row = self->driverMap_[segment(path, 2)];
        row.id = segment(path, 2);
        row.known = true;
        if (value.is_object()) {
            row.online = value.value("online", false);
            row.session = value.value("session", std::string());
            row.lastHeardUs = value.value("last_heard_us", int64_t{0});
            row.devices.clear();
            if (value.contains("devices") && value["devices"].is_array()) {
                for (const auto& d : value["devices"]) {
                    if (d.is_string()) {
                        row.devices.push_back(d.get<std::string>());
                    }
                }
            }
        }
        return;
    }
    if (device.rfind("supervisor.", 0) == 0 && segment(path, 1) == "driver") {
        const Json value = Json::parse(entry->value_json, nullptr, false);
        DriverRow& row = self->driverMap_[segment(path, 2)];
        row.id = segment(path, 2);
        if (value.is_object()) {
            row.process = value.value("state", std::string("-"));
            row.restarts = value.value("restarts", int64_t{0});
            row.lastExit = value.value("last_exit", std::string());
        }
        return;
    }
    if (device.empty() || device.front() == '_') {
        return;
    }
    DeviceRow& row = self->deviceMap_[device];
    row.id = device;
    row.source = entry->source != nullptr ? entry->source : "";
    ++row.keys;
    row.stale = row.stale || entry->stale;
    row.lastUpdateUs = std::max(row.lastUpdateUs, entry->acquired_us);
}

void BusViewModel::readAll()
{
    driverMap_.clear();
    deviceMap_.clear();
    bus_->read_state(host_, "", &BusViewModel::onState, this);
    // The broker republishes a driver's presence only when it changes; its devices' updates say
    // more recently that it is alive.
    for (auto& [id, row] : driverMap_) {
        for (const auto& device : row.devices) {
            if (auto it = deviceMap_.find(device); it != deviceMap_.end() && it->second.source == id) {
                row.lastHeardUs = std::max(row.lastHeardUs, it->second.lastUpdateUs);
            }
        }
    }
    drivers_.clear();
    for (auto& [id, row] : driverMap_) {
        drivers_.push_back(std::move(row));
    }
    devices_.clear();
    for (auto& [id, row] : deviceMap_) {
        devices_.push_back(std::move(row));
    }
}

void BusViewModel::refresh(double nowSec)
{
    if (bus_ == nullptr) {
        return;
    }
    // Quickly while the bus is still coming up, then twice a second.
    const double interval = drivers_.empty() ? 0.1 : 0.5;
    if (lastReadSec_ < 0 || nowSec - lastReadSec_ >= interval) {
        lastReadSec_ = nowSec;
        readAll();
    }
    if (rateWindowStartSec_ < 0) {
        rateWindowStartSec_ = nowSec;
    } else if (nowSec - rateWindowStartSec_ >= 1.0) {
        const double window = nowSec - rateWindowStartSec_;
        rates_.state = static_cast<double>(counts_[CCOC_BUS_STATE]) / window;
        rates_.event = static_cast<double>(counts_[CCOC_BUS_EVENT]) / window;
        rates_.telemetry = static_cast<double>(counts_[CCOC_BUS_TELEMETRY]) / window;
        counts_[0] = counts_[1] = counts_[2] = 0;
        rateWindowStartSec_ = nowSec;
    }
}

} // namespace ccoc::buspanel
