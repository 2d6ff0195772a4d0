#include "demo_site.hpp"

#include "child_process.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>

namespace ccoc::test {

DemoSite::DemoSite()
{
    namespace fs = std::filesystem;
    fs::create_directories(root_ + "/configs");
    fs::copy_file(std::string(CCOC_SOURCE_DIR) + "/configs/demo.toml", sitePath());
    // The same step, with the same arguments' meaning, as ./ccoc demo runs before the host.
    ChildProcess setup({std::string(CCOC_SOURCE_DIR) + "/configs/demo-keys.sh", root_ + "/build/demo-data",
                        std::string(CCOC_BINARY_DIR) + "/bin/ccoc-bus"});
    const auto code = setup.wait(std::chrono::seconds(60));
    if (code != 0) {
        throw std::runtime_error("configs/demo-keys.sh did not make the demo's keys in " + root_ + " (exit " +
                                 (code ? std::to_string(*code) : std::string("timeout")) + "): " + setup.output());
    }
}

} // namespace ccoc::test
