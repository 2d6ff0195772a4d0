// From one received DC-09 frame to what the receiver does: the answer (ACK, NAK, DUH), the alarm
// events to hand to the bus before an ACK, the state to publish, and the log line. Pure (the
// clock is passed in), so every decision is unit-tested without sockets. Thread: any (const).
#pragma once

#include "dc09_frame.hpp"
#include "sia_settings.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::sia {

struct Publication {
    std::string path; // "panel-bank/alarm" (events), "panel-bank/arming/1" (state)
    std::string json;
};

struct Outcome {
    enum class Answer { Ack, Nak, Duh };
    Answer answer = Answer::Nak;
    std::string reply;                // the whole answer frame (LF ... CR)
    FrameProblem problem = FrameProblem::None;
    bool accountRefused = false;      // the account is not in the allow-list
    std::vector<Publication> events;  // reliable alarm events: the ACK waits until the bus took them
    std::vector<std::string> eventIds; // the event_id of each of `events`
    std::vector<Publication> states;  // retained state (arming), published before the answer
    std::string device;               // the account's device ("" when unknown)
    std::string account;
    std::string seq;
    std::string id;                   // "SIA-DCS", "ADM-CID", "NULL"
    std::string logLine;              // what happened, with the peer
    bool logAsWarning = false;
};

class FrameProcessor {
public:
    explicit FrameProcessor(SiaSettings settings) : settings_(std::move(settings)) {}

    // One frame (without LF and CR) from `peer` ("192.0.2.7:5001") over `transport` ("tcp",
    // "udp"), at `nowUs` (microseconds since 1970 UTC).
    [[nodiscard]] Outcome process(std::string_view line, std::string_view peer, std::string_view transport,
                                  int64_t nowUs) const;

    [[nodiscard]] const SiaSettings& settings() const noexcept { return settings_; }

private:
    SiaSettings settings_;
};

// The encryption rules for a frame parseFrame read without a problem: an encrypted frame needs
// the account's key (`key`, nullptr when none: Encrypted) and is decrypted with it; a plain frame
// of an account whose key requires encryption is refused (EncryptionRequired).
[[nodiscard]] FrameParse checkEncryption(FrameParse parse, const AccountKey* key, const TimeWindow& window);

// "sia:<acct>:<seq>:<timestamp>", or without a timestamp "sia:<acct>:<seq>:<data>:<UTC date>",
// ":<n>" added for the n-th (n >= 2) event of one frame. Stable across retransmissions.
[[nodiscard]] std::string eventIdOf(const Dc09Frame& frame, int64_t nowUnix, size_t index);

} // namespace ccoc::sia
