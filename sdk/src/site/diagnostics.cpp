// Diagnostic formatting and the per-file collector.
#include "diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace ccoc::site {

std::string Diagnostic::format() const {
    std::string text = where.file;
    if (where.line != 0) {
        text += ':' + std::to_string(where.line) + ':' + std::to_string(where.column);
    }
    text += ": " + what;
    if (!expected.empty()) {
        text += "; expected " + expected;
    }
    return text;
}

namespace detail {

SourcePos DiagnosticSink::at(const toml::source_region& region) const {
    SourcePos pos{file_, region.begin.line, region.begin.column};
    if (pos.line == 0) {
        pos.line = 1;
        pos.column = 1;
    }
    return pos;
}

void DiagnosticSink::add(SourcePos where, std::string what, std::string expected) {
    errors_.push_back(Diagnostic{std::move(where), std::move(what), std::move(expected)});
}

std::vector<Diagnostic> DiagnosticSink::take() {
    // Stable: two errors at one spot keep the order in which they were found.
    std::stable_sort(errors_.begin(), errors_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
    return std::move(errors_);
}

} // namespace detail
} // namespace ccoc::site
