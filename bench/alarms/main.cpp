// bench_alarms: how fast an alarm reaches the operator's screen and whether a burst loses any.
//   bench_alarms [--rate N] [--seconds S] [--screen-alarms N] [--burst-only | --screen-only]
// Defaults: a burst of 1,000 alarms/s for 60 s, and 200 alarms timed to the screen.
#include "alarm_bench.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

namespace ccoc::bench {

std::filesystem::path makeBenchDir(const std::string& what)
{
    std::string pattern = (std::filesystem::temp_directory_path() / ("ccoc-bench-" + what + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        std::perror("bench_alarms: mkdtemp");
        std::exit(1);
    }
    return pattern;
}

bus::BrokerConfig benchBrokerConfig(const std::filesystem::path& dir, const std::string& name)
{
    bus::BrokerConfig config;
    config.frontendEndpoint = "ipc://" + (dir / (name + "-frontend")).string();
    config.publisherEndpoint = "ipc://" + (dir / (name + "-publisher")).string();
    config.log = [](bus::LogLevel, std::string_view) {};
    return config;
}

bus::ClientConfig benchClientConfig(const bus::Broker& broker, std::string source, bus::Role role)
{
    bus::ClientConfig config;
    config.sourceId = std::move(source);
    config.role = role;
    config.frontendEndpoint = broker.frontendEndpoint();
    config.publisherEndpoint = broker.publisherEndpoint();
    return config;
}

} // namespace ccoc::bench

int main(int argc, char** argv)
{
    int rate = 1000;
    double seconds = 60;
    int screenAlarms = 200;
    bool burst = true;
    bool screen = true;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&]() -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_alarms: %s needs a value\n", arg.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--rate") {
            rate = std::atoi(next());
        } else if (arg == "--seconds") {
            seconds = std::atof(next());
        } else if (arg == "--screen-alarms") {
            screenAlarms = std::atoi(next());
        } else if (arg == "--burst-only") {
            screen = false;
        } else if (arg == "--screen-only") {
            burst = false;
        } else {
            std::fprintf(stderr, "usage: bench_alarms [--rate N] [--seconds S] [--screen-alarms N] [--burst-only | --screen-only]\n");
            return 2;
        }
    }
    if (rate <= 0 || seconds <= 0 || screenAlarms <= 0) {
        std::fprintf(stderr, "bench_alarms: --rate, --seconds and --screen-alarms must be > 0\n");
        return 2;
    }
    const std::string binDir = std::filesystem::canonical("/proc/self/exe").parent_path().string();
    int rc = 0;
    if (screen) {
        rc |= ccoc::bench::runScreen(screenAlarms, binDir);
    }
    if (burst) {
        rc |= ccoc::bench::runBurst(rate, seconds, binDir);
    }
    return rc;
}
