// ccoc/bus.h compiles as C++20 with the project's warnings (the C11 check is an object library
// built with this test, see CMakeLists.txt).
#include "ccoc/bus.h"

#include <catch2/catch.hpp>

TEST_CASE("bus/c-header") {
    ccoc_bus_service_v1 service{};
    service.struct_size = sizeof service;
    CHECK(CCOC_STRUCT_HAS_FIELD(&service, ccoc_bus_service_v1, answer));
    CHECK(CCOC_STRUCT_HAS_FIELD(&service, ccoc_bus_service_v1, remove_state));
    CHECK(std::string(CCOC_SERVICE_BUS) == "ccoc.bus/1");
}
