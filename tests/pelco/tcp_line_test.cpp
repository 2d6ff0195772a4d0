// The TCP line to a serial server: frames through socat bridging TCP to a pty (what a serial
// server does), a peer that goes away reported as Closed, reconnection after the backoff, a
// refused connection and a connect that times out, and the backoff's sequence.
#include <catch2/catch.hpp>

#include "frame_reader.hpp"
#include "serial_line.hpp"
#include "socat_process.hpp"
#include "tcp_line.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

using namespace ccoc::pelco;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A listening TCP socket on 127.0.0.1 owned by the test.
class Listener {
public:
    explicit Listener(int port = 0, int backlog = 4)
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd_ >= 0);
        const int on = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<uint16_t>(port));
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::listen(fd_, backlog) == 0);
        socklen_t length = sizeof address;
        REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port_ = ntohs(address.sin_port);
    }
    ~Listener()
    {
        close();
    }
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    // The next connection, waited for up to `timeout`; -1 when none came.
    int accept(std::chrono::milliseconds timeout)
    {
        pollfd entry{fd_, POLLIN, 0};
        if (::poll(&entry, 1, static_cast<int>(timeout.count())) != 1) {
            return -1;
        }
        return ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    }
    [[nodiscard]] int port() const noexcept { return port_; }
    void close()
    {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }

private:
    int fd_ = -1;
    int port_ = 0;
};

std::vector<uint8_t> readFd(int fd, size_t count, std::chrono::milliseconds timeout)
{
    std::vector<uint8_t> bytes;
    const auto deadline = Clock::now() + timeout;
    while (bytes.size() < count && Clock::now() < deadline) {
        pollfd entry{fd, POLLIN, 0};
        if (::poll(&entry, 1, 50) == 1) {
            uint8_t buffer[64];
            const ssize_t got = ::read(fd, buffer, sizeof buffer);
            if (got <= 0) {
                break;
            }
            bytes.insert(bytes.end(), buffer, buffer + got);
        }
    }
    return bytes;
}

std::vector<uint8_t> readLine(ByteLine& line, size_t count, std::chrono::milliseconds timeout)
{
    std::vector<uint8_t> bytes;
    const auto deadline = Clock::now() + timeout;
    std::array<uint8_t, 64> buffer{};
    while (bytes.size() < count && Clock::now() < deadline) {
        Result<size_t> read = line.readSome(buffer, 50ms);
        INFO(line.describe() << ": " << (read.ok() ? std::string("ok") : read.error().message));
        REQUIRE(read.ok());
        bytes.insert(bytes.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(read.value()));
    }
    return bytes;
}

std::vector<uint8_t> frameBytes(int address, const Command& command)
{
    const Result<Frame> frame = encodeD(address, command);
    REQUIRE(frame.ok());
    return {frame.value().bytes().begin(), frame.value().bytes().end()};
}

TcpLineOptions fastOptions()
{
    TcpLineOptions options;
    options.connectTimeout = 1000ms;
    options.backoffInitial = 100ms;
    options.backoffMax = 400ms;
    return options;
}

// A first backoff long enough that the test's next call surely falls inside it, even on a loaded
// machine.
TcpLineOptions slowBackoffOptions()
{
    TcpLineOptions options = fastOptions();
    options.backoffInitial = 1000ms;
    options.backoffMax = 2000ms;
    return options;
}

} // namespace

TEST_CASE("pelco/tcp_serial_server: frames cross socat's TCP-to-pty bridge byte for byte, both ways")
{
    const auto socat = ccoc::test::SocatProcess::tcpToPty();
    TcpLine line("127.0.0.1", socat->port(), fastOptions());
    REQUIRE(line.connect().ok());
    // socat makes its pty once the connection is accepted.
    REQUIRE(socat->waitUntilCarrying());
    Result<std::unique_ptr<SerialLine>> camera = SerialLine::open(socat->pty(0), 9600);
    REQUIRE(camera.ok());

    const std::vector<uint8_t> goTo = frameBytes(1, Preset{PresetAction::GoTo, 1});
    REQUIRE(line.writeAll(goTo, 1000ms).ok());
    std::vector<uint8_t> onSerial;
    std::array<uint8_t, 16> buffer{};
    const auto deadline = Clock::now() + 3000ms;
    while (onSerial.size() < goTo.size() && Clock::now() < deadline) {
        Result<size_t> read = camera.value()->readSome(buffer, 100ms);
        REQUIRE(read.ok());
        onSerial.insert(onSerial.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(read.value()));
    }
    CHECK(hexText(onSerial) == "FF 01 00 07 00 01 09");

    const std::vector<uint8_t> answer = frameBytes(1, PositionReport{Axis::Tilt, 1500});
    REQUIRE(camera.value()->writeAll(answer, 1000ms).ok());
    FrameReader reader(Protocol::D);
    const std::vector<Message> messages = reader.feed(readLine(line, answer.size(), 3000ms));
    REQUIRE(messages.size() == 1);
    CHECK(messages[0] == Message{1, PositionReport{Axis::Tilt, 1500}});
}

