// A fresh, empty temporary folder that a test owns: made in $TMPDIR (or /tmp) when constructed,
// removed with everything in it when destroyed, so a test leaves nothing behind whether it passes,
// fails an assertion or throws. Hold it in the scope (or fixture) that uses the folder, and declare
// it before the peers that write into it, so they are stopped before it is removed.
#pragma once

#include <ostream>
#include <string>

namespace ccoc::test {

class TempDir {
public:
    // Makes PREFIX-XXXXXX in $TMPDIR (or /tmp). Throws std::runtime_error, naming the path and the
    // reason, if it cannot be made.
    explicit TempDir(const std::string& prefix);
    // Removes the folder and its contents; an error is reported on stderr, never thrown.
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    // Moving hands the folder over: only the new owner removes it.
    TempDir(TempDir&& other) noexcept;
    TempDir& operator=(TempDir&& other) noexcept;

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] const char* c_str() const noexcept { return path_.c_str(); }
    // A TempDir reads as its path, so code written for a path string keeps working.
    operator const std::string&() const noexcept { return path_; } // NOLINT(google-explicit-constructor)

    friend std::string operator+(const TempDir& dir, const char* tail) { return dir.path_ + tail; }
    friend std::string operator+(const TempDir& dir, const std::string& tail) { return dir.path_ + tail; }
    friend std::string operator+(const char* head, const TempDir& dir) { return head + dir.path_; }
    friend std::string operator+(const std::string& head, const TempDir& dir) { return head + dir.path_; }
    friend std::ostream& operator<<(std::ostream& out, const TempDir& dir) { return out << dir.path_; }

private:
    void remove() noexcept;

    std::string path_;
};

} // namespace ccoc::test
