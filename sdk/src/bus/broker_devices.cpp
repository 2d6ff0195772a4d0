// ccoc::bus::Broker: who owns which device (protocol section 7.1) and who may publish for it
// (section 10.1). Runs on the broker's I/O thread only; `drivers` is written under infoMutex.
//
// The rule: the first driver to announce a device owns it for as long as it is online. A second
// driver announcing it is told (`device-taken`) and waits; when the owner goes offline the oldest
// waiting online driver gets the device (and a resync, to publish its state). A new session of the
// owner's own source id (a restart) keeps what it announces again.
#include "broker_impl.hpp"

#include "json_scan.hpp"

#include <algorithm>

namespace ccoc::bus {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

std::string deviceJson(const std::string& device, const std::string& owner) {
    std::string extra = ",\"device\":";
    detail::appendQuoted(extra, device);
    extra += ",\"owner\":";
    detail::appendQuoted(extra, owner);
    return extra;
}

} // namespace

void Broker::Impl::refreshOwned(const std::string& source) {
    std::lock_guard lock(infoMutex);
    const auto found = drivers.find(source);
    if (found == drivers.end()) {
        return;
    }
    Driver& driver = found->second;
    driver.devices.clear();
    for (const auto& device : driver.claimed) {
        const auto owner = owners.find(device);
        if (owner != owners.end() && owner->second == source) {
            driver.devices.push_back(device);
        }
    }
}

void Broker::Impl::claimDevices(Peer& peer, const std::vector<std::string>& previous) {
    const std::string source = peer.source;
    std::vector<std::string> claimed;
    {
        std::lock_guard lock(infoMutex);
        claimed = drivers[source].claimed;
    }
    std::vector<std::string> released;
    for (const auto& device : previous) {
        const auto owner = owners.find(device);
        if (!contains(claimed, device) && owner != owners.end() && owner->second == source) {
            owners.erase(owner);
            released.push_back(device);
        }
    }
    std::vector<std::string> losers;
    for (const auto& device : claimed) {
        const auto owner = owners.find(device);
        if (owner == owners.end() || owner->second == source) {
            owners[device] = source;
            continue;
        }
        const std::string current = owner->second;
        bool currentOnline = false;
        {
            std::lock_guard lock(infoMutex);
            const auto driver = drivers.find(current);
            currentOnline = driver != drivers.end() && driver->second.online;
        }
        if (currentOnline) {
            peerLog(LogLevel::Warning, source, "device-taken " + device,
                    "bus broker: driver '" + source + "' announced device '" + device + "', which driver '" + current +
                        "' owns and is online: '" + current + "' keeps it; '" + source +
                        "' gets it if '" + current + "' goes offline");
            notice(peer, "device-taken",
                   "device '" + device + "' is owned by driver '" + current + "', which is online; you get it if '" +
                       current + "' goes offline",
                   nullptr, deviceJson(device, current));
            continue;
        }
        peerLog(LogLevel::Warning, source, "device-moves " + device,
                "bus broker: device '" + device + "' moves from offline driver '" + current + "' to '" + source + "'");
        owner->second = source;
        losers.push_back(current);
    }
    refreshOwned(source);
    for (const auto& loser : losers) {
        refreshOwned(loser);
        Driver copy;
        {
            std::lock_guard lock(infoMutex);
            copy = drivers[loser];
        }
        publishDriverPresence(loser, copy);
    }
    // Devices its new session no longer announces go to whoever waits for them.
    handOver(source, released);
}

void Broker::Impl::handOverDevicesOf(const std::string& source) {
    std::vector<std::string> owned;
    for (const auto& [device, owner] : owners) {
        if (owner == source) {
            owned.push_back(device);
        }
    }
    handOver(source, owned);
}

