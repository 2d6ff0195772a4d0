// The PTZ service of Camera (ONVIF ver20 PTZ).
#include "camera.hpp"

#include <cstdio>

namespace ccoc::onvif {
namespace {

std::string number(double v)
{
    char out[32];
    std::snprintf(out, sizeof out, "%.6g", v);
    return out;
}

// A tt:PTZVector (or PTZSpeed) named `name` in `ns`: PanTilt x/y and Zoom x as attributes.
Element vectorElement(const char* ns, const char* name, const PtzVector& v)
{
    Element e = element(ns, name);
    if (v.pan || v.tilt) {
        Element& pt = e.add(element(kSchemaNs, "PanTilt"));
        pt.attributes = {{"x", number(v.pan.value_or(0))}, {"y", number(v.tilt.value_or(0))}};
    }
    if (v.zoom) {
        e.add(element(kSchemaNs, "Zoom")).attributes = {{"x", number(*v.zoom)}};
    }
    return e;
}

Element withProfile(const char* name, const std::string& profileToken)
{
    Element e = element(kPtzNs, name);
    e.add(element(kPtzNs, "ProfileToken", profileToken));
    return e;
}

Range rangeOf(const xmlNode* r)
{
    return Range{std::atof(text(child(r, kSchemaNs, "Min")).c_str()), std::atof(text(child(r, kSchemaNs, "Max")).c_str())};
}

Status done(Result<XmlDoc> doc)
{
    if (!doc) {
        return doc.error();
    }
    return okStatus();
}

} // namespace

Result<XmlDoc> Camera::ptzCall(const std::string& operation, const Element& body)
{
    if (!services_) {
        if (auto s = discoverServices(); !s) {
            return s.error();
        }
    }
    if (services_->ptz.empty()) {
        return makeError(ErrorKind::InvalidArgument, soap_.deviceUrl() + ": the camera reports no PTZ service");
    }
    return soap_.call(services_->ptz, std::string(kPtzNs) + "/" + operation, body);
}

Result<PtzOptions> Camera::ptzOptions(const std::string& configurationToken)
{
    Element request = element(kPtzNs, "GetConfigurationOptions");
    request.add(element(kPtzNs, "ConfigurationToken", configurationToken));
    auto doc = ptzCall("GetConfigurationOptions", request);
    if (!doc) {
        return doc.error();
    }
    const xmlNode* o = child(bodyPayload(*doc.value()), kPtzNs, "PTZConfigurationOptions");
    const xmlNode* spaces = child(o, kSchemaNs, "Spaces");
    PtzOptions out;
    out.continuousPanTilt = child(spaces, kSchemaNs, "ContinuousPanTiltVelocitySpace") != nullptr;
    out.continuousZoom = child(spaces, kSchemaNs, "ContinuousZoomVelocitySpace") != nullptr;
    out.relativePanTilt = child(spaces, kSchemaNs, "RelativePanTiltTranslationSpace") != nullptr;
    out.relativeZoom = child(spaces, kSchemaNs, "RelativeZoomTranslationSpace") != nullptr;
    const xmlNode* absPt = child(spaces, kSchemaNs, "AbsolutePanTiltPositionSpace");
    const xmlNode* absZ = child(spaces, kSchemaNs, "AbsoluteZoomPositionSpace");
    out.absolutePanTilt = absPt != nullptr;
    out.absoluteZoom = absZ != nullptr;
    out.panRange = rangeOf(child(absPt, kSchemaNs, "XRange"));
    out.tiltRange = rangeOf(child(absPt, kSchemaNs, "YRange"));
    out.zoomRange = rangeOf(child(absZ, kSchemaNs, "XRange"));
    if (const xmlNode* t = child(o, kSchemaNs, "PTZTimeout")) {
        // xsd:duration "PT1S" .. "PT60S"; only the seconds form is read, as cameras send it.
        auto seconds = [](const std::string& d) { return d.size() > 3 ? std::atof(d.c_str() + 2) : 0.0; };
        out.timeoutSeconds = Range{seconds(text(child(t, kSchemaNs, "Min"))), seconds(text(child(t, kSchemaNs, "Max")))};
    }
    return out;
}

Result<PtzStatus> Camera::ptzStatus(const std::string& profileToken)
{
    auto doc = ptzCall("GetStatus", withProfile("GetStatus", profileToken));
    if (!doc) {
        return doc.error();
    }
    const xmlNode* s = child(bodyPayload(*doc.value()), kPtzNs, "PTZStatus");
    if (s == nullptr) {
        return makeError(ErrorKind::Malformed, "GetStatus: no tptz:PTZStatus in the answer");
    }
    PtzStatus out;
    const xmlNode* pos = child(s, kSchemaNs, "Position");
    if (const xmlNode* pt = child(pos, kSchemaNs, "PanTilt")) {
        out.position.pan = std::atof(attribute(pt, "x").c_str());
        out.position.tilt = std::atof(attribute(pt, "y").c_str());
    }
    if (const xmlNode* z = child(pos, kSchemaNs, "Zoom")) {
        out.position.zoom = std::atof(attribute(z, "x").c_str());
    }
    const xmlNode* move = child(s, kSchemaNs, "MoveStatus");
    out.panTiltMove = text(child(move, kSchemaNs, "PanTilt"));
    out.zoomMove = text(child(move, kSchemaNs, "Zoom"));
    out.utcTime = text(child(s, kSchemaNs, "UtcTime"));
    return out;
}

Status Camera::continuousMove(const std::string& profileToken, const PtzVector& velocity, int timeoutSeconds)
{
    if (timeoutSeconds <= 0) {
        return makeError(ErrorKind::InvalidArgument, "ContinuousMove: the timeout must be at least 1 s, got " +
                                                         std::to_string(timeoutSeconds));
    }
    Element request = withProfile("ContinuousMove", profileToken);
    request.add(vectorElement(kPtzNs, "Velocity", velocity));
    request.add(element(kPtzNs, "Timeout", "PT" + std::to_string(timeoutSeconds) + "S"));
    return done(ptzCall("ContinuousMove", request));
}

Status Camera::stop(const std::string& profileToken, bool panTilt, bool zoom)
{
    Element request = withProfile("Stop", profileToken);
    request.add(element(kPtzNs, "PanTilt", panTilt ? "true" : "false"));
    request.add(element(kPtzNs, "Zoom", zoom ? "true" : "false"));
    return done(ptzCall("Stop", request));
}

Status Camera::relativeMove(const std::string& profileToken, const PtzVector& translation)
{
    Element request = withProfile("RelativeMove", profileToken);
    request.add(vectorElement(kPtzNs, "Translation", translation));
    return done(ptzCall("RelativeMove", request));
}

Status Camera::absoluteMove(const std::string& profileToken, const PtzVector& position)
{
    Element request = withProfile("AbsoluteMove", profileToken);
    request.add(vectorElement(kPtzNs, "Position", position));
    return done(ptzCall("AbsoluteMove", request));
}

Result<std::vector<Preset>> Camera::presets(const std::string& profileToken)
{
    auto doc = ptzCall("GetPresets", withProfile("GetPresets", profileToken));
    if (!doc) {
        return doc.error();
    }
    std::vector<Preset> out;
    for (const xmlNode* p : children(bodyPayload(*doc.value()), kPtzNs, "Preset")) {
        out.push_back(Preset{attribute(p, "token"), text(child(p, kSchemaNs, "Name"))});
    }
    return out;
}

Status Camera::gotoPreset(const std::string& profileToken, const std::string& presetToken)
{
    Element request = withProfile("GotoPreset", profileToken);
    request.add(element(kPtzNs, "PresetToken", presetToken));
    return done(ptzCall("GotoPreset", request));
}

Result<std::string> Camera::setPreset(const std::string& profileToken, const std::string& name)
{
    Element request = withProfile("SetPreset", profileToken);
    request.add(element(kPtzNs, "PresetName", name));
    auto doc = ptzCall("SetPreset", request);
    if (!doc) {
        return doc.error();
    }
    return text(child(bodyPayload(*doc.value()), kPtzNs, "PresetToken"));
}

Status Camera::removePreset(const std::string& profileToken, const std::string& presetToken)
{
    Element request = withProfile("RemovePreset", profileToken);
    request.add(element(kPtzNs, "PresetToken", presetToken));
    return done(ptzCall("RemovePreset", request));
}

Status Camera::gotoHome(const std::string& profileToken)
{
    return done(ptzCall("GotoHomePosition", withProfile("GotoHomePosition", profileToken)));
}

} // namespace ccoc::onvif
