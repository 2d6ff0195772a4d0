// Push to wall: `ccoc-bus call` puts a camera on a tile, changes the layout, starts a tour; the
// wall's state is retained on the bus; bad commands get a reason.
#include <catch2/catch.hpp>

#include "camsim_process.hpp"
#include "wait_for.hpp"
#include "wall_fixture.hpp"

using namespace std::chrono_literals;
using ccoc::test::runBusTool;
using ccoc::test::WallHost;
using ccoc::test::WallSite;

TEST_CASE("camera_wall/push to wall through ccoc-bus call")
{
    std::string error;
    auto camsim = ccoc::test::CamsimProcess::start({"--port", "0", "--cameras", "2", "--h265", "0"}, 15s, error);
    INFO(error);
    REQUIRE(camsim);
    WallSite site;
    for (int n = 1; n <= 2; ++n) {
        const std::string base = camsim->baseUrl() + "cam" + std::to_string(n);
        site.cameras.push_back({"cam" + std::to_string(n), base, base + "/sub", "", ""});
    }
    site.settings = "layout = \"2x2\"";
    WallHost host(site, 0, 20.0);

    // The wall's peer needs a moment to say hello to the host's broker: retry until it answers.
    ccoc::test::BusToolResult call;
    const bool answered = ccoc::test::waitFor(30s, [&] {
        call = runBusTool(host, {"call", "wall.wall", "wall.set_tile", R"({"tile": 3, "camera": "cam2"})"});
        return call.exitCode == 0;
    });
    INFO(call.output);
    REQUIRE(answered);
    CHECK(host.process().waitForOutput("camera 'cam2' live", 30s));

    auto state = runBusTool(host, {"state", "wall.wall"});
    INFO(state.output);
    CHECK(state.exitCode == 0);
    CHECK(state.output.find("\"layout\": \"2x2\"") != std::string::npos);
    CHECK(state.output.find("\"camera\": \"cam2\"") != std::string::npos);
    CHECK(state.output.find("\"screen\": \"wall\"") != std::string::npos);

    auto layout = runBusTool(host, {"call", "wall.wall", "wall.set_layout", R"({"layout": "1+5"})"});
    CHECK(layout.exitCode == 0);
    auto tour = runBusTool(host, {"call", "wall.wall", "wall.start_tour",
                                  R"({"tile": 1, "cameras": ["cam1", "cam2"], "dwell_s": 2})"});
    CHECK(tour.exitCode == 0);
    const bool stateUpdated = ccoc::test::waitFor(10s, [&] {
        state = runBusTool(host, {"state", "wall.wall"});
        return state.output.find("\"layout\": \"1+5\"") != std::string::npos &&
               state.output.find("dwell_s") != std::string::npos;
    });
    INFO(state.output);
    CHECK(stateUpdated);

    auto bad = runBusTool(host, {"call", "wall.wall", "wall.set_tile", R"({"tile": 9, "camera": "cam1"})"});
    INFO(bad.output);
    CHECK(bad.exitCode == 1);
    CHECK(bad.output.find("tile 9 does not exist") != std::string::npos);
    auto unknown = runBusTool(host, {"call", "wall.wall", "wall.set_tile", R"({"tile": 1, "camera": "cam7"})"});
    CHECK(unknown.exitCode == 1);
    CHECK(unknown.output.find("unknown camera 'cam7'") != std::string::npos);
    host.process().stop();
}