// Gives each of `devices` (owned by `source`, or released by it) to the online driver that
// announced it first; a device nobody waits for stays as it is.
void Broker::Impl::handOver(const std::string& source, const std::vector<std::string>& devices) {
    std::map<std::string, std::vector<std::string>> gained; // new owner -> devices
    {
        std::lock_guard lock(infoMutex);
        for (const auto& device : devices) {
            std::string next;
            int64_t oldest = INT64_MAX;
            for (const auto& [other, driver] : drivers) {
                if (other != source && driver.online && contains(driver.claimed, device) && driver.helloSteadyUs < oldest) {
                    next = other;
                    oldest = driver.helloSteadyUs;
                }
            }
            if (!next.empty()) {
                owners[device] = next;
                gained[next].push_back(device);
            }
        }
    }
    refreshOwned(source);
    for (const auto& [next, given] : gained) {
        refreshOwned(next);
        Driver copy;
        {
            std::lock_guard lock(infoMutex);
            copy = drivers[next];
        }
        std::string list;
        for (const auto& device : given) {
            list += (list.empty() ? "'" : ", '") + device + "'";
            peerLog(LogLevel::Warning, next, "device-moves " + device,
                    "bus broker: device '" + device + "' moves from driver '" + source + "' (offline or no longer announcing it) to '" +
                        next + "', which announced it too");
        }
        publishDriverPresence(next, copy);
        std::string payload = "{\"reason\":";
        detail::appendQuoted(payload, "you now own " + list + " (driver '" + source + "' went offline or gave it up)");
        payload += "}";
        sendToPeer(copy.routingId, "bus/resync/", detail::kTypeResync, payload);
    }
}

// A driver back online: devices it announced whose owner is now offline come to it (the resync
// it gets for coming back makes it republish); of those with an online owner it is told.
void Broker::Impl::tellWhatIsTaken(const std::string& source) {
    std::vector<std::pair<std::string, std::string>> taken; // device, owner
    std::vector<std::string> formerOwners;
    std::string routingId;
    {
        std::lock_guard lock(infoMutex);
        const auto driver = drivers.find(source);
        if (driver == drivers.end()) {
            return;
        }
        routingId = driver->second.routingId;
        for (const auto& device : driver->second.claimed) {
            const auto owner = owners.find(device);
            if (owner == owners.end() || owner->second == source) {
                continue;
            }
            const auto current = drivers.find(owner->second);
            if (current != drivers.end() && current->second.online) {
                taken.emplace_back(device, owner->second);
            } else {
                formerOwners.push_back(owner->second);
                owner->second = source;
            }
        }
    }
    for (const auto& former : formerOwners) {
        peerLog(LogLevel::Warning, source, "device-moves " + former,
                "bus broker: devices of offline driver '" + former + "' go back to '" + source +
                    "', which announced them and is online again");
        refreshOwned(former);
        Driver copy;
        {
            std::lock_guard lock(infoMutex);
            copy = drivers[former];
        }
        publishDriverPresence(former, copy);
    }
    refreshOwned(source);
    const auto peer = peers.find(routingId);
    if (peer == peers.end()) {
        return;
    }
    for (const auto& [device, owner] : taken) {
        notice(peer->second, "device-taken",
               "device '" + device + "' went to driver '" + owner + "' while you were offline; you get it back if '" +
                   owner + "' goes offline",
               nullptr, deviceJson(device, owner));
    }
}

bool Broker::Impl::mayPublishFor(const Peer& peer, std::string_view topic, std::string& why) const {
    const std::string device(detail::topicDevice(topic));
    if (device.starts_with('_')) {
        why = "may not publish " + std::string(topic) + ": devices starting with '_' belong to the broker";
        return false;
    }
    if (!allowedTopic(peer, topic)) {
        why = "may not publish " + std::string(topic) + " (not in its [[bus.allow]] publish prefixes)";
        return false;
    }
    const auto owner = owners.find(device);
    if (peer.role == "driver") {
        if (owner != owners.end() && owner->second == peer.source) {
            return true;
        }
        why = "driver '" + peer.source + "' may not publish " + std::string(topic) + ": " +
              (owner == owners.end() ? "it does not own device '" + device + "' (announce it in hello)"
                                     : "device '" + device + "' is owned by driver '" + owner->second + "'");
        return false;
    }
    if (owner == owners.end()) {
        return true; // a console's or tool's own topics (no driver has that device)
    }
    why = "may not publish " + std::string(topic) + ": device '" + device + "' is owned by driver '" + owner->second + "'";
    return false;
}

} // namespace ccoc::bus
