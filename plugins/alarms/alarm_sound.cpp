// alarm_sound.cpp: the alarm tone through ALSA (libasound), off the render thread.
#include "alarm_sound.hpp"

#include <alsa/asoundlib.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ccoc::alarms {
namespace {

struct Beep {
    double hz;
    double onSec;
    double offSec;
};

// Urgent (P1, P2): three short high beeps, like a panel's fire or hold-up sounder; others: one
// lower beep, noticeable but not alarming.
std::vector<Beep> patternFor(int priority)
{
    if (priority <= 2) {
        return {{988.0, 0.15, 0.10}, {988.0, 0.15, 0.10}, {988.0, 0.15, 0.30}};
    }
    return {{659.0, 0.30, 0.30}};
}

// Closes the PCM however playTone leaves.
struct PcmCloser {
    snd_pcm_t* pcm = nullptr;
    ~PcmCloser()
    {
        if (pcm != nullptr) {
            snd_pcm_close(pcm);
        }
    }
};

// alsa-lib prints its own errors to stderr ("ALSA lib pcm.c:...: Unknown PCM x"); this class
// reports each problem once, in words, through the host's log instead. Nothing else in the host
// uses ALSA.
void quietAlsa(const char* /*file*/, int /*line*/, const char* /*function*/, int /*err*/, const char* /*fmt*/, ...) {}

} // namespace

std::vector<std::int16_t> alarmTone(int priority)
{
    constexpr double kAmplitude = 0.4 * 32767.0;
    constexpr double kFadeSec = 0.005; // no click at the edges of a beep
    std::vector<std::int16_t> samples;
    for (const Beep& beep : patternFor(priority)) {
        const auto on = static_cast<size_t>(beep.onSec * kSoundRate);
        const auto fade = static_cast<size_t>(kFadeSec * kSoundRate);
        for (size_t i = 0; i < on; ++i) {
            const double edge = std::min({1.0, static_cast<double>(i) / static_cast<double>(fade),
                                          static_cast<double>(on - i) / static_cast<double>(fade)});
            const double phase = 2.0 * std::numbers::pi * beep.hz * static_cast<double>(i) / kSoundRate;
            samples.push_back(static_cast<std::int16_t>(std::lround(kAmplitude * edge * std::sin(phase))));
        }
        samples.insert(samples.end(), static_cast<size_t>(beep.offSec * kSoundRate), 0);
    }
    return samples;
}

AlarmSound::AlarmSound(std::string device) : device_(std::move(device))
{
    static std::once_flag quiet;
    std::call_once(quiet, [] { snd_lib_error_set_handler(&quietAlsa); });
    thread_ = std::thread([this] { run(); });
}

AlarmSound::~AlarmSound()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    abort_ = true;
    wake_.notify_all();
    thread_.join();
}

void AlarmSound::play(int priority)
{
    {
        std::lock_guard lock(mutex_);
        pending_ = pending_ == 0 ? priority : std::min(pending_, priority);
    }
    wake_.notify_all();
}

std::string AlarmSound::takeProblem()
{
    std::lock_guard lock(mutex_);
    if (!problemNew_) {
        return {};
    }
    problemNew_ = false;
    return problem_;
}

void AlarmSound::run()
{
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || pending_ != 0; });
        if (stopping_) {
            return;
        }
        const int priority = pending_;
        pending_ = 0;
        lock.unlock();
        const std::string problem = playTone(priority);
        lock.lock();
        if (problem.empty()) {
            ++played_;
        }
        // Say a problem when it starts or changes, and say nothing while it lasts.
        if (problem != problem_) {
            problem_ = problem;
            problemNew_ = !problem.empty();
        }
        failing_ = !problem.empty();
    }
}

std::string AlarmSound::playTone(int priority)
{
    const std::string expected = "; expected an ALSA PCM name that plays (\"default\", \"plughw:CARD,DEV\"; "
                                 "aplay -L lists them) in the panel's sound_device";
    PcmCloser closer;
    int rc = snd_pcm_open(&closer.pcm, device_.c_str(), SND_PCM_STREAM_PLAYBACK, 0);
    if (rc < 0) {
        closer.pcm = nullptr;
        return "alarm sound: cannot open sound device '" + device_ + "': " + snd_strerror(rc) + expected;
    }
    // Mono 16-bit at 48 kHz, resampled by ALSA where the device wants otherwise; 100 ms latency.
    rc = snd_pcm_set_params(closer.pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, kSoundRate, 1,
                            100000);
    if (rc < 0) {
        return "alarm sound: sound device '" + device_ + "' refuses 16-bit mono at 48 kHz: " + snd_strerror(rc) +
               expected;
    }
    const std::vector<std::int16_t> tone = alarmTone(priority);
    size_t written = 0;
    // Small pieces, so that a destructor waits at most one piece.
    constexpr size_t kPiece = kSoundRate / 20;
    while (written < tone.size()) {
        if (abort_) {
            snd_pcm_drop(closer.pcm);
            return {};
        }
        const size_t count = std::min(kPiece, tone.size() - written);
        snd_pcm_sframes_t done = snd_pcm_writei(closer.pcm, tone.data() + written, count);
        if (done < 0) {
            // An underrun or a suspend: recover once and go on; anything else ends the tone.
            done = snd_pcm_recover(closer.pcm, static_cast<int>(done), 1);
            if (done < 0) {
                return "alarm sound: writing to sound device '" + device_ + "' failed: " +
                       snd_strerror(static_cast<int>(done));
            }
            continue;
        }
        written += static_cast<size_t>(done);
    }
    rc = snd_pcm_drain(closer.pcm);
    if (rc < 0) {
        return "alarm sound: sound device '" + device_ + "' did not finish the tone: " + snd_strerror(rc);
    }
    return {};
}

} // namespace ccoc::alarms
