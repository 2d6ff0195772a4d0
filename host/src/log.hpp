// The host's log: one line per event on stderr, "TIME LEVEL [source] message", thread-safe.
// Tests can capture lines through a sink.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "ccoc/plugin.h"

namespace ccoc::host {

class Log {
public:
    using Sink = std::function<void(ccoc_log_level, std::string_view source, std::string_view message)>;

    // [any-thread] Writes one line. `source` names the part or plugin ("loader", "ccoc.system").
    static void write(ccoc_log_level level, std::string_view source, std::string_view message);
    static void info(std::string_view source, std::string_view message) { write(CCOC_LOG_INFO, source, message); }
    static void warn(std::string_view source, std::string_view message) { write(CCOC_LOG_WARNING, source, message); }
    static void error(std::string_view source, std::string_view message) { write(CCOC_LOG_ERROR, source, message); }

    // [any-thread] Adds a sink that sees every line after it (tests). Returns an id for removeSink.
    static int addSink(Sink sink);
    static void removeSink(int id);
    // [any-thread] Lines below this level are not printed to stderr (sinks still see them).
    static void setStderrLevel(ccoc_log_level level);
};

} // namespace ccoc::host
