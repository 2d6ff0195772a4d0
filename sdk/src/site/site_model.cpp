// Site: look-ups by id.
#include "ccoc/site.hpp"

#include <algorithm>

namespace ccoc::site {

namespace {
template <typename Item, typename Key>
const Item* findBy(const std::vector<Item>& items, std::string_view wanted, Key key) noexcept {
    auto it = std::find_if(items.begin(), items.end(), [&](const Item& item) { return key(item) == wanted; });
    return it != items.end() ? &*it : nullptr;
}
} // namespace

const Screen* Site::findScreen(std::string_view id) const noexcept {
    return findBy(screens, id, [](const Screen& screen) -> const std::string& { return screen.id; });
}

const Layout* Site::findLayout(std::string_view screenId) const noexcept {
    return findBy(layouts, screenId, [](const Layout& layout) -> const std::string& { return layout.screen; });
}

const Panel* Site::findPanel(std::string_view id) const noexcept {
    return findBy(panels, id, [](const Panel& panel) -> const std::string& { return panel.id; });
}

const Camera* Site::findCamera(std::string_view id) const noexcept {
    return findBy(cameras, id, [](const Camera& camera) -> const std::string& { return camera.id; });
}

const Device* Site::findDevice(std::string_view id) const noexcept {
    return findBy(devices, id, [](const Device& device) -> const std::string& { return device.id; });
}

const Service* Site::findService(std::string_view id) const noexcept {
    return findBy(services, id, [](const Service& service) -> const std::string& { return service.id; });
}

const Panel* Site::findCameraWall(std::string_view screenId) const noexcept {
    const Layout* layout = findLayout(screenId);
    if (layout == nullptr) {
        return nullptr;
    }
    for (const Region& region : layout->regions) {
        const Panel* panel = findPanel(region.panel);
        if (panel != nullptr && panel->type == "camera.wall") {
            return panel;
        }
    }
    return nullptr;
}

std::vector<std::string> Site::cameraWallDevices() const {
    std::vector<std::string> walls;
    for (const Panel& panel : panels) {
        if (panel.type == "camera.wall") {
            walls.push_back("wall." + panel.id);
        }
    }
    return walls;
}

AlarmServiceMode Site::alarmServiceMode() const noexcept {
    if (alarms.service) {
        return *alarms.service;
    }
    const bool alarmDevice = std::any_of(devices.begin(), devices.end(), [](const Device& device) {
        return device.kind == "sensor" || device.kind == "alarm_panel" || device.kind == "camera_io" ||
               !device.alarmType.empty();
    });
    return alarmDevice || !drivers.empty() || !alarmRules.empty() ? AlarmServiceMode::Embedded : AlarmServiceMode::Off;
}

} // namespace ccoc::site
