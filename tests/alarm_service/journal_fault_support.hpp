// Real faults under the alarm journal, undone by destructors even when a test fails: a small
// tmpfs mounted for the test and filled to the last byte, and files made immutable (chattr +i).
// Both need root; each says why it could not be set up, and the test then skips with that reason.
#pragma once

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace ccoc::alarm_test {

// A tmpfs of `sizeOption` ("size=8m") at `path` (created), unmounted by the destructor.
class TmpfsMount {
public:
    TmpfsMount(std::filesystem::path path, const std::string& sizeOption) : path_(std::move(path)) {
        std::error_code ignored;
        std::filesystem::create_directories(path_, ignored);
        if (::geteuid() != 0) {
            why_ = "mounting a tmpfs needs root";
        } else if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, sizeOption.c_str()) != 0) {
            why_ = "mount -t tmpfs -o " + sizeOption + " " + path_.string() + ": " + std::strerror(errno);
        } else {
            mounted_ = true;
        }
    }
    ~TmpfsMount() {
        // Lazily: a file a failed test left open must not keep the mount (and the test's /tmp) alive.
        if (mounted_) {
            ::umount2(path_.c_str(), MNT_DETACH);
        }
    }
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;
    [[nodiscard]] bool mounted() const { return mounted_; }
    [[nodiscard]] const std::string& whyNot() const { return why_; }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    bool mounted_ = false;
    std::string why_;
};

// Fills the filesystem of `path`'s directory until a write fails with ENOSPC; free() (or the
// destructor) removes the filler.
class DiskFiller {
public:
    explicit DiskFiller(std::filesystem::path path) : path_(std::move(path)) {}
    ~DiskFiller() { free(); }
    DiskFiller(const DiskFiller&) = delete;
    DiskFiller& operator=(const DiskFiller&) = delete;
    // True once a write was refused for want of space ("disk full").
    bool fill() {
        const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd < 0) {
            return false;
        }
        const std::vector<char> block(4096, 'x');
        bool full = false;
        for (;;) {
            const ssize_t written = ::write(fd, block.data(), block.size());
            if (written < 0 || static_cast<size_t>(written) < block.size()) {
                full = written >= 0 || errno == ENOSPC;
                // The last pages of a partial block: write single bytes until none fits.
                while (full && ::write(fd, "x", 1) == 1) {
                }
                break;
            }
        }
        ::close(fd);
        return full;
    }
    void free() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }

private:
    std::filesystem::path path_;
};

// Sets the immutable attribute (chattr +i) on files; the destructor (or clear()) takes it off.
class ImmutableFiles {
public:
    ImmutableFiles() = default;
    ~ImmutableFiles() { clear(); }
    ImmutableFiles(const ImmutableFiles&) = delete;
    ImmutableFiles& operator=(const ImmutableFiles&) = delete;
    // False and whyNot() when the file or its filesystem does not allow it (not root, tmpfs...).
    bool set(const std::filesystem::path& file) {
        if (!change(file, true)) {
            return false;
        }
        files_.push_back(file);
        return true;
    }
    void clear() {
        for (const auto& file : files_) {
            change(file, false);
        }
        files_.clear();
    }
    [[nodiscard]] const std::string& whyNot() const { return why_; }

private:
    bool change(const std::filesystem::path& file, bool on) {
        const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK);
        if (fd < 0) {
            why_ = "cannot open " + file.string() + ": " + std::strerror(errno);
            return false;
        }
        int flags = 0;
        bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
        if (ok) {
            flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
            ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
        }
        if (!ok) {
            why_ = std::string("chattr ") + (on ? "+i " : "-i ") + file.string() + ": " + std::strerror(errno);
        }
        ::close(fd);
        return ok;
    }

    std::vector<std::filesystem::path> files_;
    std::string why_;
};

} // namespace ccoc::alarm_test
