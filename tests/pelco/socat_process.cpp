// socat as a test peer (see socat_process.hpp).
#include "socat_process.hpp"

#include <chrono>
#include <regex>
#include <stdexcept>
#include <vector>

namespace ccoc::test {

namespace {

using namespace std::chrono_literals;

std::vector<std::string> ptyNames(const std::string& output)
{
    static const std::regex ptyLine(R"(PTY is (/dev/pts/[0-9]+))");
    std::vector<std::string> names;
    for (auto it = std::sregex_iterator(output.begin(), output.end(), ptyLine); it != std::sregex_iterator(); ++it) {
        names.push_back((*it)[1].str());
    }
    return names;
}

std::unique_ptr<ChildProcess> startSocat(std::vector<std::string> addresses)
{
    std::vector<std::string> argv{"/usr/bin/socat", "-d", "-d"};
    argv.insert(argv.end(), addresses.begin(), addresses.end());
    return std::make_unique<ChildProcess>(argv);
}

} // namespace

std::unique_ptr<SocatProcess> SocatProcess::ptyPair()
{
    std::unique_ptr<SocatProcess> socat(new SocatProcess(startSocat({"pty,raw,echo=0", "pty,raw,echo=0"})));
    // The data loop starts after both ptys exist: from then on bytes are carried.
    if (!socat->waitUntilCarrying() || socat->pty(1).empty()) {
        throw std::runtime_error("socat did not make two ptys (is socat installed? ./ccoc installs it): " +
                                 socat->process().output());
    }
    return socat;
}

std::unique_ptr<SocatProcess> SocatProcess::tcpToPty()
{
    std::unique_ptr<SocatProcess> socat(
        new SocatProcess(startSocat({"TCP-LISTEN:0,bind=127.0.0.1", "pty,raw,echo=0"})));
    if (!socat->process().waitForOutput("listening on", 5000ms)) {
        throw std::runtime_error("socat did not listen (is socat installed? ./ccoc installs it): " +
                                 socat->process().output());
    }
    static const std::regex listening(R"(listening on .*127\.0\.0\.1:([0-9]+))");
    std::smatch match;
    const std::string output = socat->process().output();
    if (!std::regex_search(output, match, listening)) {
        throw std::runtime_error("socat's listening port not found in: " + output);
    }
    socat->port_ = std::stoi(match[1].str());
    return socat;
}

std::string SocatProcess::pty(size_t index) const
{
    const std::vector<std::string> names = ptyNames(process_->output());
    return index < names.size() ? names[index] : std::string();
}

bool SocatProcess::waitUntilCarrying()
{
    // socat logs this once both addresses are open, after their "PTY is" lines.
    return process_->waitForOutput("starting data transfer loop", 5000ms);
}

} // namespace ccoc::test
