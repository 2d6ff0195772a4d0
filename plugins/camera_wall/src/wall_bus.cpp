// wall_bus.cpp: the wall's bus peer: retained wall state, camera events, wall commands.
#include "wall_bus.hpp"

#include "ccoc/bus/client.hpp"
#include "ccoc/bus/site_config.hpp"

namespace ccoc::wall {

WallBus::WallBus(const std::string& panelId, const BusEndpoints& endpoints, WallCommandHandler handler,
                 std::function<void(const std::string&)> log)
    : device_("wall." + panelId), handler_(std::move(handler)), log_(std::move(log))
{
    // With CURVE the wall proves its source id with its own [[bus.allow]] key (least privilege:
    // only its own state and events, only its own device).
    bus::ClientConfig config;
    const bus::PeerNeeds needs{{"state/" + device_ + "/", "event/" + device_ + "/"}, {device_}};
    if (bus::Status keys = bus::peerClientConfigFromSite(endpoints.site, device_, config, needs); !keys.ok()) {
        log_("camera wall: '" + device_ + "' stays off the bus (push to wall does not work): " + keys.error);
        return;
    }
    config.role = bus::Role::Driver;
    config.devices = {device_};
    config.frontendEndpoint = endpoints.frontend;
    config.publisherEndpoint = endpoints.publisher;
    config.callbacks = bus::ClientConfig::Callbacks::Queued;
    client_ = std::make_unique<bus::Client>(config);
    client_->serveCommands([this](const bus::IncomingCommand& command, bus::Responder responder) {
        WallCommandResult result;
        if (handler_) {
            result = handler_(command.action, command.argsJson);
        } else {
            result.message = "the wall is not ready";
        }
        responder.answer({result.ok ? bus::CommandStatus::Ok : bus::CommandStatus::Rejected, result.message, "null"});
    });
    if (bus::Status started = client_->start(); !started.ok()) {
        log_("camera wall: bus client for '" + device_ + "' did not start: " + started.error);
        client_.reset();
    }
}

WallBus::~WallBus()
{
    if (client_) {
        client_->stop();
    }
}

void WallBus::pump()
{
    if (client_) {
        client_->dispatch(64);
    }
}

void WallBus::publishWallState(const std::string& json)
{
    if (client_) {
        if (auto status = client_->publishState(device_ + "/state", json); !status.ok()) {
            log_("camera wall: wall state not published: " + status.error);
        }
    }
}

void WallBus::publishCameraEvent(const std::string& cameraId, const std::string& json)
{
    if (client_) {
        if (auto status = client_->publishEvent(device_ + "/camera/" + cameraId, json); !status.ok()) {
            log_("camera wall: camera event not published: " + status.error);
        }
    }
}

}  // namespace ccoc::wall
