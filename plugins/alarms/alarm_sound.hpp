// alarm_sound.hpp: the alarm tone, played through ALSA on a thread of its own.
//
// Why a thread: opening a sound device, or writing to one that is busy, slow or gone, may wait;
// the render thread never does. The main thread only posts a request; the sound thread opens the
// device, plays the tone and closes it again (the device is free between alarms).
//
// The tone says the priority: P1 and P2 three short high beeps, P3 to P5 one lower beep.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ccoc::alarms {

/// The samples of the tone for `priority` (1 = most urgent), mono signed 16-bit at kSoundRate
/// Hz, ending in silence. Pure; for the sound thread and for tests.
std::vector<std::int16_t> alarmTone(int priority);
inline constexpr unsigned kSoundRate = 48000;

class AlarmSound {
public:
    /// `device`: an ALSA PCM name ("default", "plughw:1,0", or any the site's ALSA configuration
    /// defines; `aplay -L` lists them). Starts the sound thread; opens nothing yet.
    explicit AlarmSound(std::string device);
    /// Stops a tone being played (it is dropped, not finished) and joins the thread.
    ~AlarmSound();
    AlarmSound(const AlarmSound&) = delete;
    AlarmSound& operator=(const AlarmSound&) = delete;
    AlarmSound(AlarmSound&&) = delete;
    AlarmSound& operator=(AlarmSound&&) = delete;

    /// [main] Plays the tone for `priority` once. Never waits. A request while a tone plays is
    /// kept (the most urgent of those waiting) and played after it.
    void play(int priority);

    /// [main] The device's problem in words when the last attempt could not play ("cannot open
    /// sound device ..."), once per change, for the caller to log and fall back on; empty when
    /// there is nothing new to say.
    [[nodiscard]] std::string takeProblem();
    /// [any] True while the device is known not to play (the last attempt failed).
    [[nodiscard]] bool failing() const noexcept { return failing_.load(); }
    /// [any] Tones played to the end so far.
    [[nodiscard]] std::uint64_t played() const noexcept { return played_.load(); }

private:
    void run();
    // Plays one tone; an empty string, or what went wrong.
    std::string playTone(int priority);

    const std::string device_;
    std::mutex mutex_;
    std::condition_variable wake_;
    int pending_ = 0;  // priority waiting to be played, 0 for none
    bool stopping_ = false;
    std::string problem_;  // under mutex_
    bool problemNew_ = false;
    std::atomic<bool> failing_{false};
    std::atomic<std::uint64_t> played_{0};
    std::atomic<bool> abort_{false};  // set by the destructor: drop the tone being played
    std::thread thread_;
};

}  // namespace ccoc::alarms
