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

} // namespace ccoc::site
