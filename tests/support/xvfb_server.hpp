// A private X server (Xvfb) for one test: started on a free display number chosen by Xvfb itself
// (-displayfd), stopped when the object dies. Lets GUI tests run in parallel.
#pragma once

#include <memory>
#include <string>

#include "child_process.hpp"

namespace ccoc::test {

class XvfbServer {
public:
    // Starts Xvfb with one screen of width x height; throws std::runtime_error with the reason if
    // it does not come up within 10 s.
    XvfbServer(int width = 3840, int height = 1200);
    [[nodiscard]] const std::string& display() const noexcept { return display_; } // ":N"

private:
    std::unique_ptr<ChildProcess> process_;
    std::string display_;
};

} // namespace ccoc::test
