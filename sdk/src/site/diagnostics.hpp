// Internal: collects the diagnostics of one site file while it is read.
#pragma once

#include "ccoc/site.hpp"

#include <toml++/toml.h>

#include <string>
#include <vector>

namespace ccoc::site::detail {

// Every error found while reading one file, in the order found; take() returns them sorted by
// position so the report reads top to bottom whatever order the checks ran in.
class DiagnosticSink {
public:
    explicit DiagnosticSink(std::string file) : file_(std::move(file)) {}

    [[nodiscard]] const std::string& file() const noexcept { return file_; }
    // Converts a toml++ position into ours; an unknown position (line 0) becomes 1:1.
    [[nodiscard]] SourcePos at(const toml::source_region& region) const;
    // The start of the file, for errors about something missing from the top level.
    [[nodiscard]] SourcePos fileStart() const { return SourcePos{file_, 1, 1}; }

    void add(SourcePos where, std::string what, std::string expected = {});
    [[nodiscard]] bool empty() const noexcept { return errors_.empty(); }
    [[nodiscard]] std::vector<Diagnostic> take();

private:
    std::string file_;
    std::vector<Diagnostic> errors_;
};

} // namespace ccoc::site::detail
