// ccoc-bus sub-commands that speak to a broker as a client: tap, pub, call, state, list, hz.
#include "bus_tool.hpp"

#include "ccoc/bus/site_config.hpp"
#include "ccoc/site.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace ccoc::bustool {
namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

Json parsedOrText(const std::string& text)
{
    Json value = Json::parse(text, nullptr, false);
    return value.is_discarded() ? Json(text) : value;
}

void printJson(const Json& value)
{
    std::fputs((value.dump(2) + "\n").c_str(), stdout);
    std::fflush(stdout);
}

// Starts a client and waits for the broker. Prints why and returns nullopt when none answers.
std::unique_ptr<bus::Client> connect(const ToolOptions& options, bool mirrorState)
{
    bus::ClientConfig config;
    if (!clientConfig(options, mirrorState, config)) {
        return nullptr;
    }
    auto client = std::make_unique<bus::Client>(config);
    if (bus::Status started = client->start(); !started.ok()) {
        std::fprintf(stderr, "ccoc-bus: %s\n", started.error.c_str());
        return nullptr;
    }
    if (!client->waitReady(options.timeoutMs)) {
        std::fprintf(stderr, "ccoc-bus: no broker answered at %s within %d ms\n", config.frontendEndpoint.c_str(),
                     options.timeoutMs);
        return nullptr;
    }
    return client;
}

bool pastDeadline(const ToolOptions& options, Clock::time_point start)
{
    return options.seconds > 0 && Clock::now() - start >= std::chrono::duration<double>(options.seconds);
}

Json messageJson(const bus::Message& m)
{
    Json out;
    out["topic"] = m.topic;
    out["kind"] = std::string(bus::kindName(m.kind));
    out["src"] = m.source;
    out["session"] = m.session;
    out["seq"] = m.seq;
    out["id"] = m.messageId;
    out["acquired_us"] = m.acquiredUs;
    out["received_us"] = m.receivedUs;
    if (m.kind == bus::Kind::State) {
        out["broker_seq"] = m.brokerSeq;
        out["stale"] = m.stale;
        out["removed"] = m.removed; // protocol section 6
    }
    if (m.reliable) {
        out["reliable"] = true;
    }
    if (m.eventSeq != 0) {
        // Where the broker's journal holds it (protocol section 8).
        out["event_seq"] = m.eventSeq;
        out["journal"] = m.journal;
    }
    out["payload"] = parsedOrText(m.payload);
    if (!m.attachments.empty()) {
        out["attachments"] = m.attachments.size();
    }
    return out;
}

} // namespace

bool clientConfig(const ToolOptions& options, bool mirrorState, bus::ClientConfig& config)
{
    config.sourceId = options.sourceId;
    if (!options.config.empty()) {
        const site::LoadResult loaded = site::loadSiteFile(options.config);
        if (!loaded.ok()) {
            for (const auto& error : loaded.errors) {
                std::fprintf(stderr, "%s\n", error.format().c_str());
            }
            return false;
        }
        const site::BusSettings& bus = loaded.site->bus;
        if (!options.as.empty()) {
            // Its own entry: the broker knows this tool by its own key, not the host's, so a key
            // on an operator's workstation can be revoked without touching the host.
            if (bus::Status read = bus::peerClientConfigFromSite(bus, options.as, config); !read.ok()) {
                std::fprintf(stderr, "ccoc-bus: %s\n", read.error.c_str());
                return false;
            }
        } else {
            if (bus::Status read = bus::clientConfigFromSite(bus, config); !read.ok()) {
                std::fprintf(stderr, "ccoc-bus: %s\n", read.error.c_str());
                return false;
            }
            for (const auto& entry : bus.allow) {
                if (bus.curve && entry.publicKey == bus.clientPublicKey) {
                    config.sourceId = entry.name; // CURVE: the name the key proves
                }
            }
        }
    }
    if (!options.as.empty() && options.config.empty()) {
        std::fprintf(stderr, "ccoc-bus: --as %s needs --config SITE.toml (the entry is in its [[bus.allow]])\n",
                     options.as.c_str());
        return false;
    }
    if (options.config.empty() || options.endpointsGiven) {
        config.frontendEndpoint = options.frontend;
        config.publisherEndpoint = options.publisher;
    }
    config.role = bus::Role::Tool;
    config.mirrorState = mirrorState;
    config.callbacks = bus::ClientConfig::Callbacks::IoThread;
    return true;
}

