// The services' C++ layer compiles on its own, without ImGui (a service draws nothing), with
// -Wall -Wextra -pedantic -Werror, and a service class with it is complete.
#include "ccoc/service.hpp"

namespace {

class EmptyService final : public ccoc::Service {
public:
    using Service::Service;
    bool start(const ccoc::ServiceContext& context) override { return !context.id().empty(); }
    void stop() override {}
};

} // namespace

CCOC_SERVICE(EmptyService, "test.empty", "Empty service", "1.0.0", "CCOC");
