// socat as the far end of a Pelco line in tests: a pair of linked ptys (what one end writes the
// other reads, as over a null-modem cable), or a TCP listener bridged to a pty (a serial server).
// The names and the port are read from socat's own log lines (-d -d), waited for with a timeout.
#pragma once

#include "child_process.hpp"

#include <memory>
#include <string>

namespace ccoc::test {

class SocatProcess {
public:
    // socat -d -d pty,raw,echo=0 pty,raw,echo=0; throws std::runtime_error (with socat's output)
    // if it does not report both ptys within 5 s.
    static std::unique_ptr<SocatProcess> ptyPair();
    // socat -d -d TCP-LISTEN:0,bind=127.0.0.1 pty,raw,echo=0: port() is known at once; the pty is
    // made when a client connects (waitUntilCarrying, then pty(0)).
    static std::unique_ptr<SocatProcess> tcpToPty();

    // The pty names reported so far, in order ("/dev/pts/3").
    [[nodiscard]] std::string pty(size_t index) const;
    // Waits up to 5 s until socat has opened both its ends and carries bytes; false otherwise.
    bool waitUntilCarrying();
    [[nodiscard]] int port() const noexcept { return port_; }
    ChildProcess& process() noexcept { return *process_; }

private:
    explicit SocatProcess(std::unique_ptr<ChildProcess> process) : process_(std::move(process)) {}

    std::unique_ptr<ChildProcess> process_;
    int port_ = 0;
};

} // namespace ccoc::test
