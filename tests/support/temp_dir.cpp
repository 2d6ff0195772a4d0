#include "temp_dir.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <utility>
#include <vector>

namespace ccoc::test {

TempDir::TempDir(const std::string& prefix)
{
    // $TMPDIR first, as mktemp(1) and std::filesystem::temp_directory_path do: a test run can be
    // pointed at a folder of its own and checked for leftovers (tests/support/temp_dirs_test.cpp).
    const char* base = std::getenv("TMPDIR");
    const std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/" + prefix + "-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
        throw std::runtime_error("cannot make the temporary folder " + pattern + ": " + std::strerror(errno));
    }
    path_ = buffer.data();
}

TempDir::~TempDir()
{
    remove();
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, std::string()))
{
}

TempDir& TempDir::operator=(TempDir&& other) noexcept
{
    if (this != &other) {
        remove();
        path_ = std::exchange(other.path_, std::string());
    }
    return *this;
}

void TempDir::remove() noexcept
{
    if (path_.empty()) {
        return;
    }
    std::error_code error;
    std::filesystem::remove_all(path_, error);
    if (error) {
        // Not thrown: this runs in destructors, often while a failed test unwinds.
        std::cerr << "TempDir: cannot remove " << path_ << ": " << error.message() << "\n";
    }
    path_.clear();
}

} // namespace ccoc::test
