// camera_catalog.hpp: the site's cameras, as the camera wall and the camera list need them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ccoc/plugin.hpp"
#include "ccoc/site.hpp"

namespace ccoc::wall {

/// One [[camera]] of the site file. The password stays in memory only: it goes to the stream
/// reader and nowhere else (never a log, the bus or the screen).
struct CameraInfo {
    int number = 0;  ///< 1-based position in the site file: the number typed on the keyboard
    std::string id;
    std::string name;    ///< Thai
    std::string nameEn;
    std::string url;
    std::string subUrl;  ///< may be empty
    std::string username;
    std::string password;
};

/// Where the site's bus is ([bus] of the site file; the environment may override it, as the host
/// lets it: $CCOC_BUS_FRONTEND, $CCOC_BUS_PUBLISHER).
struct BusEndpoints {
    std::string frontend = "tcp://127.0.0.1:5570";
    std::string publisher = "tcp://127.0.0.1:5571";
    bool curve = false;  ///< [bus] security = "curve"
    /// The whole [bus] section: with CURVE, the wall's own key pair is the [[bus.allow]] entry
    /// named after its source id ("wall.<panel id>"), read when the wall's peer starts.
    site::BusSettings site;
};

/// The cameras of the site the host runs, read once from the site file (the host names it through
/// "ccoc.host-info/1"). Thread: created on the main thread; read-only after.
class CameraCatalog {
public:
    /// Loads the site file; problems are logged through the host and leave the catalog empty.
    static std::shared_ptr<const CameraCatalog> load(const Host& host);
    /// For tests and tools: a catalog from a list; `host` (may be null: English) gives the language.
    explicit CameraCatalog(std::vector<CameraInfo> cameras, const ccoc_host* host = nullptr);

    [[nodiscard]] const std::vector<CameraInfo>& cameras() const { return cameras_; }
    /// The camera with this id, or nullptr.
    [[nodiscard]] const CameraInfo* find(const std::string& id) const;
    [[nodiscard]] std::vector<std::string> ids() const;
    /// The site's bus endpoints (defaults when the file has no [bus]).
    [[nodiscard]] const BusEndpoints& bus() const { return bus_; }
    void setBus(BusEndpoints bus) { bus_ = std::move(bus); }
    /// [main-thread] The name to show in the interface language now (i18n::siteText).
    [[nodiscard]] const std::string& displayName(const CameraInfo& camera) const;

private:
    std::vector<CameraInfo> cameras_;
    const ccoc_host* host_ = nullptr;
    BusEndpoints bus_;
};

}  // namespace ccoc::wall
