// Shared pieces of bench_alarms: clocks, percentiles, private directories and bus settings.
#pragma once

#include "ccoc/bus/broker.hpp"
#include "ccoc/bus/client.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ccoc::bench {

using Clock = std::chrono::steady_clock;

inline int64_t wallUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

inline double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Percentiles {
    double p50 = 0;
    double p99 = 0;
    double max = 0;
    size_t count = 0;
};

inline Percentiles percentiles(std::vector<double> values)
{
    Percentiles out;
    out.count = values.size();
    if (values.empty()) {
        return out;
    }
    std::sort(values.begin(), values.end());
    auto at = [&](double q) { return values[std::min(values.size() - 1, static_cast<size_t>(q * double(values.size())))]; };
    out.p50 = at(0.50);
    out.p99 = at(0.99);
    out.max = values.back();
    return out;
}

// A fresh private directory under the system's temporary directory.
std::filesystem::path makeBenchDir(const std::string& what);

bus::BrokerConfig benchBrokerConfig(const std::filesystem::path& dir, const std::string& name);
bus::ClientConfig benchClientConfig(const bus::Broker& broker, std::string source, bus::Role role);

int runBurst(int rate, double seconds, const std::string& binDir);
int runScreen(int alarms, const std::string& binDir);

} // namespace ccoc::bench
