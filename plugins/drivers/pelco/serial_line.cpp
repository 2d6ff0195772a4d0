// The serial Pelco line (see serial_line.hpp).
#include "serial_line.hpp"

#include "fd_io.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

namespace ccoc::pelco {

namespace {

// The rates Pelco receivers are set to (D usually 2400, P 4800 or 9600).
bool speedOf(int baud, speed_t& speed)
{
    switch (baud) {
    case 2400: speed = B2400; return true;
    case 4800: speed = B4800; return true;
    case 9600: speed = B9600; return true;
    case 19200: speed = B19200; return true;
    default: return false;
    }
}

Error ioError(const std::string& path, const std::string& step, int error)
{
    return makeError(ErrorKind::Io, "serial " + path + ": " + step + ": " + errorText(error));
}

} // namespace

Result<std::unique_ptr<SerialLine>> SerialLine::open(const std::string& path, int baud)
{
    speed_t speed = B0;
    if (!speedOf(baud, speed)) {
        return makeError(ErrorKind::InvalidArgument, "serial " + path + ": baud rate " + std::to_string(baud) +
                                                         " is not supported: expected 2400, 4800, 9600 or 19200");
    }
    // O_NOCTTY: a port must never become the driver's controlling terminal (a hang-up would kill it).
    int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return ioError(path, "cannot open", errno);
    }
    termios settings{};
    if (::tcgetattr(fd, &settings) != 0) {
        const int error = errno;
        closeFd(fd);
        return ioError(path, "not a serial port (tcgetattr)", error);
    }
    ::cfmakeraw(&settings); // no echo, no line editing, no CR/LF translation, 8 bits
    settings.c_cflag &= ~static_cast<tcflag_t>(PARENB | CSTOPB | CSIZE | CRTSCTS);
    settings.c_cflag |= CS8 | CREAD | CLOCAL;  // CLOCAL: RS-485 adapters have no modem lines
    settings.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY); // 0x11/0x13 are frame bytes
    settings.c_cc[VMIN] = 0;
    settings.c_cc[VTIME] = 0;
    if (::cfsetispeed(&settings, speed) != 0 || ::cfsetospeed(&settings, speed) != 0 ||
        ::tcsetattr(fd, TCSANOW, &settings) != 0) {
        const int error = errno;
        closeFd(fd);
        return ioError(path, "cannot set " + std::to_string(baud) + " 8N1 raw", error);
    }
    // Two writers on one RS-485 line would interleave their frames: ask for exclusive use.
    (void)::ioctl(fd, TIOCEXCL);
    // Bytes received before we opened the port belong to nobody's request.
    (void)::tcflush(fd, TCIFLUSH);
    return std::unique_ptr<SerialLine>(new SerialLine(fd, path, baud));
}

SerialLine::~SerialLine()
{
    // The exclusive flag can outlive the descriptor (a pty's tty stays while its master is open):
    // clear it so the port can be opened again.
    if (fd_ >= 0) {
        (void)::ioctl(fd_, TIOCNXCL);
    }
    closeFd(fd_);
}

Status SerialLine::writeAll(std::span<const uint8_t> bytes, std::chrono::milliseconds timeout)
{
    return writeWithin(fd_, FdKind::Terminal, bytes, timeout, "serial " + path_);
}

Result<size_t> SerialLine::readSome(std::span<uint8_t> into, std::chrono::milliseconds timeout)
{
    return readWithin(fd_, FdKind::Terminal, into, timeout, "serial " + path_);
}

std::string SerialLine::describe() const
{
    return "serial " + path_ + " at " + std::to_string(baud_) + " 8N1";
}

} // namespace ccoc::pelco
