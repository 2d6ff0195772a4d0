#!/usr/bin/env python3
"""A small ONVIF camera for tests: device, media and PTZ services over HTTP, holding PTZ state.

It checks every request independently of the client under test: the envelope's structure with lxml
(SOAP 1.2 Envelope/Header/Body, the WS-Security UsernameToken elements, attributes and namespaces of
the OASIS UsernameToken Profile 1.0), the Content-Type with its action parameter, and the
PasswordDigest recomputed with hashlib. Prints "port N" once it listens.

Options: --user U --password P, --clock-offset SECONDS (the camera's clock runs ahead),
--no-continuous (options without continuous spaces), --mode normal|malformed|http500|hang|
no-getservices|nat, --fault-action NAME (answer ter:ActionNotSupported for that operation), --http-digest
(require HTTP digest instead of a UsernameToken).
"""
import argparse, base64, datetime, hashlib, http.server, socketserver, sys, threading, time
from xml.sax.saxutils import escape
from lxml import etree

S = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DIGEST_TYPE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
B64_TYPE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
TDS = "http://www.onvif.org/ver10/device/wsdl"
TRT = "http://www.onvif.org/ver10/media/wsdl"
TPTZ = "http://www.onvif.org/ver20/ptz/wsdl"
TT = "http://www.onvif.org/ver10/schema"
NS = 'xmlns:s="%s" xmlns:tds="%s" xmlns:trt="%s" xmlns:tptz="%s" xmlns:tt="%s" xmlns:ter="http://www.onvif.org/ver10/error"' % (S, TDS, TRT, TPTZ, TT)
UNAUTHENTICATED = {"GetSystemDateAndTime"}

args = None
state = {"pan": 0.0, "tilt": 0.0, "zoom": 0.0, "moving": "IDLE", "presets": {}, "next": 1, "seen_nonces": set()}
lock = threading.Lock()


def envelope(body):
    return ('<?xml version="1.0" encoding="UTF-8"?><s:Envelope %s><s:Body>%s</s:Body></s:Envelope>' % (NS, body)).encode()


def fault(subcode, reason, code="s:Sender"):
    return envelope('<s:Fault><s:Code><s:Value>%s</s:Value><s:Subcode><s:Value>%s</s:Value></s:Subcode></s:Code>'
                    '<s:Reason><s:Text xml:lang="en">%s</s:Text></s:Reason></s:Fault>' % (code, subcode, reason))


def camera_now():
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=args.clock_offset)


class StructureError(Exception):
    pass


def check_structure(root, content_type):
    """What the SOAP 1.2 and WSS specifications require of a request, checked with lxml."""
    if root.tag != "{%s}Envelope" % S:
        raise StructureError("root is %s, not a SOAP 1.2 Envelope" % root.tag)
    kids = [k for k in root if isinstance(k.tag, str)]
    names = [k.tag for k in kids]
    if names not in (["{%s}Body" % S], ["{%s}Header" % S, "{%s}Body" % S]):
        raise StructureError("Envelope children are %s" % names)
    body = kids[-1]
    payload = [k for k in body if isinstance(k.tag, str)]
    if len(payload) != 1:
        raise StructureError("Body holds %d elements, not one" % len(payload))
    op = etree.QName(payload[0]).localname
    if not content_type.startswith("application/soap+xml") or "charset=utf-8" not in content_type or \
            ('action="%s/%s"' % (etree.QName(payload[0]).namespace, op)) not in content_type:
        raise StructureError("Content-Type %r does not name action %s" % (content_type, op))
    token = None
    if len(kids) == 2:
        ut = kids[0].find("{%s}Security/{%s}UsernameToken" % (WSSE, WSSE))
        if ut is None:
            raise StructureError("Header has no wsse:Security/wsse:UsernameToken")
        pw = ut.find("{%s}Password" % WSSE)
        nonce = ut.find("{%s}Nonce" % WSSE)
        created = ut.find("{%s}Created" % WSU)
        user = ut.find("{%s}Username" % WSSE)
        if None in (pw, nonce, created, user):
            raise StructureError("UsernameToken lacks Username, Password, Nonce or wsu:Created")
        if pw.get("Type") != DIGEST_TYPE or nonce.get("EncodingType") != B64_TYPE:
            raise StructureError("Password Type or Nonce EncodingType is not the profile's URI")
        datetime.datetime.strptime(created.text, "%Y-%m-%dT%H:%M:%SZ")
        token = (user.text, pw.text, nonce.text, created.text)
    return payload[0], op, token


