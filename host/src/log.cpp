#include "log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>

namespace ccoc::host {
namespace {

struct LogState {
    std::mutex mutex;
    std::map<int, Log::Sink> sinks;
    int nextId = 1;
    ccoc_log_level stderrLevel = CCOC_LOG_INFO;
};

LogState& state()
{
    static LogState instance;
    return instance;
}

const char* levelName(ccoc_log_level level)
{
    switch (level) {
    case CCOC_LOG_DEBUG:
        return "debug";
    case CCOC_LOG_INFO:
        return "info ";
    case CCOC_LOG_WARNING:
        return "warn ";
    case CCOC_LOG_ERROR:
        return "error";
    }
    return "?";
}

} // namespace

void Log::write(ccoc_log_level level, std::string_view source, std::string_view message)
{
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (level >= s.stderrLevel) {
        const auto now = std::chrono::system_clock::now();
        const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
        const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
        std::tm local{};
        localtime_r(&seconds, &local);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
        std::fprintf(stderr, "%s.%03lld %s [%.*s] %.*s\n", stamp, static_cast<long long>(millis), levelName(level),
                     static_cast<int>(source.size()), source.data(), static_cast<int>(message.size()), message.data());
    }
    for (auto& [id, sink] : s.sinks) {
        sink(level, source, message);
    }
}

int Log::addSink(Sink sink)
{
    auto& s = state();
    std::lock_guard lock(s.mutex);
    const int id = s.nextId++;
    s.sinks.emplace(id, std::move(sink));
    return id;
}

void Log::removeSink(int id)
{
    auto& s = state();
    std::lock_guard lock(s.mutex);
    s.sinks.erase(id);
}

void Log::setStderrLevel(ccoc_log_level level)
{
    auto& s = state();
    std::lock_guard lock(s.mutex);
    s.stderrLevel = level;
}

} // namespace ccoc::host
