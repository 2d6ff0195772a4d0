// A throwaway certificate authority for the MQTT TLS tests: CAs, broker and client certificates
// made with the `openssl` command at test time, in a temp folder mosquitto can read.
#pragma once

#include "child_process.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace ccoc::mqtttest {

class TestPki {
public:
    TestPki() : dir_("ccoc-mqtt-pki") { ::chmod(dir_.c_str(), 0755); }

    // NAME.crt and NAME.key: a self-signed CA (EC P-256, valid two days).
    void makeCa(const std::string& name)
    {
        run({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
             path(name + ".key"), "-out", path(name + ".crt"), "-days", "2", "-subj", "/CN=CCOC test CA " + name,
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
        readable(name);
    }

    // NAME.crt and NAME.key signed by CA `ca`; `subjectAltName` ("IP:127.0.0.1", "DNS:x") or empty
    // for none (a client). With `keyPassword` the key is encrypted with it.
    void issue(const std::string& name, const std::string& ca, const std::string& subjectAltName,
               const std::string& keyPassword = {})
    {
        std::vector<std::string> request{"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                         "-keyout", path(name + ".key"), "-out", path(name + ".csr"), "-subj",
                                         "/CN=" + name};
        std::map<std::string, std::string> env;
        if (keyPassword.empty()) {
            request.emplace_back("-nodes");
        } else {
            // From the environment, so that the password is in no command line.
            env["CCOC_TEST_KEY_PASSWORD"] = keyPassword;
            request.insert(request.end(), {"-passout", "env:CCOC_TEST_KEY_PASSWORD"});
        }
        run(request, env);
        std::ofstream(path(name + ".ext")) << (subjectAltName.empty() ? std::string("basicConstraints=CA:FALSE\n")
                                                                      : "subjectAltName=" + subjectAltName + "\n");
        run({"x509", "-req", "-in", path(name + ".csr"), "-CA", path(ca + ".crt"), "-CAkey", path(ca + ".key"),
             "-CAcreateserial", "-CAserial", path(ca + ".srl"), "-out", path(name + ".crt"), "-days", "2", "-extfile",
             path(name + ".ext")});
        readable(name);
    }

    [[nodiscard]] std::string path(const std::string& file) const { return dir_ + "/" + file; }

private:
    void run(std::vector<std::string> args, const std::map<std::string, std::string>& env = {})
    {
        args.insert(args.begin(), CCOC_OPENSSL);
        test::ChildProcess openssl(args, env);
        const auto code = openssl.wait(std::chrono::seconds(20));
        INFO("openssl " << args[1] << ": " << openssl.output());
        REQUIRE(code == 0);
    }
    // mosquitto drops to its own user when started as root: it must read the broker's key too.
    void readable(const std::string& name)
    {
        ::chmod(path(name + ".crt").c_str(), 0644);
        ::chmod(path(name + ".key").c_str(), 0644);
    }

    test::TempDir dir_;
};

} // namespace ccoc::mqtttest