def authorised(token):
    if token is None:
        return False, "no UsernameToken"
    user, digest, nonce, created = token
    expected = base64.b64encode(hashlib.sha1(base64.b64decode(nonce) + created.encode() + args.password.encode()).digest()).decode()
    if user != args.user or digest != expected:
        return False, "wrong user name or password"
    when = datetime.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    if abs((when - camera_now()).total_seconds()) > 30:
        return False, "Created is outside the camera's clock window"
    with lock:
        if nonce in state["seen_nonces"]:
            return False, "nonce replayed"
        state["seen_nonces"].add(nonce)
    return True, ""


def f(node, path):
    return node.find(path, {"tt": TT, "tptz": TPTZ, "trt": TRT, "tds": TDS})


def vector(node):
    pt, z = f(node, "tt:PanTilt"), f(node, "tt:Zoom")
    return (None if pt is None else (float(pt.get("x")), float(pt.get("y"))), None if z is None else float(z.get("x")))


def handle(op, req, base):
    n = now = camera_now()
    if op == "GetSystemDateAndTime":
        return ('<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>'
                '<tt:UTCDateTime><tt:Time><tt:Hour>%d</tt:Hour><tt:Minute>%d</tt:Minute><tt:Second>%d</tt:Second></tt:Time>'
                '<tt:Date><tt:Year>%d</tt:Year><tt:Month>%d</tt:Month><tt:Day>%d</tt:Day></tt:Date></tt:UTCDateTime>'
                '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>' % (n.hour, n.minute, n.second, n.year, n.month, n.day))
    if op == "GetDeviceInformation":
        return ('<tds:GetDeviceInformationResponse><tds:Manufacturer>CCOC &amp; Test</tds:Manufacturer><tds:Model>PTZ-1</tds:Model>'
                '<tds:FirmwareVersion>1.0</tds:FirmwareVersion><tds:SerialNumber>SN42</tds:SerialNumber>'
                '<tds:HardwareId>HW1</tds:HardwareId></tds:GetDeviceInformationResponse>')
    host = "http://192.168.1.64:80" if args.mode == "nat" else base
    if op == "GetServices":
        if args.mode == "no-getservices":
            return None
        return "<tds:GetServicesResponse>%s</tds:GetServicesResponse>" % "".join(
            "<tds:Service><tds:Namespace>%s</tds:Namespace><tds:XAddr>%s/onvif/%s</tds:XAddr><tds:Version><tt:Major>2</tt:Major>"
            "<tt:Minor>0</tt:Minor></tds:Version></tds:Service>" % (ns, host, path)
            for ns, path in ((TDS, "device_service"), (TRT, "media_x"), (TPTZ, "ptz_x")))
    if op == "GetCapabilities":
        return ("<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>%s/onvif/media_x</tt:XAddr></tt:Media>"
                "<tt:PTZ><tt:XAddr>%s/onvif/ptz_x</tt:XAddr></tt:PTZ></tds:Capabilities></tds:GetCapabilitiesResponse>" % (host, host))
    if op == "GetProfiles":
        return ('<trt:GetProfilesResponse><trt:Profiles token="prof1" fixed="true"><tt:Name>main</tt:Name>'
                '<tt:VideoEncoderConfiguration token="ve1"><tt:Name>ve</tt:Name><tt:Resolution><tt:Width>1920</tt:Width>'
                '<tt:Height>1080</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration>'
                '<tt:PTZConfiguration token="ptzc1"><tt:Name>ptz</tt:Name><tt:NodeToken>node1</tt:NodeToken></tt:PTZConfiguration>'
                '</trt:Profiles></trt:GetProfilesResponse>')
    if op == "GetStreamUri":
        proto = f(req, "trt:StreamSetup/tt:Transport/tt:Protocol")
        if proto is None or proto.text != "RTSP" or f(req, "trt:ProfileToken").text != "prof1":
            return "INVALID"
        return "<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp://127.0.0.1:8554/prof1</tt:Uri></trt:MediaUri></trt:GetStreamUriResponse>"
    if op == "GetConfigurationOptions":
        cont = "" if args.no_continuous else (
            "<tt:ContinuousPanTiltVelocitySpace><tt:URI>x</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange>"
            "<tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:ContinuousPanTiltVelocitySpace>"
            "<tt:ContinuousZoomVelocitySpace><tt:URI>x</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:ContinuousZoomVelocitySpace>")
        return ("<tptz:GetConfigurationOptionsResponse><tptz:PTZConfigurationOptions><tt:Spaces>"
                "<tt:AbsolutePanTiltPositionSpace><tt:URI>x</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange>"
                "<tt:YRange><tt:Min>-0.5</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:AbsolutePanTiltPositionSpace>"
                "<tt:AbsoluteZoomPositionSpace><tt:URI>x</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:AbsoluteZoomPositionSpace>"
                "<tt:RelativePanTiltTranslationSpace><tt:URI>x</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange>"
                "<tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:RelativePanTiltTranslationSpace>%s"
                "</tt:Spaces><tt:PTZTimeout><tt:Min>PT1S</tt:Min><tt:Max>PT60S</tt:Max></tt:PTZTimeout>"
                "</tptz:PTZConfigurationOptions></tptz:GetConfigurationOptionsResponse>" % cont)
    with lock:
        if op == "GetStatus":
            return ('<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="%g" y="%g"/><tt:Zoom x="%g"/></tt:Position>'
                    '<tt:MoveStatus><tt:PanTilt>%s</tt:PanTilt><tt:Zoom>IDLE</tt:Zoom></tt:MoveStatus><tt:UtcTime>%s</tt:UtcTime>'
                    '</tptz:PTZStatus></tptz:GetStatusResponse>' % (state["pan"], state["tilt"], state["zoom"], state["moving"],
                                                                    now.strftime("%Y-%m-%dT%H:%M:%SZ")))
        if op == "ContinuousMove":
            if args.no_continuous:
                return "NOCONT"
            if f(req, "tptz:Timeout") is None:
                return "INVALID"
            state["moving"] = "MOVING"
            return "<tptz:ContinuousMoveResponse/>"
        if op == "Stop":
            state["moving"] = "IDLE"
            return "<tptz:StopResponse/>"
        if op in ("AbsoluteMove", "RelativeMove"):
            pt, z = vector(f(req, "tptz:Position" if op == "AbsoluteMove" else "tptz:Translation"))
            if op == "AbsoluteMove":
                if pt and not (-1 <= pt[0] <= 1 and -0.5 <= pt[1] <= 1):
                    return "INVALID"
                state["pan"], state["tilt"] = pt if pt else (state["pan"], state["tilt"])
                state["zoom"] = z if z is not None else state["zoom"]
            else:
                if pt:
                    state["pan"] += pt[0]; state["tilt"] += pt[1]
                if z is not None:
                    state["zoom"] += z
            return "<tptz:%sResponse/>" % op
        if op == "GetPresets":
            return "<tptz:GetPresetsResponse>%s</tptz:GetPresetsResponse>" % "".join(
                '<tptz:Preset token="%s"><tt:Name>%s</tt:Name></tptz:Preset>' % (t, escape(p[0]))
                for t, p in state["presets"].items())
        if op == "SetPreset":
            token = "p%d" % state["next"]; state["next"] += 1
            state["presets"][token] = (f(req, "tptz:PresetName").text, state["pan"], state["tilt"], state["zoom"])
            return "<tptz:SetPresetResponse><tptz:PresetToken>%s</tptz:PresetToken></tptz:SetPresetResponse>" % token
        if op in ("GotoPreset", "RemovePreset"):
            token = f(req, "tptz:PresetToken").text
            if token not in state["presets"]:
                return "NOPRESET"
            if op == "RemovePreset":
                del state["presets"][token]
            else:
                _, state["pan"], state["tilt"], state["zoom"] = state["presets"][token]
            return "<tptz:%sResponse/>" % op
        if op == "GotoHomePosition":
            state["pan"] = state["tilt"] = state["zoom"] = 0.0
            return "<tptz:GotoHomePositionResponse/>"
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        sys.stderr.write("camera: %s\n" % (a[0] % a[1:]))

    def answer(self, status, data):
        self.send_response(status)
        self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def digest_ok(self):
        """RFC 7616 digest with qop=auth and MD5, recomputed here: HTTP digest is curl's, not ours."""
        header = self.headers.get("Authorization", "")
        if not header.startswith("Digest "):
            return False
        fields = dict((k.strip(), v.strip().strip('"')) for k, v in
                      (part.split("=", 1) for part in header[7:].split(",") if "=" in part))
        md5 = lambda t: hashlib.md5(t.encode()).hexdigest()
        ha1 = md5("%s:%s:%s" % (args.user, fields.get("realm", ""), args.password))
        ha2 = md5("POST:%s" % fields.get("uri", ""))
        expected = md5(":".join([ha1, fields.get("nonce", ""), fields.get("nc", ""), fields.get("cnonce", ""), "auth", ha2]))
        return fields.get("username") == args.user and fields.get("response") == expected

    def do_POST(self):
        data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if args.mode == "hang":
            time.sleep(30)
            return
        if args.mode == "http500":
            return self.answer(500, b"<html>internal error</html>")
        if args.mode == "malformed":
            return self.answer(200, b"<s:Envelope xmlns:s='%s'><s:Body><unclosed></s:Body>" % S.encode())
        # The challenge comes before the body is read as XML: curl's first digest pass posts no body.
        if args.http_digest and b"GetSystemDateAndTime" not in data and not self.digest_ok():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Digest realm="camera", qop="auth", nonce="n%d"' % time.time_ns())
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
            req, op, token = check_structure(root, self.headers.get("Content-Type", ""))
        except (etree.XMLSyntaxError, StructureError, ValueError) as e:
            sys.stderr.write("camera: bad request: %s\n" % e)
            return self.answer(400, fault("ter:InvalidArgVal", "bad request: %s" % e))
        if op == args.fault_action:
            return self.answer(400, fault("ter:ActionNotSupported", "%s is not supported" % op, "s:Receiver"))
        if op not in UNAUTHENTICATED and not args.http_digest:
            ok, why = authorised(token)
            if not ok:
                sys.stderr.write("camera: refused %s: %s\n" % (op, why))
                return self.answer(400, fault("ter:NotAuthorized", "Sender not Authorized"))
        result = handle(op, req, "http://%s" % self.headers.get("Host"))
        if result is None:
            return self.answer(400, fault("ter:ActionNotSupported", "%s is not supported" % op, "s:Receiver"))
        if result == "INVALID":
            return self.answer(400, fault("ter:InvalidArgVal", "an argument of %s is out of range" % op))
        if result == "NOCONT":
            return self.answer(400, fault("ter:NoPTZProfile", "continuous move is not supported", "s:Receiver"))
        if result == "NOPRESET":
            return self.answer(400, fault("ter:NoToken", "no such preset"))
        self.answer(200, envelope(result))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--user", default="admin")
    p.add_argument("--password", default="secret")
    p.add_argument("--clock-offset", type=float, default=0)
    p.add_argument("--no-continuous", action="store_true")
    p.add_argument("--mode", default="normal")
    p.add_argument("--fault-action", default="")
    p.add_argument("--http-digest", action="store_true")
    args = p.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    print("port %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
