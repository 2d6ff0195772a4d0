// The C form of declarations: what the builder exports reads back the same, and a reader refuses
// what it cannot trust (another major, sizes too small) instead of reading past it.
#include "ccoc/settings.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using namespace ccoc::settings;

namespace {

Declarations sample()
{
    return Declarations{
        Declaration::panel("camera.wall", "Tiles of video")
            .choice("layout", {"1", "2x2"}, "Arrangement").byDefault("\"2x2\"")
            .strings("cameras", "Camera per tile").references(Reference::Camera),
        Declaration::driver("sia", "SIA receiver").integer("port", "TCP port").range(0, 65535).required().secret(),
    };
}

} // namespace

TEST_CASE("settings/abi_round_trip", "[settings]")
{
    const Declarations declared = sample();
    const ccoc_settings_declarations_v1* abi = declared.abi();
    REQUIRE(abi->count == 2);
    REQUIRE(abi->declarations[0].setting_count == 2);
    CHECK(std::strcmp(abi->declarations[0].settings[0].choices[1], "2x2") == 0);
    CHECK(abi->declarations[0].settings[0].choices[2] == nullptr);
    std::string error;
    const auto read = fromAbi(abi, &error);
    REQUIRE(read);
    CHECK(error.empty());
    const Declaration* wall = read->find(Subject::Panel, "camera.wall");
    REQUIRE(wall != nullptr);
    CHECK(wall->help() == "Tiles of video");
    REQUIRE(wall->find("layout") != nullptr);
    CHECK(wall->find("layout")->choices == std::vector<std::string>{"1", "2x2"});
    CHECK(wall->find("layout")->defaultText == "\"2x2\"");
    CHECK(wall->find("cameras")->reference == Reference::Camera);
    const Declaration* sia = read->find(Subject::Driver);
    REQUIRE(sia != nullptr);
    const Setting* port = sia->find("port");
    REQUIRE(port != nullptr);
    CHECK(port->required);
    CHECK(port->secret);
    CHECK(port->min == 0.0);
    CHECK(port->max == 65535.0);
    CHECK(!port->defaultText);
}

TEST_CASE("settings/abi_survives_copies_and_moves", "[settings]")
{
    Declarations first = sample();
    Declarations copy = first;
    Declarations moved = std::move(first);
    for (const Declarations* d : {&copy, &moved}) {
        const auto read = fromAbi(d->abi(), nullptr);
        REQUIRE(read);
        CHECK(read->all().size() == 2);
        CHECK(read->all()[0].find("layout") != nullptr);
    }
}

TEST_CASE("settings/abi_refuses_what_it_cannot_trust", "[settings]")
{
    const Declarations declared = sample();
    ccoc_settings_declarations_v1 top = *declared.abi();
    std::string error;
    top.abi_major = 2;
    CHECK(!fromAbi(&top, &error));
    CHECK(error.find("expected major 1") != std::string::npos);
    top = *declared.abi();
    top.declaration_size = 8;
    CHECK(!fromAbi(&top, &error));
    CHECK(error.find("too small") != std::string::npos);
    top = *declared.abi();
    top.declaration_size = sizeof(ccoc_settings_declaration_v1) + 1;  // misaligned elements
    CHECK(!fromAbi(&top, &error));
    CHECK(error.find("not a stride") != std::string::npos);
    top = *declared.abi();
    top.struct_size = 4;
    CHECK(!fromAbi(&top, &error));
    CHECK(!fromAbi(nullptr, &error));
    CHECK(error == "the declarations function returned NULL");
}

TEST_CASE("settings/abi_reads_an_older_smaller_setting_struct", "[settings]")
{
    // A plugin built when ccoc_setting_v1 ended at `help` (today's layout) read with a stride
    // larger than the struct: the reader steps by setting_size, not by its own sizeof.
    struct Wider {
        ccoc_setting_v1 setting;
        uint64_t later;
    };
    static const char* const choices[] = {"a", "b", nullptr};
    static Wider settings[2] = {
        {{sizeof(ccoc_setting_v1), "one", CCOC_SETTING_CHOICE, 0, 0, 0, choices, "\"a\"", 0, "first"}, 7},
        {{sizeof(ccoc_setting_v1), "two", CCOC_SETTING_BOOLEAN, CCOC_SETTING_REQUIRED, 0, 0, nullptr, nullptr, 0, "second"}, 8},
    };
    static const ccoc_settings_declaration_v1 declaration = {
        sizeof(ccoc_settings_declaration_v1), CCOC_SETTINGS_DRIVER, "c-driver", "A driver written in C", 2, sizeof(Wider),
        &settings[0].setting};
    static const ccoc_settings_declarations_v1 top = {sizeof(top), CCOC_SETTINGS_ABI_MAJOR, CCOC_SETTINGS_ABI_MINOR, 1,
                                                       sizeof(declaration), &declaration};
    const auto read = fromAbi(&top, nullptr);
    REQUIRE(read);
    const Declaration* driver = read->find(Subject::Driver);
    REQUIRE(driver != nullptr);
    REQUIRE(driver->settings().size() == 2);
    CHECK(driver->settings()[1].key == "two");
    CHECK(driver->settings()[1].required);
}
