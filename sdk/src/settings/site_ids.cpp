// site_ids.cpp: the ids references may name, and the edit distance behind "did you mean".
#include "ccoc/settings_check.hpp"

#include <algorithm>

namespace ccoc::settings {

SiteIds SiteIds::of(const site::Site& site)
{
    SiteIds ids;
    for (const auto& camera : site.cameras) {
        ids.cameras.push_back(camera.id);
    }
    for (const auto& device : site.devices) {
        ids.devices.push_back(device.id);
    }
    for (const auto& driver : site.drivers) {
        ids.drivers.push_back(driver.id);
    }
    for (const auto& screen : site.screens) {
        ids.screens.push_back(screen.id);
    }
    for (const auto& panel : site.panels) {
        ids.panels.push_back(panel.id);
    }
    ids.walls = site.cameraWallDevices();
    return ids;
}

// Optimal string alignment: Levenshtein plus the swap of two neighbours ("prot" is one from "port").
size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
    for (size_t i = 0; i <= a.size(); ++i) {
        d[i][0] = i;
    }
    for (size_t j = 0; j <= b.size(); ++j) {
        d[0][j] = j;
    }
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

} // namespace ccoc::settings
