#include "camera.hpp"
#include "soap_envelope.hpp"
#include "username_token.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace ccoc::onvif;

TEST_CASE("onvif/password_digest_published_vector: the ONVIF Application Programmer's Guide example")
{
    // ONVIF Application Programmer's Guide (version 1.0, May 2011), section 6.1.1.3 "User token
    // profile": nonce LKqI6G/AikKCQrN0zqZFlg==, Created 2010-09-16T07:50:45Z, password
    // userpassword give the PasswordDigest tuOSpGlFlIXsozq4HFNeeGeFLEI= (the formula of the OASIS
    // WSS UsernameToken Profile 1.0, section 3.1: Base64(SHA-1(nonce + created + password))).
    CHECK(passwordDigest("LKqI6G/AikKCQrN0zqZFlg==", "2010-09-16T07:50:45Z", "userpassword") ==
          "tuOSpGlFlIXsozq4HFNeeGeFLEI=");
    CHECK(passwordDigest("not base64!", "2010-09-16T07:50:45Z", "x").empty());
}

TEST_CASE("onvif/username_token_fresh_nonce: each token has its own 16-byte nonce and the camera's time")
{
    const auto t = std::chrono::system_clock::from_time_t(1284623445); // 2010-09-16T07:50:45Z
    const UsernameToken a = makeUsernameToken("pw", t);
    const UsernameToken b = makeUsernameToken("pw", t);
    CHECK(a.created == "2010-09-16T07:50:45Z");
    CHECK(a.nonceBase64.size() == 24); // 16 bytes in Base64
    CHECK(a.nonceBase64 != b.nonceBase64);
    CHECK(a.digest == passwordDigest(a.nonceBase64, a.created, "pw"));
}

TEST_CASE("onvif/envelope_escapes_text: user names and values with markup are escaped, not pasted")
{
    Element body = element(kPtzNs, "SetPreset");
    body.add(element(kPtzNs, "PresetName", "gate </tptz:PresetName><evil/> & \"door\""));
    UsernameToken token{"AAAAAAAAAAAAAAAAAAAAAA==", "2010-09-16T07:50:45Z", "d"};
    const std::string xml = buildEnvelope(body, std::make_pair(std::string("ad<min>&"), token));
    auto doc = parseEnvelope(xml, "test");
    REQUIRE(doc.ok());
    const xmlNode* payload = bodyPayload(*doc.value());
    REQUIRE(payload != nullptr);
    CHECK(text(child(payload, kPtzNs, "PresetName")) == "gate </tptz:PresetName><evil/> & \"door\"");
    CHECK(descendant(payload, nullptr, "evil") == nullptr);
    CHECK(text(descendant(xmlDocGetRootElement(doc.value().get()), kWsse, "Username")) == "ad<min>&");
}

TEST_CASE("onvif/fault_decoded: Code, the deepest Subcode and Reason become words")
{
    const std::string xml =
        R"(<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">)"
        R"(<s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:InvalidArgs</s:Value>)"
        R"(<s:Subcode><s:Value>ter:InvalidArgVal</s:Value></s:Subcode></s:Subcode></s:Code>)"
        R"(<s:Reason><s:Text xml:lang="en">Argument out of range</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>)";
    auto doc = parseEnvelope(xml, "http://cam/onvif/ptz (AbsoluteMove)");
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.error().kind == ErrorKind::Fault);
    CHECK(doc.error().code == "s:Sender");
    CHECK(doc.error().subcode == "ter:InvalidArgVal");
    CHECK(doc.error().reason == "Argument out of range");
    CHECK(doc.error().message ==
          "http://cam/onvif/ptz (AbsoluteMove): SOAP fault s:Sender / ter:InvalidArgVal: Argument out of range");
    CHECK(parseEnvelope("<a><b></a>", "x").error().kind == ErrorKind::Malformed);
    CHECK(parseEnvelope("<a/>", "x").error().message == "x: the answer is XML but not a SOAP 1.2 Envelope");
}

TEST_CASE("onvif/xaddr_host_rewrite: an address a camera behind NAT reports is rewritten to the host reached")
{
    CHECK(rewriteHost("http://192.168.1.64/onvif/ptz", "http://203.0.113.5:8080/onvif/device_service") ==
          "http://203.0.113.5:8080/onvif/ptz");
    CHECK(rewriteHost("http://cam:80/onvif/ptz", "http://cam:80/onvif/device_service") == "http://cam:80/onvif/ptz");
}
