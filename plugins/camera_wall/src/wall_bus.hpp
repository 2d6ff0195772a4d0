// wall_bus.hpp: a camera wall on the bus. The panel is a peer of its own with the device
// "wall.<panel-id>": it publishes the wall's layout and tiles as retained state
// ("wall.<panel-id>/state"), camera offline/online as events ("wall.<panel-id>/camera/<camera-id>"),
// and serves the commands wall.set_tile, wall.set_layout, wall.start_tour and wall.stop_tour, so
// another desk, `ccoc-bus call` or an alarm rule can put a camera on a given monitor.
//
// Why its own client rather than the host's "ccoc.bus/1": the host's client is a console that owns
// no device, and the broker routes a command only to the peer whose hello listed the device. The
// endpoints are the host's: the site's [bus], overridden by $CCOC_BUS_FRONTEND / $CCOC_BUS_PUBLISHER.
// Not yet on a CURVE bus: the wall would need its own key in the allow-list (logged, no client).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "camera_catalog.hpp"

namespace ccoc::bus {
class Client;
}

namespace ccoc::wall {

/// The answer the panel gives a command.
struct WallCommandResult {
    bool ok = false;
    std::string message;  ///< why not, when !ok
};

/// [main thread] Handles one command: action ("wall.set_tile"...) and its JSON arguments.
using WallCommandHandler = std::function<WallCommandResult(const std::string& action, const std::string& argsJson)>;

/// Thread: main thread (callbacks are queued by the client and run in pump()).
class WallBus {
public:
    /// Starts the client for device "wall.<panelId>". Failures are logged through `log` and leave
    /// the wall working without the bus.
    WallBus(const std::string& panelId, const BusEndpoints& endpoints, WallCommandHandler handler,
            std::function<void(const std::string&)> log);
    ~WallBus();
    WallBus(const WallBus&) = delete;
    WallBus& operator=(const WallBus&) = delete;
    WallBus(WallBus&&) = delete;
    WallBus& operator=(WallBus&&) = delete;

    /// Runs queued command callbacks. Call from the panel's tick.
    void pump();
    /// Publishes the wall's retained state (JSON object).
    void publishWallState(const std::string& json);
    /// Publishes "camera went offline / came back" for a camera shown on this wall.
    void publishCameraEvent(const std::string& cameraId, const std::string& json);
    [[nodiscard]] const std::string& device() const { return device_; }

private:
    std::string device_;
    WallCommandHandler handler_;
    std::function<void(const std::string&)> log_;
    std::unique_ptr<bus::Client> client_;
};

}  // namespace ccoc::wall
