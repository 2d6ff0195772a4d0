// The alarm service as a service plugin ("ccoc.service/1"), run by ccoc-serviced for a
// [[service]] with plugin = "alarms". It reads its own sections of the site file ([alarms],
// [[alarm_rule]], [[device]]), its key pair on a CURVE bus from its [[bus.allow]] entry "alarms",
// and joins the bus at the endpoints the runner gives it.
#include "alarm_journal.hpp"
#include "alarm_service.hpp"

#include "ccoc/service.hpp"
#include "ccoc/site.hpp"

#include <memory>
#include <optional>
#include <string>

namespace ccoc::alarm_service {
namespace {

class AlarmServicePlugin final : public ccoc::Service {
public:
    using Service::Service;

    bool start(const ccoc::ServiceContext& context) override
    {
        // The alarm model's topics and device are "alarms" (sdk/docs/alarms.md), and its bus
        // source id with them: the journal and every desk know the service by that name.
        if (context.id() != "alarms") {
            host().error("[[service]] '" + std::string(context.id()) +
                         "' runs the alarm service, whose bus id is 'alarms'; expected id = \"alarms\"");
            return false;
        }
        const std::string siteFile(context.siteFile());
        site::LoadResult loaded = site::loadSiteFile(siteFile);
        if (!loaded.ok()) {
            for (const auto& error : loaded.errors) {
                host().error(error.format());
            }
            return false;
        }
        site_ = std::move(*loaded.site);
        AlarmServiceConfig config;
        if (const bus::Status read = alarmServiceConfigFromSite(*site_, config); !read.ok()) {
            host().error(read.error);
            return false;
        }
        // The runner's endpoints win over the site's: the host hands its own (an environment
        // override, a broker that moved) to every peer it starts.
        if (!context.busFrontend().empty()) {
            config.bus.frontendEndpoint = std::string(context.busFrontend());
        }
        if (!context.busPublisher().empty()) {
            config.bus.publisherEndpoint = std::string(context.busPublisher());
        }
        config.log = [this](LogLevel level, std::string_view message) {
            host().log(level == LogLevel::Error     ? CCOC_LOG_ERROR
                       : level == LogLevel::Warning ? CCOC_LOG_WARNING
                                                    : CCOC_LOG_INFO,
                       std::string(message));
        };
        service_ = std::make_unique<AlarmService>(*site_, std::move(config));
        if (const bus::Status started = service_->start(); !started.ok()) {
            host().error("the alarm service did not start: " + started.error);
            service_.reset();
            return false;
        }
        host().info("running on " + std::string(context.busFrontend()) + ", journal " +
                    (site_->alarms.journal.empty() ? std::string("in memory") : site_->alarms.journal));
        return true;
    }

    // What ccoc-alarmd --check always did: the site's alarm settings and the journal opens.
    bool check(const ccoc::ServiceContext& context) override
    {
        const site::LoadResult loaded = site::loadSiteFile(std::string(context.siteFile()));
        if (!loaded.ok()) {
            for (const auto& error : loaded.errors) {
                host().error(error.format());
            }
            return false;
        }
        AlarmServiceConfig config;
        if (const bus::Status read = alarmServiceConfigFromSite(*loaded.site, config); !read.ok()) {
            host().error(read.error);
            return false;
        }
        std::string error;
        if (!config.journalPath.empty() && !AlarmJournal::open(config.journalPath, error)) {
            host().error(error);
            return false;
        }
        return true;
    }

    void stop() override
    {
        // AlarmService::stop writes every accepted alarm before it returns.
        if (service_) {
            service_->stop();
            service_.reset();
        }
    }

private:
    std::optional<site::Site> site_; // the service keeps a reference: it lives as long
    std::unique_ptr<AlarmService> service_;
};

} // namespace
} // namespace ccoc::alarm_service

CCOC_SERVICE(ccoc::alarm_service::AlarmServicePlugin, "ccoc.alarms.service", "Alarm service", CCOC_PLUGIN_VERSION,
             "CCOC");
