// Helpers shared by the broker and the client: clocks, ids, and sending/receiving the frames of
// one message on a ZeroMQ socket. Internal to ccoc_bus.
#pragma once

#include "ccoc/bus/codec.hpp"

#include <zmq.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ccoc::bus::detail {

int64_t wallClockUs() noexcept;   // microseconds since 1970 UTC
int64_t steadyUs() noexcept;      // monotonic microseconds
std::string randomHex(size_t bytes);

// Receives every part of one message without waiting. Returns false when none is pending.
// Throws zmq::error_t on socket errors other than EAGAIN.
bool receiveParts(zmq::socket_t& socket, std::vector<zmq::message_t>& parts);

// Views of the parts, skipping the first `skip` (the ROUTER's routing id).
std::vector<std::string_view> partViews(const std::vector<zmq::message_t>& parts, size_t skip);

// Sends one message. `routingId` non-empty: ROUTER destination. Returns false when the message
// could not be queued (peer gone or at its high-water mark with dontWait).
bool sendMessage(zmq::socket_t& socket, std::string_view routingId, std::string_view topic,
                 std::string_view envelope, std::string_view payload,
                 const std::vector<std::string>& attachments = {}, bool dontWait = true);

// Wire names of message types with their schema revisions.
inline constexpr std::string_view kTypeHello = "hello/1";
inline constexpr std::string_view kTypeWelcome = "welcome/1";
inline constexpr std::string_view kTypeHeartbeat = "heartbeat/1";
inline constexpr std::string_view kTypeState = "state/1";
inline constexpr std::string_view kTypeEvent = "event/1";
inline constexpr std::string_view kTypeTelemetry = "telemetry/1";
inline constexpr std::string_view kTypeAck = "ack/1";
inline constexpr std::string_view kTypeCommand = "command/1";
inline constexpr std::string_view kTypeReply = "reply/1";
inline constexpr std::string_view kTypeSnapshotRequest = "snapshot-request/1";
inline constexpr std::string_view kTypeSnapshot = "snapshot/1";
inline constexpr std::string_view kTypeResync = "resync/1";
inline constexpr std::string_view kTypeReplayRequest = "replay-request/1";
inline constexpr std::string_view kTypeReplayEnd = "replay-end/1";
inline constexpr std::string_view kTypeNotice = "notice/1";
inline constexpr std::string_view kTypeSync = "sync/1";

// Source id the broker uses for messages it makes itself, and its reserved device.
inline constexpr std::string_view kBrokerSource = "_bus";

// Device id of a wire topic ("state/cam-1/x/" -> "cam-1"); empty when there is none.
std::string_view topicDevice(std::string_view topic) noexcept;
// Path of a wire topic ("state/cam-1/x/" -> "cam-1/x").
std::string_view topicPath(std::string_view topic) noexcept;
// Last segment ("cmd/cam-1/ptz.move/" -> "ptz.move").
std::string_view topicLastSegment(std::string_view topic) noexcept;

// Body of a reply payload.
std::string replyPayload(std::string_view status, std::string_view message, std::string_view resultJson);

} // namespace ccoc::bus::detail
