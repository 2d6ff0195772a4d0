// alarm_bell.hpp: the optional alarm sound: the terminal bell of the controlling terminal, written
// without ever waiting (O_NONBLOCK), so a slow or absent terminal cannot stall the render thread.
//
// Thread: main thread.
#pragma once

#include <string>

namespace ccoc::alarms {

class AlarmBell {
public:
    AlarmBell() = default;
    ~AlarmBell();
    AlarmBell(const AlarmBell&) = delete;
    AlarmBell& operator=(const AlarmBell&) = delete;
    AlarmBell(AlarmBell&&) = delete;
    AlarmBell& operator=(AlarmBell&&) = delete;

    /// Rings once. False (and `why` says so, once) when there is no terminal to ring.
    bool ring(std::string* why = nullptr);

private:
    int fd_ = -1;
    bool triedOpen_ = false;
};

}  // namespace ccoc::alarms