TEST_CASE("pelco/tcp_peer_gone_then_reconnect: Closed within the timeout, NotConnected during backoff, then back")
{
    auto server = std::make_unique<Listener>();
    const int port = server->port();
    TcpLine line("127.0.0.1", port, slowBackoffOptions());
    const std::vector<uint8_t> stop = frameBytes(1, Motion{});
    REQUIRE(line.writeAll(stop, 1000ms).ok());
    int peer = server->accept(2000ms);
    REQUIRE(peer >= 0);
    CHECK(hexText(readFd(peer, stop.size(), 2000ms)) == "FF 01 00 00 00 00 01");

    // The serial server goes away while the driver waits for an answer.
    ::close(peer);
    server.reset();
    std::array<uint8_t, 16> buffer{};
    const auto start = Clock::now();
    Result<size_t> read = line.readSome(buffer, 3000ms);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().kind == ErrorKind::Closed);
    CHECK_THAT(read.error().message, Catch::Contains("tcp 127.0.0.1:" + std::to_string(port)) &&
                                         Catch::Contains("next attempt in 1000 ms"));
    CHECK(Clock::now() - start < 2000ms);
    CHECK_FALSE(line.connected());

    // During the backoff nothing is tried: NotConnected at once, saying why and for how long.
    Status early = line.writeAll(stop, 1000ms);
    REQUIRE_FALSE(early.ok());
    CHECK(early.error().kind == ErrorKind::NotConnected);
    CHECK_THAT(early.error().message, Catch::Contains("next attempt in"));

    // The server comes back on the same port; the line finds it after the backoff, without anyone
    // calling more than write.
    Listener again(port);
    const auto deadline = Clock::now() + 5000ms;
    Status written = line.writeAll(stop, 1000ms);
    while (!written.ok() && Clock::now() < deadline) {
        REQUIRE((written.error().kind == ErrorKind::NotConnected || written.error().kind == ErrorKind::Io));
        // The line has no event to offer during its backoff: ask again shortly.
        std::this_thread::sleep_for(20ms);
        written = line.writeAll(stop, 1000ms);
    }
    REQUIRE(written.ok());
    CHECK(line.connections() == 2);
    peer = again.accept(2000ms);
    REQUIRE(peer >= 0);
    CHECK(hexText(readFd(peer, stop.size(), 2000ms)) == "FF 01 00 00 00 00 01");
    ::close(peer);
}

TEST_CASE("pelco/tcp_refused: a closed port is an error in words, and the backoff holds the next try")
{
    int port = 0;
    {
        Listener probe;
        port = probe.port();
    } // closed: nothing listens there now
    TcpLine line("127.0.0.1", port, slowBackoffOptions());
    Status first = line.connect();
    REQUIRE_FALSE(first.ok());
    CHECK(first.error().kind == ErrorKind::Io);
    CHECK_THAT(first.error().message, Catch::Contains("Connection refused") && Catch::Contains("next attempt in 1000 ms"));
    Status second = line.connect();
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().kind == ErrorKind::NotConnected);
    CHECK_THAT(second.error().message, Catch::Contains("Connection refused"));

    TcpLine badPort("127.0.0.1", 70000, fastOptions());
    Status invalid = badPort.connect();
    REQUIRE_FALSE(invalid.ok());
    CHECK(invalid.error().kind == ErrorKind::InvalidArgument);
}

TEST_CASE("pelco/tcp_connect_timeout: a server that never answers costs the connect timeout, not more")
{
    // A listener whose accept queue is full drops further SYNs, as an unreachable host would.
    Listener full(0, 0);
    std::vector<int> fillers;
    for (int i = 0; i < 3; ++i) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<uint16_t>(full.port()));
        (void)::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        fillers.push_back(fd);
    }
    TcpLineOptions options = fastOptions();
    options.connectTimeout = 300ms;
    TcpLine line("127.0.0.1", full.port(), options);
    const auto start = Clock::now();
    Status status = line.connect();
    const auto waited = Clock::now() - start;
    for (int fd : fillers) {
        ::close(fd);
    }
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().kind == ErrorKind::Timeout);
    CHECK_THAT(status.error().message, Catch::Contains("300 ms"));
    CHECK(waited >= 290ms);
    CHECK(waited < 1500ms);
}

TEST_CASE("pelco/reconnect_backoff: doubles from the first delay up to the most, and starts over after a success")
{
    ReconnectBackoff backoff(100ms, 400ms);
    CHECK(backoff.afterFailure() == 100ms);
    CHECK(backoff.afterFailure() == 200ms);
    CHECK(backoff.afterFailure() == 400ms);
    CHECK(backoff.afterFailure() == 400ms);
    backoff.reset();
    CHECK(backoff.afterFailure() == 100ms);
}

TEST_CASE("pelco/tcp_write_to_closed_peer: Closed as a value, no SIGPIPE that would kill the driver")
{
    Listener server;
    TcpLine line("127.0.0.1", server.port(), slowBackoffOptions());
    REQUIRE(line.connect().ok());
    const int peer = server.accept(2000ms);
    REQUIRE(peer >= 0);
    ::close(peer);
    // The first writes may still be taken by the kernel; the peer's reset makes a later one fail.
    const std::vector<uint8_t> stop = frameBytes(1, Motion{});
    Status written = okStatus();
    const auto deadline = Clock::now() + 3000ms;
    while (written.ok() && Clock::now() < deadline) {
        written = line.writeAll(stop, 500ms);
        if (written.ok()) {
            // Give the reset time to come back; a write is the only way to see it.
            std::this_thread::sleep_for(10ms);
        }
    }
    REQUIRE_FALSE(written.ok());
    CHECK(written.error().kind == ErrorKind::Closed);
    CHECK_FALSE(line.connected());
}
