// camera_catalog.cpp: the site's [[camera]] entries through the SDK's site-file reader.
#include "camera_catalog.hpp"

#include <cstdlib>
#include <cstring>

#include "ccoc/i18n.hpp"
#include "ccoc/site.hpp"

namespace ccoc::wall {

CameraCatalog::CameraCatalog(std::vector<CameraInfo> cameras, const ccoc_host* host) : cameras_(std::move(cameras)), host_(host) {}

std::shared_ptr<const CameraCatalog> CameraCatalog::load(const Host& host)
{
    const auto* info = static_cast<const ccoc_host_info_service_v1*>(host.service(CCOC_SERVICE_HOST_INFO));
    std::vector<CameraInfo> cameras;
    if (info == nullptr || info->site_file == nullptr) {
        host.warn("camera wall: the host offers no \"ccoc.host-info/1\"; no cameras");
        return std::make_shared<CameraCatalog>(std::move(cameras), host.raw());
    }
    const char* path = info->site_file(host.raw());
    // The host already validated this file before it loaded any plugin; read it again for the
    // cameras, with their passwords resolved from password_env.
    auto result = site::loadSiteFile(path != nullptr ? path : "");
    if (!result.site) {
        host.error(std::string("camera wall: cannot read the site's cameras from ") + (path != nullptr ? path : "(none)"));
        return std::make_shared<CameraCatalog>(std::move(cameras), host.raw());
    }
    int number = 0;
    for (const auto& camera : result.site->cameras) {
        cameras.push_back(CameraInfo{++number, camera.id, camera.name, camera.nameEn, camera.url, camera.subUrl,
                                     camera.username, camera.password});
    }
    auto catalog = std::make_shared<CameraCatalog>(std::move(cameras), host.raw());
    auto envOr = [](const char* name, const std::string& fallback) {
        const char* value = std::getenv(name);
        return value != nullptr && *value != '\0' ? std::string(value) : fallback;
    };
    const auto& bus = result.site->bus;
    catalog->setBus({envOr("CCOC_BUS_FRONTEND", bus.frontend), envOr("CCOC_BUS_PUBLISHER", bus.publisher), bus.curve, bus});
    return catalog;
}

const CameraInfo* CameraCatalog::find(const std::string& id) const
{
    for (const auto& camera : cameras_) {
        if (camera.id == id) {
            return &camera;
        }
    }
    return nullptr;
}

std::vector<std::string> CameraCatalog::ids() const
{
    std::vector<std::string> out;
    for (const auto& camera : cameras_) {
        out.push_back(camera.id);
    }
    return out;
}

const std::string& CameraCatalog::displayName(const CameraInfo& camera) const
{
    return i18n::siteText(i18n::languageOf(host_), camera.name, camera.nameEn);
}

}  // namespace ccoc::wall
