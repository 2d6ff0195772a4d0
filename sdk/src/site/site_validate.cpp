// Checks that need the whole file read: ids (one space per section, duplicates, dangling
// references).
#include "site_sections.hpp"

#include <string>

namespace ccoc::site::detail {

namespace {
// Lists the known ids in the message, but not thousands of them.
constexpr std::size_t kMaxListedIds = 20;
} // namespace

bool IdRegistry::declare(std::string_view section, const std::string& id, const SourcePos& where,
                         DiagnosticSink& sink) {
    auto spaceIt = spaces_.find(section);
    if (spaceIt == spaces_.end()) {
        spaceIt = spaces_.emplace(std::string(section), Space{}).first;
    }
    Space& space = spaceIt->second;
    auto [it, inserted] = space.firstSeen.emplace(id, where);
    if (!inserted) {
        sink.add(where, "duplicate " + std::string(section) + " id '" + id + "'",
                 "a unique id; '" + id + "' is already used at line " + std::to_string(it->second.line));
        return false;
    }
    space.inOrder.push_back(id);
    return true;
}

void IdRegistry::refer(std::string_view section, std::string id, SourcePos where, std::string_view key) {
    references_.push_back(Reference{std::string(section), std::move(id), std::move(where), std::string(key)});
}

bool IdRegistry::contains(std::string_view section, std::string_view id) const {
    auto spaceIt = spaces_.find(section);
    return spaceIt != spaces_.end() && spaceIt->second.firstSeen.find(id) != spaceIt->second.firstSeen.end();
}

void IdRegistry::resolve(DiagnosticSink& sink) const {
    for (const Reference& ref : references_) {
        if (contains(ref.section, ref.id)) {
            continue;
        }
        std::string expected = "the id of a " + ref.section;
        auto spaceIt = spaces_.find(ref.section);
        if (spaceIt == spaces_.end() || spaceIt->second.inOrder.empty()) {
            expected += "; the file defines none";
        } else {
            const auto& known = spaceIt->second.inOrder;
            expected += ": ";
            for (std::size_t i = 0; i < known.size() && i < kMaxListedIds; ++i) {
                expected += (i == 0 ? "" : ", ") + known[i];
            }
            if (known.size() > kMaxListedIds) {
                expected += ", ... (" + std::to_string(known.size()) + " in all)";
            }
        }
        sink.add(ref.where, "'" + ref.key + "' names unknown " + ref.section + " '" + ref.id + "'", expected);
    }
}

void validateSite(LoadContext& ctx) {
    ctx.ids.resolve(ctx.sink);
    validateAlarms(ctx);
}

} // namespace ccoc::site::detail
