// wall_fixture.cpp: site file, host process and bus tool for the camera wall tests.
#include "wall_fixture.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "camsim_process.hpp"

namespace ccoc::test {

namespace {

const std::string kHost = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-host";
const std::string kBusTool = std::string(CCOC_BINARY_DIR) + "/bin/ccoc-bus";

}  // namespace

std::string writeWallSite(const WallSite& site, const std::string& dir)
{
    const std::string path = dir + "/site.toml";
    std::ofstream out(path);
    out << "[site]\nname = \"สถานีทดสอบ\"\nname_en = \"Test station\"\nstation_code = \"TST\"\n\n"
        << "[ui]\nlanguage = \"en\"\nfont_size = 16\n\n"
        << "[[screen]]\nid = \"wall\"\ntitle = \"wall\"\nx = 0\ny = 0\nwidth = " << site.width
        << "\nheight = " << site.height << "\nfullscreen = false\n\n"
        << "[[panel]]\nid = \"wall\"\ntype = \"camera.wall\"\nsettings = { " << site.settings << " }\n\n"
        << "[[layout]]\nscreen = \"wall\"\ncolumns = 1\nrows = 1\n\n  [[layout.region]]\n  panel = \"wall\"\n"
        << "  cell = [0, 0]\n\n";
    int number = 0;
    for (const auto& camera : site.cameras) {
        ++number;
        out << "[[camera]]\nid = \"" << camera.id << "\"\nname = \"กล้อง " << number << "\"\nname_en = \"Camera "
            << number << "\"\nurl = \"" << camera.url << "\"\n";
        if (!camera.subUrl.empty()) {
            out << "sub_url = \"" << camera.subUrl << "\"\n";
        }
        if (!camera.username.empty()) {
            out << "username = \"" << camera.username << "\"\npassword = \"" << camera.password << "\"\n";
        }
        out << "\n";
    }
    out << "[[plugin]]\nid = \"camera_wall\"\n";
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
    return path;
}

WallHost::WallHost(const WallSite& site, int frames, double fps)
    : frontend_("tcp://127.0.0.1:" + std::to_string(unusedPort())),
      publisher_("tcp://127.0.0.1:" + std::to_string(unusedPort()))
{
    std::vector<std::string> argv = {kHost, "--config", writeWallSite(site, siteDir_)};
    if (frames > 0) {
        argv.insert(argv.end(), {"--frames", std::to_string(frames), "--screenshot-dir", shotDir_});
    } else {
        argv.insert(argv.end(), {"--frames", "1000000"});
    }
    std::map<std::string, std::string> env = {{"DISPLAY", xvfb_.display()},
                                              {"CCOC_BUS_FRONTEND", frontend_},
                                              {"CCOC_BUS_PUBLISHER", publisher_},
                                              {"XDG_CONFIG_HOME", configDir_.path()}};
    // 0: uncapped (the host paces headless runs at 20 a second by default).
    env["CCOC_HEADLESS_FPS"] = fps > 0.0 ? std::to_string(fps) : "0";
    process_ = std::make_unique<ChildProcess>(argv, env);
}

BusToolResult runBusTool(const WallHost& host, std::vector<std::string> args)
{
    std::vector<std::string> argv = {kBusTool, args.at(0), "--frontend", host.frontend(), "--publisher", host.publisher()};
    argv.insert(argv.end(), args.begin() + 1, args.end());
    ChildProcess tool(argv);
    const auto code = tool.wait(std::chrono::seconds(20));
    return {code.value_or(-1), tool.output()};
}

size_t countOf(const std::string& text, const std::string& needle)
{
    size_t count = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) {
        ++count;
    }
    return count;
}

}  // namespace ccoc::test