std::string prettyJson(const std::string& json)
{
    return parsedOrText(json).dump(2);
}

int runTap(const ToolOptions& options)
{
    const std::string prefix = options.args.empty() ? "" : options.args.front();
    auto client = connect(options, false);
    if (!client) {
        return kNoBroker;
    }
    std::mutex mutex;
    std::condition_variable arrived;
    std::deque<bus::Message> queue;
    const uint64_t id = client->subscribe(prefix, [&](const bus::Message& message) {
        std::lock_guard lock(mutex);
        queue.push_back(message);
        arrived.notify_one();
    });
    if (id == 0) {
        std::fprintf(stderr, "ccoc-bus: '%s' is not a prefix; expected KIND[/DEVICE[/KEY...]], e.g. state/door-1 or event\n",
                     prefix.c_str());
        return kUsage;
    }
    // Say "tapping" only once the subscription is in effect, so a script may publish right after.
    if (!client->waitSubscribed(options.timeoutMs)) {
        std::fprintf(stderr, "ccoc-bus: the broker did not confirm the subscription to '%s' within %d ms\n",
                     prefix.c_str(), options.timeoutMs);
        return kFailed;
    }
    std::fprintf(stderr, "ccoc-bus: tapping '%s' on %s\n", prefix.c_str(), options.publisher.c_str());
    const auto start = Clock::now();
    int printed = 0;
    while (!interrupted() && !pastDeadline(options, start) && (options.count == 0 || printed < options.count)) {
        std::unique_lock lock(mutex);
        arrived.wait_for(lock, std::chrono::milliseconds(100), [&] { return !queue.empty(); });
        while (!queue.empty() && (options.count == 0 || printed < options.count)) {
            const bus::Message message = std::move(queue.front());
            queue.pop_front();
            lock.unlock();
            printJson(messageJson(message));
            ++printed;
            lock.lock();
        }
    }
    client->unsubscribe(id);
    return printed > 0 || options.count == 0 ? kOk : kFailed;
}

int runPub(const ToolOptions& options)
{
    if (options.args.size() != 3) {
        std::fprintf(stderr, "usage: ccoc-bus pub state|event|telemetry PATH JSON   e.g. pub state door-1/contact '{\"open\":true}'\n");
        return kUsage;
    }
    const std::string& kind = options.args[0];
    const std::string& path = options.args[1];
    const std::string& json = options.args[2];
    auto client = connect(options, kind == "state");
    if (!client) {
        return kNoBroker;
    }
    // Confirm through the broker: see our own message come back on the publisher.
    std::mutex mutex;
    std::condition_variable seen;
    bool echoed = false;
    const std::string own = client->sessionId();
    const uint64_t id = client->subscribe(kind + "/" + path, [&](const bus::Message& m) {
        if (m.session == own) {
            std::lock_guard lock(mutex);
            echoed = true;
            seen.notify_one();
        }
    });
    // Without this the echo could pass the broker before our subscription does (ZeroMQ sends
    // subscriptions asynchronously) and a published message would be reported as lost.
    if (id != 0 && !client->waitSubscribed(options.timeoutMs)) {
        std::fprintf(stderr, "ccoc-bus: the broker did not confirm the subscription to '%s/%s' within %d ms\n",
                     kind.c_str(), path.c_str(), options.timeoutMs);
        return kFailed;
    }
    bus::PublishOptions publish;
    publish.reliable = options.reliable;
    bus::Status status = bus::Status::failure("unknown kind '" + kind + "'; expected state, event or telemetry");
    if (kind == "state") {
        status = client->publishState(path, json, publish);
    } else if (kind == "event") {
        status = client->publishEvent(path, json, publish);
    } else if (kind == "telemetry") {
        status = client->publishTelemetry(path, json, publish);
    }
    if (!status.ok()) {
        std::fprintf(stderr, "ccoc-bus: %s\n", status.error.c_str());
        return kUsage;
    }
    std::unique_lock lock(mutex);
    const bool confirmed = id != 0 && seen.wait_for(lock, std::chrono::milliseconds(options.timeoutMs), [&] { return echoed; });
    if (!confirmed) {
        std::fprintf(stderr, "ccoc-bus: the broker did not publish it within %d ms\n", options.timeoutMs);
        return kFailed;
    }
    std::printf("published %s/%s\n", kind.c_str(), path.c_str());
    return kOk;
}

