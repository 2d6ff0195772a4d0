// ccoc-bus broker and keygen: a stand-alone broker for sites with several machines, and CURVE
// key pairs for the site file's allow-list.
#include "bus_tool.hpp"

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/site_config.hpp"
#include "ccoc/site.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

namespace ccoc::bustool {

int runKeygen(const ToolOptions& /*options*/)
{
    std::string publicKey;
    std::string secretKey;
    const bus::Status made = bus::generateCurveKeyPair(publicKey, secretKey);
    if (!made.ok()) {
        std::fprintf(stderr, "ccoc-bus: %s\n", made.error.c_str());
        return kFailed;
    }
    // Only here is a secret printed: the operator asked for it, on their own terminal.
    std::printf("public = \"%s\"\nsecret = \"%s\"\n", publicKey.c_str(), secretKey.c_str());
    return kOk;
}

int runBroker(const ToolOptions& options)
{
    if (options.config.empty()) {
        std::fprintf(stderr, "usage: ccoc-bus broker --config SITE.toml [--frontend EP] [--publisher EP]\n");
        return kUsage;
    }
    const site::LoadResult loaded = site::loadSiteFile(options.config);
    if (!loaded.ok()) {
        for (const auto& error : loaded.errors) {
            std::fprintf(stderr, "%s\n", error.format().c_str());
        }
        return kUsage;
    }
    // Everything from [bus] (endpoints, timings, journal, CURVE and the allow-list); endpoints
    // given with --frontend/--publisher or in the environment win.
    bus::BrokerConfig config;
    if (bus::Status read = bus::brokerConfigFromSite(loaded.site->bus, config); !read.ok()) {
        std::fprintf(stderr, "ccoc-bus: %s\n", read.error.c_str());
        return kUsage;
    }
    if (options.endpointsGiven) {
        config.frontendEndpoint = options.frontend;
        config.publisherEndpoint = options.publisher;
    }
    config.log = [](bus::LogLevel level, std::string_view message) {
        const char* name = level == bus::LogLevel::Error     ? "error"
                           : level == bus::LogLevel::Warning ? "warning"
                           : level == bus::LogLevel::Info    ? "info"
                                                             : "debug";
        std::fprintf(stderr, "[%s] %.*s\n", name, static_cast<int>(message.size()), message.data());
    };
    bus::Broker broker(config);
    if (bus::Status started = broker.start(); !started.ok()) {
        std::fprintf(stderr, "ccoc-bus: the broker did not start: %s\n", started.error.c_str());
        return kFailed;
    }
    // A bus without security on these endpoints: loud when other machines can reach it.
    if (const auto open = site::openBusNotice(loaded.site->bus, loaded.site->sourceFile, broker.frontendEndpoint(),
                                              broker.publisherEndpoint())) {
        std::fprintf(stderr, open->warning ? "[warning] WARNING: %s\n" : "[info] %s\n", open->message.c_str());
    }
    std::printf("broker of %s running: frontend %s, publisher %s\n", loaded.site->info.stationCode.c_str(),
                broker.frontendEndpoint().c_str(), broker.publisherEndpoint().c_str());
    std::fflush(stdout);
    while (!interrupted()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100)); // waiting for Ctrl-C
    }
    const bus::BrokerStats stats = broker.stats();
    std::printf("stopping: %llu messages received, %llu published, %llu bad, %llu refused\n",
                static_cast<unsigned long long>(stats.received), static_cast<unsigned long long>(stats.published),
                static_cast<unsigned long long>(stats.badMessages), static_cast<unsigned long long>(stats.refused));
    broker.stop();
    return kOk;
}

} // namespace ccoc::bustool
