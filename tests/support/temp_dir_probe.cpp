// A test program for tests/support/temp_dirs_test.cpp: hidden test cases (tag [.], so CTest does
// not list them) that make folders with the shared helpers the way tests do, print their paths,
// and then pass, fail an assertion, or die by an exception thrown in a fixture. Whatever the ending,
// nothing they made may be left in $TMPDIR.
#include "child_process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>

namespace {

using ccoc::test::ChildProcess;
using ccoc::test::TempDir;

// A folder with a file in it and a finished child process (whose captured output has its own folder).
struct Workshop {
    TempDir dir{"ccoc-probe"};
    ChildProcess child{{"/bin/sh", "-c", "echo probe child"}};

    Workshop()
    {
        std::ofstream(dir + "/site.toml") << "[site]\n";
        std::cout << "made " << dir << "\n";
        REQUIRE(child.wait(std::chrono::seconds(30)) == 0);
        std::cout << "made " << ccoc::test::makeTempDir("ccoc-probe-unowned") << "\n" << std::flush;
    }
};

struct ThrowingFixture {
    Workshop workshop;
    ThrowingFixture() { throw std::runtime_error("the fixture failed to start its peers"); }
};

} // namespace

TEST_CASE("probe/passes", "[.]")
{
    Workshop workshop;
    CHECK(workshop.child.output() == "probe child\n");
}

TEST_CASE("probe/an assertion fails", "[.]")
{
    Workshop workshop;
    REQUIRE(workshop.child.output() == "something else");
}

TEST_CASE_METHOD(ThrowingFixture, "probe/a fixture throws", "[.]")
{
    FAIL("not reached: the fixture throws");
}
