#include "xvfb_server.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace ccoc::test {

XvfbServer::XvfbServer(int width, int height)
{
    // -displayfd 1 makes Xvfb pick a free display and print its number on stdout when ready.
    const std::string geometry = std::to_string(width) + "x" + std::to_string(height) + "x24";
    process_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        "/usr/bin/Xvfb", "-displayfd", "1", "-screen", "0", geometry, "-nolisten", "tcp", "-noreset"});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        const std::string out = process_->output();
        // The first line that is only digits is the display number.
        size_t start = 0;
        while (start < out.size()) {
            const size_t end = out.find('\n', start);
            if (end == std::string::npos) {
                break;
            }
            const std::string line = out.substr(start, end - start);
            if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos) {
                display_ = ":" + line;
                return;
            }
            start = end + 1;
        }
        if (!process_->running()) {
            throw std::runtime_error("Xvfb exited early: " + out);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("Xvfb did not report a display within 10 s: " + process_->output());
}

} // namespace ccoc::test
