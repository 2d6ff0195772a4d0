// ccoc-bus: tap, pub, call, state, list, hz, keygen, broker. See `ccoc-bus --help`.
#include "bus_tool.hpp"

#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string_view>
#include <thread>

namespace {

constexpr const char* kUsageText =
    "usage: ccoc-bus COMMAND [options] [arguments]\n"
    "\n"
    "commands:\n"
    "  tap [PREFIX]                  print every message under PREFIX (\"state/door-1\", \"event\", \"\" all) as JSON\n"
    "  pub KIND PATH JSON            publish state|event|telemetry JSON at PATH (\"door-1/contact\")\n"
    "  call DEVICE ACTION [ARGS]     send a command, wait for its one answer and print it\n"
    "  state [PREFIX]                dump the retained state (\"door-1\", \"\" all) as JSON\n"
    "  list                          drivers (online, session, restarts, last heard) and their devices\n"
    "  hz [PREFIX]                   message rates per topic under PREFIX, every second\n"
    "  keygen                        print a new CURVE key pair (public, secret; Z85)\n"
    "  broker --config FILE          run a stand-alone broker as FILE's [bus] says (endpoints, keys, journal)\n"
    "\n"
    "options:\n"
    "  --frontend EP     broker ROUTER endpoint (default $CCOC_BUS_FRONTEND or tcp://127.0.0.1:5570)\n"
    "  --publisher EP    broker PUB endpoint (default $CCOC_BUS_PUBLISHER or tcp://127.0.0.1:5571)\n"
    "  --timeout MS      wait this long for the broker, or for a command's answer (default 3000)\n"
    "  --seconds S       tap, hz: stop after S seconds\n"
    "  --count N         tap: stop after N messages\n"
    "  --reliable        pub event: at-least-once delivery\n"
    "  --id ID           this tool's source id on the bus (default ccoc-bus)\n"
    "  --config FILE     take endpoints (and CURVE keys) from the site file's [bus]; with CURVE the\n"
    "                    tool uses the host's key pair unless --as names an entry of its own\n"
    "  --as NAME         with --config: act as the [[bus.allow]] entry NAME (its public_key and\n"
    "                    secret_key_file), e.g. an operator's workstation that is not the host\n"
    "\n"
    "exit status: 0 ok, 1 the bus said no (command not ok, nothing heard), 2 usage, 3 broker unreachable\n";

std::sig_atomic_t volatile gInterrupted = 0;

void onSignal(int /*signalNumber*/)
{
    gInterrupted = 1;
}

} // namespace

namespace ccoc::bustool {

bool interrupted() noexcept
{
    return gInterrupted != 0;
}

} // namespace ccoc::bustool

int main(int argc, char** argv)
{
    using namespace ccoc::bustool;
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        std::fputs(kUsageText, argc < 2 ? stderr : stdout);
        return argc < 2 ? kUsage : kOk;
    }
    ToolOptions options;
    if (const char* env = std::getenv("CCOC_BUS_FRONTEND"); env != nullptr && *env != '\0') {
        options.frontend = env;
        options.endpointsGiven = true;
    }
    if (const char* env = std::getenv("CCOC_BUS_PUBLISHER"); env != nullptr && *env != '\0') {
        options.publisher = env;
        options.endpointsGiven = true;
    }
    const std::string command = argv[1];
    if (command.starts_with("--")) {
        std::fprintf(stderr, "ccoc-bus: '%s' is an option; the command comes first (ccoc-bus list %s ...)\n%s",
                     argv[1], argv[1], kUsageText);
        return kUsage;
    }
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--reliable") {
            options.reliable = true;
            continue;
        }
        if (arg.size() > 2 && arg.substr(0, 2) == "--") {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "ccoc-bus: %s needs a value\n", argv[i]);
                return kUsage;
            }
            const std::string value = argv[++i];
            if (arg == "--frontend") {
                options.frontend = value;
                options.endpointsGiven = true;
            } else if (arg == "--publisher") {
                options.publisher = value;
                options.endpointsGiven = true;
            } else if (arg == "--timeout") {
                options.timeoutMs = std::atoi(value.c_str());
            } else if (arg == "--seconds") {
                options.seconds = std::atof(value.c_str());
            } else if (arg == "--count") {
                options.count = std::atoi(value.c_str());
            } else if (arg == "--id") {
                options.sourceId = value;
            } else if (arg == "--config") {
                options.config = value;
            } else if (arg == "--as") {
                options.as = value;
            } else {
                std::fprintf(stderr, "ccoc-bus: unknown option '%s'\n%s", argv[i - 1], kUsageText);
                return kUsage;
            }
            continue;
        }
        options.args.emplace_back(arg);
    }
    // The stop signals are blocked in every thread (the bus client's start after this) and taken
    // by one waiting thread, so they never interrupt a socket call with EINTR.
    std::signal(SIGPIPE, SIG_IGN);
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stops, nullptr);
    std::thread([stops] {
        int signalNumber = 0;
        sigwait(&stops, &signalNumber);
        onSignal(signalNumber);
    }).detach();

    const std::map<std::string, int (*)(const ToolOptions&)> commands = {
        {"tap", &runTap},   {"pub", &runPub}, {"call", &runCall},     {"state", &runState},
        {"list", &runList}, {"hz", &runHz},   {"keygen", &runKeygen}, {"broker", &runBroker},
    };
    const auto it = commands.find(command);
    if (it == commands.end()) {
        std::fprintf(stderr, "ccoc-bus: unknown command '%s'; expected one of tap, pub, call, state, list, hz, keygen, broker\n",
                     command.c_str());
        return kUsage;
    }
    return it->second(options);
}
