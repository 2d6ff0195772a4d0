#include "soap_client.hpp"

#include "http_post.hpp"

#include <ctime>

namespace ccoc::onvif {
namespace {

bool authFailure(const Error& e)
{
    return (e.kind == ErrorKind::Fault && e.subcode.find("NotAuthorized") != std::string::npos) ||
           (e.kind == ErrorKind::Http && e.httpStatus == 401);
}

} // namespace

SoapClient::SoapClient(std::string deviceUrl, Credentials credentials, std::chrono::milliseconds timeout)
    : deviceUrl_(std::move(deviceUrl)), credentials_(std::move(credentials)), timeout_(timeout)
{
    digestNeeded_ = credentials_.mode == AuthMode::HttpDigest;
}

Result<XmlDoc> SoapClient::send(const std::string& url, const std::string& action, const Element& body, bool token)
{
    std::optional<std::pair<std::string, UsernameToken>> header;
    if (token) {
        header.emplace(credentials_.user, makeUsernameToken(credentials_.password, std::chrono::system_clock::now() + offset_));
    }
    HttpPost post;
    post.url = url;
    post.body = buildEnvelope(body, header);
    post.contentType = "application/soap+xml; charset=utf-8; action=\"" + action + "\"";
    post.timeout = timeout_;
    if (digestNeeded_ && credentials_.mode != AuthMode::None) {
        post.httpDigest = true;
        post.user = credentials_.user;
        post.password = credentials_.password;
    }
    auto answer = httpPost(post);
    if (!answer) {
        return answer.error();
    }
    if (answer.value().status == 401 && answer.value().digestChallenge && credentials_.mode == AuthMode::Auto &&
        !digestNeeded_) {
        digestNeeded_ = true; // remembered: the camera wants HTTP digest from now on
        return send(url, action, body, token);
    }
    const std::string where = url + " (" + action.substr(action.rfind('/') + 1) + ")";
    auto doc = parseEnvelope(answer.value().body, where);
    if (!doc && doc.error().kind == ErrorKind::Fault) {
        Error e = doc.error();
        e.httpStatus = answer.value().status;
        return e;
    }
    if (answer.value().status != 200) {
        Error e = makeError(ErrorKind::Http, where + ": HTTP status " + std::to_string(answer.value().status) +
                                                 (answer.value().status == 401 ? " (not authorised)" : ""));
        e.httpStatus = answer.value().status;
        return e;
    }
    return doc;
}

Status SoapClient::readClock()
{
    auto doc = send(deviceUrl_, std::string(kDeviceNs) + "/GetSystemDateAndTime",
                    element(kDeviceNs, "GetSystemDateAndTime"), false);
    if (!doc) {
        return doc.error();
    }
    const xmlNode* utc = descendant(bodyPayload(*doc.value()), kSchemaNs, "UTCDateTime");
    const xmlNode* date = child(utc, kSchemaNs, "Date");
    const xmlNode* time = child(utc, kSchemaNs, "Time");
    if (date == nullptr || time == nullptr) {
        return makeError(ErrorKind::Malformed, deviceUrl_ + " (GetSystemDateAndTime): no tt:UTCDateTime Date and Time");
    }
    std::tm tm{};
    try {
        tm.tm_year = std::stoi(text(child(date, kSchemaNs, "Year"))) - 1900;
        tm.tm_mon = std::stoi(text(child(date, kSchemaNs, "Month"))) - 1;
        tm.tm_mday = std::stoi(text(child(date, kSchemaNs, "Day")));
        tm.tm_hour = std::stoi(text(child(time, kSchemaNs, "Hour")));
        tm.tm_min = std::stoi(text(child(time, kSchemaNs, "Minute")));
        tm.tm_sec = std::stoi(text(child(time, kSchemaNs, "Second")));
    } catch (const std::exception&) {
        return makeError(ErrorKind::Malformed, deviceUrl_ + " (GetSystemDateAndTime): UTCDateTime fields are not numbers");
    }
    const auto camera = std::chrono::system_clock::from_time_t(timegm(&tm));
    offset_ = std::chrono::duration_cast<std::chrono::seconds>(camera - std::chrono::system_clock::now());
    clockRead_ = true;
    ++clockReads_;
    return okStatus();
}

Result<XmlDoc> SoapClient::call(const std::string& url, const std::string& action, const Element& body)
{
    const bool token = credentials_.mode == AuthMode::UsernameToken || credentials_.mode == AuthMode::Auto;
    if (token && !clockRead_) {
        if (auto clock = readClock(); !clock) {
            return clock.error();
        }
    }
    auto doc = send(url, action, body, token);
    if (!doc && token && authFailure(doc.error())) {
        // Most often the camera's clock moved (or was never what we read): read it again, retry once.
        if (auto clock = readClock(); !clock) {
            return doc;
        }
        return send(url, action, body, token);
    }
    return doc;
}

} // namespace ccoc::onvif
