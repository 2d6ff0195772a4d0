// The plugin loader against real small plugins, one per case: each refusal names the file and the
// reason in one log line, and the loader goes on with the rest.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "host_environment.hpp"
#include "log.hpp"
#include "ccoc/site.hpp"
#include "plugin_loader.hpp"

using ccoc::host::HostEnvironment;
using ccoc::host::Log;
using ccoc::host::PluginLoader;
using ccoc::host::PluginRecord;

namespace {

std::string testPlugin(const std::string& name)
{
    return std::string(CCOC_TEST_PLUGIN_DIR) + "/" + name + ".so";
}

// Captures log lines for the duration of a test.
class LogCapture {
public:
    LogCapture()
    {
        id_ = Log::addSink([this](ccoc_log_level level, std::string_view source, std::string_view message) {
            std::lock_guard lock(mutex_);
            lines_.push_back({level, std::string(source), std::string(message)});
        });
    }
    ~LogCapture() { Log::removeSink(id_); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;
    LogCapture(LogCapture&&) = delete;
    LogCapture& operator=(LogCapture&&) = delete;

    struct Line {
        ccoc_log_level level;
        std::string source;
        std::string message;
    };
    std::vector<Line> lines()
    {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    size_t countErrorsContaining(const std::string& text)
    {
        size_t n = 0;
        for (const auto& line : lines()) {
            n += (line.level == CCOC_LOG_ERROR && line.message.find(text) != std::string::npos) ? 1 : 0;
        }
        return n;
    }

private:
    int id_ = 0;
    std::mutex mutex_;
    std::vector<Line> lines_;
};

// Loads one file and expects a refusal whose reason contains `reason`, logged once with the path.
void expectRefused(const std::string& name, const std::string& reason)
{
    LogCapture capture;
    HostEnvironment environment(nullptr);
    PluginLoader loader(environment, {});
    const std::string path = testPlugin(name);
    const PluginRecord& record = loader.loadFile(path);
    INFO("reason: " << record.reason);
    CHECK(record.state == CCOC_PLUGIN_REFUSED);
    CHECK(record.reason.find(reason) != std::string::npos);
    CHECK(capture.countErrorsContaining(path) == 1);
    CHECK(capture.countErrorsContaining(reason) == 1);
    // And the loader goes on: a good plugin after the refused one loads.
    const PluginRecord& good = loader.loadFile(testPlugin("test_good"));
    CHECK(good.state == CCOC_PLUGIN_LOADED);
}

} // namespace

TEST_CASE("loader/loads a C++ plugin, reads its settings, offers its panel")
{
    LogCapture capture;
    HostEnvironment environment(nullptr);
    PluginLoader loader(environment, {});
    ccoc::site::Settings settings;
    settings.values["greeting"] = std::string("sawasdee");
    const PluginRecord& record = loader.loadFile(testPlugin("test_good"), settings);
    REQUIRE(record.state == CCOC_PLUGIN_LOADED);
    CHECK(record.id == "test.good");
    CHECK(record.version == "1.2.3");
    CHECK(record.abiMajor == CCOC_ABI_MAJOR);
    CHECK(record.imguiVersion == "1.86");
    PluginRecord* owner = nullptr;
    const auto* type = loader.findPanelType("test.good", &owner);
    REQUIRE(type != nullptr);
    CHECK(owner == &record);
    CHECK(std::string(type->title_th) == "ดี");
    bool sawGreeting = false;
    for (const auto& line : capture.lines()) {
        sawGreeting = sawGreeting || (line.source == "test.good" && line.message == "greeting=sawasdee");
    }
    CHECK(sawGreeting);
}

TEST_CASE("loader/the settings service says where in the site file a plugin's key was written")
{
    // The host side of `where`: a [[plugin]] entry read from a site file, loaded, and its init
    // asks the host's "ccoc.settings/1" where "greeting" (present) and "farewell" (absent) are.
    const std::string text = std::string(R"([site]
name = "สถานีทดสอบ"
name_en = "Test station"
station_code = "TST-0001"

[[screen]]
id = "desk"
width = 800
height = 600

[[plugin]]
path = ")") + testPlugin("test_good") + R"("

[plugin.settings]
  greeting = "sawasdee"
)";
    const auto loaded = ccoc::site::parseSite(text, "/stations/tst/site.toml");
    INFO(loaded.errors.size() << " errors, first: " << (loaded.errors.empty() ? "" : loaded.errors.front().format()));
    REQUIRE(loaded.ok());
    REQUIRE(loaded.site->plugins.size() == 1);

