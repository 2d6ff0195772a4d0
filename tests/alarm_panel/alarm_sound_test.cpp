// The alarm tone through real ALSA (libasound): played on the "file" PCM that alsa-lib's own
// configuration defines (samples to a file, no sound card needed), and a device that does not
// exist named in words.
#include "alarm_sound.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "child_process.hpp"
#include "tone_analysis.hpp"

namespace {

using ccoc::alarms::AlarmSound;
using ccoc::alarms::kSoundRate;
using ccoc::test::beepsIn;
using ccoc::test::Beep;
using ccoc::test::readSamples;

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout)
{
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > end) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

} // namespace

static_assert(ccoc::test::kToneRate == kSoundRate);

TEST_CASE("alarm_panel/sound: a P1 alarm plays three high beeps through ALSA, a P4 alarm one lower beep")
{
    const ccoc::test::TempDir dir("ccoc-alarm-sound");
    for (const auto& [priority, count, hz] : {std::tuple{1, size_t{3}, 988.0}, std::tuple{4, size_t{1}, 659.0}}) {
        INFO("priority " << priority);
        const std::string path = dir + "/tone-" + std::to_string(priority) + ".raw";
        {
            AlarmSound sound("file:'" + path + "',raw");
            sound.play(priority);
            REQUIRE(waitUntil([&] { return sound.played() == 1 || sound.failing(); }, std::chrono::seconds(10)));
            INFO(sound.takeProblem());
            REQUIRE_FALSE(sound.failing());
        }
        const auto beeps = beepsIn(readSamples(path));
        REQUIRE(beeps.size() == count);
        for (const Beep& beep : beeps) {
            CHECK(beep.hz == Approx(hz).epsilon(0.03));
            CHECK(beep.seconds >= 0.10);
        }
    }
}

TEST_CASE("alarm_panel/sound: a sound device that does not exist is named once, and the next alarm tries again")
{
    AlarmSound sound("ccoc_no_such_device");
    sound.play(1);
    REQUIRE(waitUntil([&] { return sound.failing(); }, std::chrono::seconds(10)));
    const std::string problem = sound.takeProblem();
    INFO(problem);
    CHECK(problem.find("cannot open sound device 'ccoc_no_such_device'") != std::string::npos);
    CHECK(problem.find("expected an ALSA PCM name") != std::string::npos);
    CHECK(sound.takeProblem().empty()); // said once
    sound.play(2);
    // The same problem again is not said again; nothing was played.
    REQUIRE(waitUntil([&] { return sound.takeProblem().empty(); }, std::chrono::seconds(2)));
    CHECK(sound.played() == 0);
}
