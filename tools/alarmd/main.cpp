// ccoc-alarmd --config SITE [--check]: the alarm service on its own, kept for one release as the
// name sites already use. It is only another way to call the one generic runner:
//   ccoc-serviced --id alarms --site SITE [--check]
// which runs the [[service]] "alarms" of the site file (sdk/docs/services.md).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    std::string sitePath;
    bool checkOnly = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
            sitePath = argv[++i];
        } else if (arg == "--check") {
            checkOnly = true;
        } else if (arg == "--help" || arg == "-h" || arg == "--version") {
            std::printf("ccoc-alarmd %s: runs ccoc-serviced --id alarms --site SITE [--check]\n"
                        "usage: ccoc-alarmd --config SITE.toml [--check]\n",
                        CCOC_VERSION);
            return 0;
        } else {
            std::fprintf(stderr, "ccoc-alarmd: unknown argument '%s'\nusage: ccoc-alarmd --config SITE.toml [--check]\n",
                         arg.c_str());
            return 2;
        }
    }
    if (sitePath.empty()) {
        std::fputs("ccoc-alarmd: --config SITE is required\nusage: ccoc-alarmd --config SITE.toml [--check]\n", stderr);
        return 2;
    }
    std::error_code ec;
    const std::filesystem::path runner = std::filesystem::canonical("/proc/self/exe", ec).parent_path() / "ccoc-serviced";
    std::vector<std::string> args = {runner.string(), "--id", "alarms", "--site", sitePath};
    if (checkOnly) {
        args.emplace_back("--check");
    }
    std::vector<char*> pointers;
    for (auto& arg : args) {
        pointers.push_back(arg.data());
    }
    pointers.push_back(nullptr);
    execv(pointers.front(), pointers.data());
    std::fprintf(stderr, "ccoc-alarmd: cannot run %s: %s\n", runner.c_str(), std::strerror(errno));
    return 3;
}
