// alarm_bell.cpp: BEL to the controlling terminal, non-blocking.
#include "alarm_bell.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace ccoc::alarms {

AlarmBell::~AlarmBell()
{
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

bool AlarmBell::ring(std::string* why)
{
    if (!triedOpen_) {
        triedOpen_ = true;
        fd_ = ::open("/dev/tty", O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd_ < 0 && why != nullptr) {
            *why = std::string("alarm sound: no terminal to ring (/dev/tty: ") + std::strerror(errno) + ")";
        }
    }
    if (fd_ < 0) {
        return false;
    }
    // A full terminal buffer drops the bell (EAGAIN) rather than waiting.
    return ::write(fd_, "\a", 1) == 1;
}

}  // namespace ccoc::alarms
