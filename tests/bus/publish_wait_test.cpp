// A render-thread publisher never waits: with no broker to drain the queue, publishing with
// waitForRoom = false fails at once with "queue full" instead of blocking the caller.
#include <catch2/catch.hpp>

#include <chrono>

#include "bus_test_util.hpp"
#include "ccoc/bus/client.hpp"

using namespace ccoc::bus;
using namespace ccoc::bus::test;

TEST_CASE("bus/publish-without-broker-never-waits-when-asked-not-to") {
    TempDir dir;
    ClientConfig config;
    config.sourceId = "console-1";
    // Nobody listens here: the DEALER fills to its high-water mark, then the client's backlog and
    // queue (10,000 each); 60,000 publications are more than all three hold.
    config.frontendEndpoint = "ipc://" + (dir.path / "nobody-frontend").string();
    config.publisherEndpoint = "ipc://" + (dir.path / "nobody-publisher").string();
    Client client(config);
    REQUIRE(client.start().ok());

    PublishOptions options;
    options.waitForRoom = false;
    const auto start = std::chrono::steady_clock::now();
    size_t refused = 0;
    std::string lastError;
    for (int i = 0; i < 60000; ++i) {
        const Status status = client.publishState("wall-1/tile/" + std::to_string(i % 16), R"({"camera":"cam1"})", options);
        if (!status.ok()) {
            ++refused;
            lastError = status.error;
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO("refused " << refused << " in " << seconds << " s; last error: " << lastError);
    CHECK(refused > 0);
    CHECK(lastError.find("queue full") != std::string::npos);
    // 60,000 calls that never wait finish in well under the time one blocked call would take.
    CHECK(seconds < 10.0);
    client.stop();
}
