// What the receiver does with one frame (see frame_processor.hpp). The answers follow SIA DC-09:
// NAK for a frame damaged in transit (framing, length, CRC) or out of the time window, so the
// panel sends it again; DUH for a frame that arrived intact but that this receiver will not
// handle (unknown id token, an encrypted frame of an account without a key, a plain frame of an
// account that must encrypt, an account it does not serve, data it cannot read), so the panel
// does not repeat it here and can turn to its backup path. An encrypted frame that does not
// decrypt with the account's key gets a NAK, as a damaged frame does.
#include "frame_processor.hpp"

#include "encrypted_frame.hpp"
#include "json_text.hpp"
#include "panel_event.hpp"

#include <cctype>

namespace ccoc::sia {

namespace {

std::string upper(std::string text)
{
    for (char& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

std::string alarmJson(const PanelEvent& event, const Dc09Frame& frame, const std::string& eventId,
                      std::string_view peer, std::string_view transport)
{
    return "{\"type\":" + jsonString(event.type) + ",\"active\":" + jsonBool(event.active) +
           ",\"event_id\":" + jsonString(eventId) + ",\"point\":" + jsonString(event.point) +
           ",\"text\":" + jsonString(event.text) + ",\"code\":" + jsonString(event.code) +
           ",\"test\":" + jsonBool(event.test) + ",\"account\":" + jsonString(frame.account) +
           ",\"area\":" + jsonString(event.area) + ",\"seq\":" + jsonString(frame.seq) +
           ",\"panel_time\":" + jsonString(frame.timestampText) + ",\"peer\":" + jsonString(peer) +
           ",\"transport\":" + jsonString(transport) + "}";
}

std::string armingJson(const PanelEvent& event, int64_t nowUs)
{
    return "{\"armed\":" + jsonBool(event.active) + ",\"user\":" + jsonString(event.point) +
           ",\"area\":" + jsonString(event.area) + ",\"code\":" + jsonString(event.code) +
           ",\"text\":" + jsonString(event.text) + ",\"at_us\":" + std::to_string(nowUs) + "}";
}

std::string utcDate(int64_t nowUnix)
{
    const std::string stamp = formatTimestamp(nowUnix); // HH:MM:SS,MM-DD-YYYY
    return stamp.substr(15, 4) + "-" + stamp.substr(9, 2) + "-" + stamp.substr(12, 2);
}

// DC-09: the answer to an encrypted frame is encrypted with the same key.
std::string ackOf(const Dc09Frame& frame, const AccountKey* key, int64_t nowUnix)
{
    return frame.encrypted && key != nullptr ? encodeEncryptedAck(frame, key->key, nowUnix) : encodeAck(frame);
}

FrameParse refused(FrameParse parse, FrameProblem problem, std::string detail)
{
    parse.problem = problem;
    parse.detail = std::move(detail);
    return parse;
}

} // namespace

FrameParse checkEncryption(FrameParse parse, const AccountKey* key, const TimeWindow& window)
{
    const Dc09Frame& frame = parse.frame;
    const std::string what = "\"" + std::string(frame.encrypted ? "*" : "") + frame.id + "\" seq " + frame.seq +
                             " of account " + frame.account;
    if (frame.encrypted && key == nullptr) {
        // Resending cannot help while no key is configured here: DUH lets the panel take its backup path.
        std::string detail = "encrypted " + what + ", which has no AES key configured here (account." +
                             upper(frame.account) + ".key_env); frame dropped";
        return refused(std::move(parse), FrameProblem::Encrypted, std::move(detail));
    }
    if (frame.encrypted) {
        return decryptFrame(std::move(parse), key->key, window);
    }
    if (key != nullptr && key->requireEncryption) {
        std::string detail = "plain " + what +
                             ", which must be encrypted (it has an AES key and require_encryption); frame dropped";
        return refused(std::move(parse), FrameProblem::EncryptionRequired, std::move(detail));
    }
    return parse;
}

std::string eventIdOf(const Dc09Frame& frame, int64_t nowUnix, size_t index)
{
    std::string id = "sia:" + frame.account + ":" + frame.seq + ":";
    if (!frame.timestampText.empty()) {
        id += frame.timestampText;
    } else {
        // No timestamp: the data and the day, so a retransmission matches and the same report on
        // another day (sequence numbers wrap) does not.
        id += frame.data + ":" + utcDate(nowUnix);
    }
    if (index > 0) {
        id += ":" + std::to_string(index + 1);
    }
    return id;
}

Outcome FrameProcessor::process(std::string_view line, std::string_view peer, std::string_view transport,
                                int64_t nowUs) const
{
    const int64_t nowUnix = nowUs / 1000000;
    const TimeWindow window{nowUnix, settings_.timeFutureSec, settings_.timePastSec};
    FrameParse parse = parseFrame(line, window);
    const AccountKey* key = nullptr;
    if (parse.headerParsed) {
        const auto found = settings_.keys.find(upper(parse.frame.account));
        key = found != settings_.keys.end() ? &found->second : nullptr;
    }
    if (parse.problem == FrameProblem::None) {
        parse = checkEncryption(std::move(parse), key, window);
    }
    const Dc09Frame& frame = parse.frame;
    Outcome outcome;
    outcome.problem = parse.problem;
    outcome.account = upper(frame.account);
    outcome.seq = frame.seq;
    outcome.id = frame.id;
    const std::string from = std::string(transport) + " " + std::string(peer);
    const auto refuse = [&](Outcome::Answer answer, const std::string& why) {
        outcome.answer = answer;
        if (answer == Outcome::Answer::Nak) {
            outcome.reply = encodeNak(settings_.receiver, settings_.prefix, nowUnix);
        } else {
            outcome.reply = parse.headerParsed ? encodeDuh(frame) : encodeBareDuh(settings_.receiver, settings_.prefix);
        }
        outcome.logLine = std::string(answer == Outcome::Answer::Nak ? "NAK" : "DUH") + " to " + from + ": " + why;
        outcome.logAsWarning = true;
        return outcome;
    };

    switch (parse.problem) {
    case FrameProblem::None:
        break;
    case FrameProblem::Framing:
    case FrameProblem::Length:
    case FrameProblem::Crc:
    case FrameProblem::BadTimestamp:
    case FrameProblem::StaleTimestamp:
    case FrameProblem::Undecryptable:
        return refuse(Outcome::Answer::Nak, parse.detail);
    case FrameProblem::Syntax:
    case FrameProblem::UnknownId:
    case FrameProblem::Encrypted:
    case FrameProblem::EncryptionRequired:
        return refuse(Outcome::Answer::Duh, parse.detail);
    }

    const auto known = settings_.accounts.find(outcome.account);
    if (known != settings_.accounts.end()) {
        outcome.device = known->second;
    }
    if (frame.id == "NULL") {
        // Link supervision: acknowledged whatever the account; no alarm.
        outcome.answer = Outcome::Answer::Ack;
        outcome.reply = ackOf(frame, key, nowUnix);
        outcome.logLine = std::string(frame.encrypted ? "encrypted " : "") + "NULL (link test) seq " + frame.seq +
                          " account " + frame.account + " from " + from;
        return outcome;
    }
    if (outcome.device.empty()) {
        outcome.accountRefused = true;
        return refuse(Outcome::Answer::Duh, "account " + frame.account + " (" + frame.id + " seq " + frame.seq +
                                                ") is not in the accounts allow-list; frame dropped");
    }
    const DataParse data = frame.id == "ADM-CID" ? mapContactId(frame.data) : mapSiaData(frame.data);
    if (!data.ok()) {
        return refuse(Outcome::Answer::Duh, data.error + " (account " + frame.account + " seq " + frame.seq + ")");
    }
    std::string summary;
    size_t alarmIndex = 0;
    for (const PanelEvent& event : data.events) {
        summary += (summary.empty() ? "" : "; ") + event.code + " = " + event.text;
        if (event.kind == PanelEvent::Kind::Alarm) {
            const std::string eventId = eventIdOf(frame, nowUnix, alarmIndex++);
            outcome.events.push_back({outcome.device + "/alarm", alarmJson(event, frame, eventId, peer, transport)});
            outcome.eventIds.push_back(eventId);
        } else if (event.kind == PanelEvent::Kind::Arming) {
            const std::string area = event.area.empty() ? "0" : event.area;
            outcome.states.push_back({outcome.device + "/arming/" + area, armingJson(event, nowUs)});
        }
    }
    outcome.answer = Outcome::Answer::Ack;
    outcome.reply = ackOf(frame, key, nowUnix);
    outcome.logLine = (frame.encrypted ? "encrypted " : "") + frame.id + " seq " + frame.seq + " account " +
                      frame.account + " (" + outcome.device + ") from " + from + ": " + summary;
    return outcome;
}

} // namespace ccoc::sia
