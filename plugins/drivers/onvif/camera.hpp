// One ONVIF camera: the device, media and PTZ services, their addresses taken from the camera's
// own answers (GetServices, or GetCapabilities on old cameras), never from fixed paths.
#pragma once

#include "soap_client.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ccoc::onvif {

struct DeviceInformation {
    std::string manufacturer, model, firmwareVersion, serialNumber, hardwareId;
};

struct ServiceAddresses {
    std::string media;  // ver10 media, "" if none
    std::string media2; // ver20 media, "" if none
    std::string ptz;    // "" if the camera has no PTZ service
};

struct Profile {
    std::string token, name;
    std::string ptzConfigurationToken; // "" without PTZ
    int width = 0, height = 0;         // video encoder resolution, 0 if none
};

struct Range {
    double min = 0, max = 0;
};

// What a PTZ configuration allows (GetConfigurationOptions): the generic spaces' ranges.
struct PtzOptions {
    bool continuousPanTilt = false, continuousZoom = false;
    bool relativePanTilt = false, relativeZoom = false;
    bool absolutePanTilt = false, absoluteZoom = false;
    Range panRange, tiltRange, zoomRange; // of the absolute spaces
    std::optional<Range> timeoutSeconds;  // PTZTimeout
};

struct PtzVector {
    std::optional<double> pan, tilt, zoom; // a missing axis is not sent (not moved)
};

struct PtzStatus {
    PtzVector position;
    std::string panTiltMove, zoomMove; // "IDLE", "MOVING", "UNKNOWN"
    std::string utcTime;
};

struct Preset {
    std::string token, name;
};

// Thread: one at a time per Camera.
class Camera {
public:
    Camera(std::string deviceUrl, Credentials credentials, std::chrono::milliseconds timeout);

    Result<DeviceInformation> deviceInformation();
    // GetServices, falling back to GetCapabilities; hosts the camera reports that differ from the
    // one we reached are replaced by it (cameras behind NAT report their private address).
    Result<ServiceAddresses> discoverServices();
    Result<std::vector<Profile>> profiles();
    Result<std::string> streamUri(const std::string& profileToken); // RTSP over TCP

    Result<PtzOptions> ptzOptions(const std::string& configurationToken);
    Result<PtzStatus> ptzStatus(const std::string& profileToken);
    Status continuousMove(const std::string& profileToken, const PtzVector& velocity, int timeoutSeconds);
    Status stop(const std::string& profileToken, bool panTilt, bool zoom);
    Status relativeMove(const std::string& profileToken, const PtzVector& translation);
    Status absoluteMove(const std::string& profileToken, const PtzVector& position);
    Result<std::vector<Preset>> presets(const std::string& profileToken);
    Status gotoPreset(const std::string& profileToken, const std::string& presetToken);
    Result<std::string> setPreset(const std::string& profileToken, const std::string& name); // the new token
    Status removePreset(const std::string& profileToken, const std::string& presetToken);
    Status gotoHome(const std::string& profileToken);

    SoapClient& soap() noexcept { return soap_; }

private:
    Result<XmlDoc> ptzCall(const std::string& operation, const Element& body);

    SoapClient soap_;
    std::optional<ServiceAddresses> services_;
};

// `xaddr` with its scheme-host-port replaced by `reached`'s when they differ. Thread: any.
std::string rewriteHost(const std::string& xaddr, const std::string& reached);

} // namespace ccoc::onvif
