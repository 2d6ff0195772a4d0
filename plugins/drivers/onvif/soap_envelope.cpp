#include "soap_envelope.hpp"

#include <libxml/parser.h>

#include <cstring>

namespace ccoc::onvif {
namespace {

const xmlChar* x(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }
const xmlChar* x(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

xmlNs* namespaceFor(xmlNode* node, const std::string& uri, const std::string& prefix)
{
    if (xmlNs* found = xmlSearchNsByHref(node->doc, node, x(uri))) {
        return found;
    }
    return xmlNewNs(node, x(uri), x(prefix));
}

xmlNode* appendElement(xmlNode* parent, const std::string& uri, const std::string& prefix, const std::string& name,
                       const std::string& content)
{
    xmlNode* node = xmlNewChild(parent, nullptr, x(name), nullptr);
    xmlSetNs(node, namespaceFor(node, uri, prefix));
    if (!content.empty()) {
        xmlNodeAddContentLen(node, x(content), static_cast<int>(content.size())); // escaped on output
    }
    return node;
}

void write(xmlNode* parent, const Element& e)
{
    xmlNode* node = appendElement(parent, e.ns, e.prefix, e.name, e.text);
    for (const auto& [name, value] : e.attributes) {
        xmlNewProp(node, x(name), x(value));
    }
    for (const Element& c : e.children) {
        write(node, c);
    }
}

bool named(const xmlNode* node, const char* ns, const char* name)
{
    if (node->type != XML_ELEMENT_NODE || std::strcmp(reinterpret_cast<const char*>(node->name), name) != 0) {
        return false;
    }
    if (ns == nullptr) {
        return true;
    }
    return node->ns != nullptr && std::strcmp(reinterpret_cast<const char*>(node->ns->href), ns) == 0;
}

} // namespace

Element element(const std::string& ns, const std::string& name, std::string content)
{
    static const std::pair<const char*, const char*> prefixes[] = {
        {kDeviceNs, "tds"}, {kMediaNs, "trt"}, {kPtzNs, "tptz"}, {kSchemaNs, "tt"}};
    std::string prefix = "ns";
    for (const auto& [uri, p] : prefixes) {
        if (ns == uri) {
            prefix = p;
        }
    }
    Element e;
    e.ns = ns;
    e.prefix = prefix;
    e.name = name;
    e.text = std::move(content);
    return e;
}

std::string buildEnvelope(const Element& body, const std::optional<std::pair<std::string, UsernameToken>>& token)
{
    xmlDoc* doc = xmlNewDoc(x("1.0"));
    xmlNode* root = xmlNewNode(nullptr, x("Envelope"));
    xmlDocSetRootElement(doc, root);
    xmlSetNs(root, xmlNewNs(root, x(kSoapEnv), x("s")));
    if (token) {
        xmlNode* header = appendElement(root, kSoapEnv, "s", "Header", {});
        xmlNode* security = appendElement(header, kWsse, "wsse", "Security", {});
        xmlNode* ut = appendElement(security, kWsse, "wsse", "UsernameToken", {});
        appendElement(ut, kWsse, "wsse", "Username", token->first);
        xmlNode* password = appendElement(ut, kWsse, "wsse", "Password", token->second.digest);
        xmlNewProp(password, x("Type"),
                   x("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"));
        xmlNode* nonce = appendElement(ut, kWsse, "wsse", "Nonce", token->second.nonceBase64);
        xmlNewProp(nonce, x("EncodingType"),
                   x("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"));
        appendElement(ut, kWsu, "wsu", "Created", token->second.created);
    }
    xmlNode* bodyNode = appendElement(root, kSoapEnv, "s", "Body", {});
    write(bodyNode, body);
    xmlChar* out = nullptr;
    int size = 0;
    xmlDocDumpMemoryEnc(doc, &out, &size, "UTF-8");
    std::string text(reinterpret_cast<const char*>(out), static_cast<size_t>(size));
    xmlFree(out);
    xmlFreeDoc(doc);
    return text;
}

Result<XmlDoc> parseEnvelope(const std::string& body, const std::string& where)
{
    XmlDoc doc(xmlReadMemory(body.data(), static_cast<int>(body.size()), nullptr, "UTF-8",
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    if (!doc) {
        const xmlError* err = xmlGetLastError();
        return makeError(ErrorKind::Malformed, where + ": the answer is not well-formed XML" +
                                                   (err != nullptr ? " (line " + std::to_string(err->line) + ": " +
                                                                         std::string(err->message ? err->message : "") + ")"
                                                                   : std::string()));
    }
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (root == nullptr || !named(root, kSoapEnv, "Envelope")) {
        return makeError(ErrorKind::Malformed, where + ": the answer is XML but not a SOAP 1.2 Envelope");
    }
    const xmlNode* soapBody = child(root, kSoapEnv, "Body");
    if (soapBody == nullptr) {
        return makeError(ErrorKind::Malformed, where + ": the SOAP envelope has no Body");
    }
    if (const xmlNode* fault = child(soapBody, kSoapEnv, "Fault")) {
        Error error;
        error.kind = ErrorKind::Fault;
        const xmlNode* code = child(fault, kSoapEnv, "Code");
        error.code = text(child(code, kSoapEnv, "Value"));
        // The most specific subcode is the deepest one (ter:InvalidArgVal inside ter:InvalidArgs).
        for (const xmlNode* sub = child(code, kSoapEnv, "Subcode"); sub != nullptr; sub = child(sub, kSoapEnv, "Subcode")) {
            error.subcode = text(child(sub, kSoapEnv, "Value"));
        }
        error.reason = text(child(child(fault, kSoapEnv, "Reason"), kSoapEnv, "Text"));
        error.message = where + ": SOAP fault " + error.code + (error.subcode.empty() ? "" : " / " + error.subcode) +
                        (error.reason.empty() ? "" : ": " + error.reason);
        return error;
    }
    return doc;
}

const xmlNode* bodyPayload(const xmlDoc& doc)
{
    const xmlNode* body = child(xmlDocGetRootElement(const_cast<xmlDoc*>(&doc)), kSoapEnv, "Body");
    for (const xmlNode* n = body != nullptr ? body->children : nullptr; n != nullptr; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            return n;
        }
    }
    return nullptr;
}

const xmlNode* child(const xmlNode* parent, const char* ns, const char* name)
{
    for (const xmlNode* n = parent != nullptr ? parent->children : nullptr; n != nullptr; n = n->next) {
        if (named(n, ns, name)) {
            return n;
        }
    }
    return nullptr;
}

std::vector<const xmlNode*> children(const xmlNode* parent, const char* ns, const char* name)
{
    std::vector<const xmlNode*> out;
    for (const xmlNode* n = parent != nullptr ? parent->children : nullptr; n != nullptr; n = n->next) {
        if (named(n, ns, name)) {
            out.push_back(n);
        }
    }
    return out;
}

const xmlNode* descendant(const xmlNode* parent, const char* ns, const char* name)
{
    for (const xmlNode* n = parent != nullptr ? parent->children : nullptr; n != nullptr; n = n->next) {
        if (named(n, ns, name)) {
            return n;
        }
        if (const xmlNode* found = descendant(n, ns, name)) {
            return found;
        }
    }
    return nullptr;
}

std::string text(const xmlNode* node)
{
    if (node == nullptr) {
        return {};
    }
    xmlChar* content = xmlNodeGetContent(node);
    std::string out = content != nullptr ? reinterpret_cast<const char*>(content) : "";
    xmlFree(content);
    const auto first = out.find_first_not_of(" \t\r\n");
    const auto last = out.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

std::string attribute(const xmlNode* node, const char* name)
{
    if (node == nullptr) {
        return {};
    }
    xmlChar* value = xmlGetProp(node, x(name));
    std::string out = value != nullptr ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return out;
}

} // namespace ccoc::onvif
