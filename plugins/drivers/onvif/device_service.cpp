// The device and media services of Camera.
#include "camera.hpp"

namespace ccoc::onvif {
namespace {

std::string origin(const std::string& url) // "http://host:port"
{
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) {
        return {};
    }
    const auto path = url.find('/', scheme + 3);
    return url.substr(0, path);
}

} // namespace

std::string rewriteHost(const std::string& xaddr, const std::string& reached)
{
    const std::string theirs = origin(xaddr);
    const std::string ours = origin(reached);
    if (theirs.empty() || ours.empty() || theirs == ours) {
        return xaddr;
    }
    return ours + xaddr.substr(theirs.size());
}

Camera::Camera(std::string deviceUrl, Credentials credentials, std::chrono::milliseconds timeout)
    : soap_(std::move(deviceUrl), std::move(credentials), timeout)
{
}

Result<DeviceInformation> Camera::deviceInformation()
{
    auto doc = soap_.call(soap_.deviceUrl(), std::string(kDeviceNs) + "/GetDeviceInformation",
                          element(kDeviceNs, "GetDeviceInformation"));
    if (!doc) {
        return doc.error();
    }
    const xmlNode* r = bodyPayload(*doc.value());
    DeviceInformation info;
    info.manufacturer = text(child(r, kDeviceNs, "Manufacturer"));
    info.model = text(child(r, kDeviceNs, "Model"));
    info.firmwareVersion = text(child(r, kDeviceNs, "FirmwareVersion"));
    info.serialNumber = text(child(r, kDeviceNs, "SerialNumber"));
    info.hardwareId = text(child(r, kDeviceNs, "HardwareId"));
    return info;
}

Result<ServiceAddresses> Camera::discoverServices()
{
    ServiceAddresses out;
    Element request = element(kDeviceNs, "GetServices");
    request.add(element(kDeviceNs, "IncludeCapability", "false"));
    auto doc = soap_.call(soap_.deviceUrl(), std::string(kDeviceNs) + "/GetServices", request);
    if (doc) {
        for (const xmlNode* s : children(bodyPayload(*doc.value()), kDeviceNs, "Service")) {
            const std::string ns = text(child(s, kDeviceNs, "Namespace"));
            const std::string addr = rewriteHost(text(child(s, kDeviceNs, "XAddr")), soap_.deviceUrl());
            if (ns == kMediaNs) {
                out.media = addr;
            } else if (ns == "http://www.onvif.org/ver20/media/wsdl") {
                out.media2 = addr;
            } else if (ns == kPtzNs) {
                out.ptz = addr;
            }
        }
    } else if (doc.error().kind == ErrorKind::Fault || doc.error().kind == ErrorKind::Http) {
        // Cameras before ONVIF 2.0 have no GetServices: GetCapabilities has the same addresses.
        Element caps = element(kDeviceNs, "GetCapabilities");
        caps.add(element(kDeviceNs, "Category", "All"));
        auto old = soap_.call(soap_.deviceUrl(), std::string(kDeviceNs) + "/GetCapabilities", caps);
        if (!old) {
            return old.error();
        }
        const xmlNode* c = child(bodyPayload(*old.value()), kDeviceNs, "Capabilities");
        out.media = text(child(child(c, kSchemaNs, "Media"), kSchemaNs, "XAddr"));
        out.ptz = text(child(child(c, kSchemaNs, "PTZ"), kSchemaNs, "XAddr"));
        out.media = out.media.empty() ? "" : rewriteHost(out.media, soap_.deviceUrl());
        out.ptz = out.ptz.empty() ? "" : rewriteHost(out.ptz, soap_.deviceUrl());
    } else {
        return doc.error();
    }
    services_ = out;
    return out;
}

Result<std::vector<Profile>> Camera::profiles()
{
    if (!services_) {
        if (auto s = discoverServices(); !s) {
            return s.error();
        }
    }
    if (services_->media.empty()) {
        return makeError(ErrorKind::InvalidArgument, soap_.deviceUrl() + ": the camera reports no media service");
    }
    auto doc = soap_.call(services_->media, std::string(kMediaNs) + "/GetProfiles", element(kMediaNs, "GetProfiles"));
    if (!doc) {
        return doc.error();
    }
    std::vector<Profile> out;
    for (const xmlNode* p : children(bodyPayload(*doc.value()), kMediaNs, "Profiles")) {
        Profile profile;
        profile.token = attribute(p, "token");
        profile.name = text(child(p, kSchemaNs, "Name"));
        profile.ptzConfigurationToken = attribute(child(p, kSchemaNs, "PTZConfiguration"), "token");
        const xmlNode* res = child(child(p, kSchemaNs, "VideoEncoderConfiguration"), kSchemaNs, "Resolution");
        profile.width = std::atoi(text(child(res, kSchemaNs, "Width")).c_str());
        profile.height = std::atoi(text(child(res, kSchemaNs, "Height")).c_str());
        out.push_back(profile);
    }
    return out;
}

Result<std::string> Camera::streamUri(const std::string& profileToken)
{
    if (!services_) {
        if (auto s = discoverServices(); !s) {
            return s.error();
        }
    }
    Element request = element(kMediaNs, "GetStreamUri");
    Element& setup = request.add(element(kMediaNs, "StreamSetup"));
    setup.add(element(kSchemaNs, "Stream", "RTP-Unicast"));
    setup.add(element(kSchemaNs, "Transport")).add(element(kSchemaNs, "Protocol", "RTSP"));
    request.add(element(kMediaNs, "ProfileToken", profileToken));
    auto doc = soap_.call(services_->media, std::string(kMediaNs) + "/GetStreamUri", request);
    if (!doc) {
        return doc.error();
    }
    std::string uri = text(descendant(bodyPayload(*doc.value()), kSchemaNs, "Uri"));
    if (uri.empty()) {
        return makeError(ErrorKind::Malformed, services_->media + " (GetStreamUri): no tt:Uri in the answer");
    }
    return uri;
}

} // namespace ccoc::onvif
