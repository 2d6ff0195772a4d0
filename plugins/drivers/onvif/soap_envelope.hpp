// SOAP 1.2 envelopes: a request body described as a small element tree and written by libxml2 (so
// every text and attribute is escaped by the library, never pasted), and answers parsed with their
// namespaces, faults decoded into Code, Subcode and Reason.
#pragma once

#include "onvif_result.hpp"
#include "username_token.hpp"

#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ccoc::onvif {

inline constexpr const char* kSoapEnv = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr const char* kWsse =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
inline constexpr const char* kWsu =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
inline constexpr const char* kDeviceNs = "http://www.onvif.org/ver10/device/wsdl";
inline constexpr const char* kMediaNs = "http://www.onvif.org/ver10/media/wsdl";
inline constexpr const char* kPtzNs = "http://www.onvif.org/ver20/ptz/wsdl";
inline constexpr const char* kSchemaNs = "http://www.onvif.org/ver10/schema";

// One element of a request body. Thread: any (a plain value).
struct Element {
    std::string ns;     // namespace URI
    std::string prefix; // the prefix it is written with
    std::string name;
    std::string text;
    std::vector<std::pair<std::string, std::string>> attributes; // unqualified
    std::vector<Element> children;

    Element& add(Element child)
    {
        children.push_back(std::move(child));
        return children.back();
    }
};

Element element(const std::string& ns, const std::string& name, std::string text = {});

// The envelope for `body`, with a wsse:Security header when `token` is given. Thread: any.
std::string buildEnvelope(const Element& body, const std::optional<std::pair<std::string, UsernameToken>>& token);

// A parsed answer; owns the libxml2 document. Thread: one at a time.
struct XmlDocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

// Parses an answer (no network access, no entity loading). A SOAP fault becomes an Error of kind
// Fault; text that is not an envelope, Malformed. On success the document whose Body is checked
// to exist. Thread: any.
Result<XmlDoc> parseEnvelope(const std::string& text, const std::string& where);

// The first child element of the Body.
const xmlNode* bodyPayload(const xmlDoc& doc);

// Namespace-aware tree walk: the first child (or all children) named `name` in namespace `ns`;
// ns nullptr matches any namespace.
const xmlNode* child(const xmlNode* parent, const char* ns, const char* name);
std::vector<const xmlNode*> children(const xmlNode* parent, const char* ns, const char* name);
// The first descendant, depth first.
const xmlNode* descendant(const xmlNode* parent, const char* ns, const char* name);
std::string text(const xmlNode* node);
std::string attribute(const xmlNode* node, const char* name);

} // namespace ccoc::onvif