    LogCapture capture;
    HostEnvironment environment(nullptr);
    PluginLoader loader(environment, {});
    const PluginRecord& record = loader.load(loaded.site->plugins.front(), "/stations/tst");
    REQUIRE(record.state == CCOC_PLUGIN_LOADED);
    std::vector<std::string> said;
    for (const auto& line : capture.lines()) {
        if (line.source == "test.good") {
            said.push_back(line.message);
        }
    }
    CAPTURE(said);
    const auto saidLine = [&](const std::string& message) {
        return std::find(said.begin(), said.end(), message) != said.end();
    };
    CHECK(saidLine("greeting=sawasdee"));
    // The value's own position (line 15, after two spaces and "greeting = ").
    CHECK(saidLine("greeting at [/stations/tst/site.toml:15:14]"));
    // An absent key is placed at its nearest table, [plugin.settings].
    CHECK(saidLine("farewell at [/stations/tst/site.toml:14:1]"));
}

TEST_CASE("loader/settings made in code have no place in a file")
{
    LogCapture capture;
    HostEnvironment environment(nullptr);
    PluginLoader loader(environment, {});
    ccoc::site::Settings settings;
    settings.values["greeting"] = std::string("sawasdee");
    REQUIRE(loader.loadFile(testPlugin("test_good"), settings).state == CCOC_PLUGIN_LOADED);
    size_t unknown = 0;
    for (const auto& line : capture.lines()) {
        unknown += (line.source == "test.good" && (line.message == "greeting at []" || line.message == "farewell at []")) ? 1 : 0;
    }
    CHECK(unknown == 2);
}

TEST_CASE("loader/loads a plugin written in C")
{
    HostEnvironment environment(nullptr);
    PluginLoader loader(environment, {});
    const PluginRecord& record = loader.loadFile(testPlugin("test_c_plugin"));
    CHECK(record.state == CCOC_PLUGIN_LOADED);
    CHECK(record.id == "test.c");
    CHECK(record.imguiVersion.empty());
}

TEST_CASE("loader/finds a plugin by id on the search path")
{
    HostEnvironment environment(nullptr);
    PluginLoader loader(environment, {"/nonexistent-folder", CCOC_TEST_PLUGIN_DIR});
    ccoc::site::Plugin entry;
    entry.id = "test_good";
    CHECK(loader.load(entry, "").state == CCOC_PLUGIN_LOADED);
}

TEST_CASE("loader/refuses a missing plugin and names the folders searched")
{
    LogCapture capture;
    HostEnvironment environment(nullptr);
    PluginLoader loader(environment, {"/nonexistent-a", "/nonexistent-b"});
    ccoc::site::Plugin entry;
    entry.id = "nosuch";
    const PluginRecord& record = loader.load(entry, "");
    CHECK(record.state == CCOC_PLUGIN_REFUSED);
    CHECK(record.reason == "not found: no nosuch.so in the plugin path (/nonexistent-a, /nonexistent-b)");
    CHECK(capture.countErrorsContaining("refused plugin nosuch: not found") == 1);
}

TEST_CASE("loader/refuses a file that is not a shared object")
{
    const std::string path = std::string(CCOC_BINARY_DIR) + "/not_a_plugin.so";
    std::ofstream(path) << "this is text, not ELF\n";
    HostEnvironment environment(nullptr);
    PluginLoader loader(environment, {});
    const PluginRecord& record = loader.loadFile(path);
    CHECK(record.state == CCOC_PLUGIN_REFUSED);
    CHECK(record.reason.rfind("cannot load: ", 0) == 0);
}

TEST_CASE("loader/refuses a shared object without the entry symbol")
{
    expectRefused("test_no_symbol", "not a CCOC plugin: it exports no 'ccoc_plugin_entry'");
}

TEST_CASE("loader/refuses another ABI major")
{
    expectRefused("test_abi_major", "built for plugin ABI 2.0, host speaks 1.0 (same major version required)");
}

TEST_CASE("loader/refuses a newer ABI minor")
{
    expectRefused("test_abi_minor_newer", "built for plugin ABI 1.7, newer than the host's 1.0 (update the host)");
}

TEST_CASE("loader/refuses a plugin built against another ImGui version")
{
    expectRefused("test_other_imgui", "built against Dear ImGui 1.89.2, host has 1.86");
}

TEST_CASE("loader/refuses a plugin built against another ImGui configuration")
{
    expectRefused("test_other_imgui_layout", "with another configuration (imconfig.h)");
}

TEST_CASE("loader/refuses a descriptor smaller than ABI 1.0")
{
    expectRefused("test_small_descriptor", "descriptor of 8 bytes is smaller than ABI 1.0's");
}

TEST_CASE("loader/refuses an entry point that returns no descriptor")
{
    expectRefused("test_null_descriptor", "its entry point returned no descriptor");
}

TEST_CASE("loader/refuses a plugin whose init fails, keeping the plugin's own reason in the log")
{
    LogCapture capture;
    expectRefused("test_init_fails", "init returned failure");
    CHECK(capture.countErrorsContaining("cannot find my licence file") == 1);
}

TEST_CASE("loader/refuses a plugin whose init throws")
{
    expectRefused("test_init_throws", "init threw: vendor library exploded");
}

TEST_CASE("loader/the C++ layer catches an exception in init at the boundary")
{
    LogCapture capture;
    expectRefused("test_layer_throws", "init returned failure");
    CHECK(capture.countErrorsContaining("plugin init threw: settings make no sense") == 1);
}

TEST_CASE("loader/refuses a second plugin with the same id")
{
    HostEnvironment environment(nullptr);
    PluginLoader loader(environment, {});
    CHECK(loader.loadFile(testPlugin("test_good")).state == CCOC_PLUGIN_LOADED);
    const PluginRecord& second = loader.loadFile(testPlugin("test_good"));
    CHECK(second.state == CCOC_PLUGIN_REFUSED);
    CHECK(second.reason.find("a plugin with id 'test.good' is already loaded from") == 0);
}

TEST_CASE("loader/checkDescriptor accepts an older minor of the same major")
{
    ccoc_plugin_descriptor d{};
    d.struct_size = sizeof(d);
    d.abi_major = CCOC_ABI_MAJOR;
    d.abi_minor = 0;
    d.id = "x";
    d.init = [](const ccoc_host*, void**) { return true; };
    d.get_extension = [](void*, const char*) -> const void* { return nullptr; };
    CHECK(ccoc::host::checkDescriptor(&d).empty());
}
