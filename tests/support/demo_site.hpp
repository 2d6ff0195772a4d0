// The demo station (configs/demo.toml) as ./ccoc demo sets it up, in a temporary folder: the site
// file copied to ROOT/configs/demo.toml and its CURVE key pairs made by configs/demo-keys.sh with
// the real ccoc-bus in ROOT/build/demo-data/keys, where the site file's relative paths look for
// them. Removed with everything in it when destroyed.
#pragma once

#include "temp_dir.hpp"

#include <string>

namespace ccoc::test {

class DemoSite {
public:
    // Throws std::runtime_error, with the script's output, if the setup fails.
    DemoSite();

    [[nodiscard]] const std::string& root() const noexcept { return root_.path(); }
    [[nodiscard]] std::string sitePath() const { return root_ + "/configs/demo.toml"; }
    [[nodiscard]] std::string keyFile(const std::string& name) const
    {
        return root_ + "/build/demo-data/keys/" + name + ".key";
    }

private:
    TempDir root_{"ccoc-demo-site"};
};

} // namespace ccoc::test