int runCall(const ToolOptions& options)
{
    if (options.args.size() < 2 || options.args.size() > 3) {
        std::fprintf(stderr, "usage: ccoc-bus call DEVICE ACTION [ARGS_JSON] [--timeout MS]   e.g. call light-1 light.dim '{\"level\":40}'\n");
        return kUsage;
    }
    auto client = connect(options, false);
    if (!client) {
        return kNoBroker;
    }
    bus::Command command;
    command.device = options.args[0];
    command.action = options.args[1];
    command.argsJson = options.args.size() == 3 ? options.args[2] : "null";
    command.ttlMs = options.timeoutMs;
    std::mutex mutex;
    std::condition_variable answered;
    std::optional<bus::Reply> reply;
    const bus::Status sent = client->sendCommand(command, [&](const bus::Reply& r) {
        std::lock_guard lock(mutex);
        reply = r;
        answered.notify_one();
    });
    if (!sent.ok()) {
        std::fprintf(stderr, "ccoc-bus: %s\n", sent.error.c_str());
        return kUsage;
    }
    // The client answers `timeout` itself ttl + 1000 ms after sending; wait a little longer.
    std::unique_lock lock(mutex);
    answered.wait_for(lock, std::chrono::milliseconds(options.timeoutMs + 3000), [&] { return reply.has_value(); });
    if (!reply) {
        std::fprintf(stderr, "ccoc-bus: no answer\n");
        return kFailed;
    }
    Json out;
    out["status"] = std::string(bus::commandStatusName(reply->status));
    out["message"] = reply->message;
    out["result"] = parsedOrText(reply->resultJson);
    printJson(out);
    return reply->status == bus::CommandStatus::Ok ? kOk : kFailed;
}

int runState(const ToolOptions& options)
{
    const std::string prefix = options.args.empty() ? "" : options.args.front();
    auto client = connect(options, true);
    if (!client) {
        return kNoBroker;
    }
    Json out = Json::object();
    for (const auto& entry : client->stateSnapshot(prefix)) {
        Json item;
        item["value"] = parsedOrText(entry.value);
        item["src"] = entry.source;
        item["session"] = entry.session;
        item["acquired_us"] = entry.acquiredUs;
        item["broker_seq"] = entry.brokerSeq;
        item["stale"] = entry.stale;
        out[entry.path] = item;
    }
    printJson(out);
    return kOk;
}

int runHz(const ToolOptions& options)
{
    const std::string prefix = options.args.empty() ? "" : options.args.front();
    auto client = connect(options, false);
    if (!client) {
        return kNoBroker;
    }
    std::mutex mutex;
    std::map<std::string, uint64_t> counts;
    const uint64_t id = client->subscribe(prefix, [&](const bus::Message& m) {
        std::lock_guard lock(mutex);
        ++counts[m.topic];
    });
    if (id == 0) {
        std::fprintf(stderr, "ccoc-bus: '%s' is not a prefix\n", prefix.c_str());
        return kUsage;
    }
    const auto start = Clock::now();
    auto windowStart = start;
    uint64_t total = 0;
    while (!interrupted() && !pastDeadline(options, start)) {
        std::this_thread::sleep_until(windowStart + std::chrono::seconds(1)); // the measuring window
        const auto now = Clock::now();
        const double window = std::chrono::duration<double>(now - windowStart).count();
        windowStart = now;
        std::map<std::string, uint64_t> taken;
        {
            std::lock_guard lock(mutex);
            taken.swap(counts);
        }
        uint64_t sum = 0;
        for (const auto& [topic, n] : taken) {
            sum += n;
            std::printf("%10.1f /s  %s\n", static_cast<double>(n) / window, topic.c_str());
        }
        total += sum;
        std::printf("%10.1f /s  total under '%s'\n\n", static_cast<double>(sum) / window, prefix.c_str());
        std::fflush(stdout);
    }
    client->unsubscribe(id);
    return total > 0 ? kOk : kFailed;
}

} // namespace ccoc::bustool
