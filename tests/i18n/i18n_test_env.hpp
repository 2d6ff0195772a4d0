// The catalogues of the build tree, bound for a test, and the interface language set as the host
// sets it. Each CTest case is its own process, so the process-wide language never leaks between them.
#pragma once

#include <cstdlib>
#include <ctime>
#include <string>

#include "ccoc/i18n.hpp"

namespace ccoc::test {

inline std::string buildLocaleDir()
{
    return std::string(CCOC_BINARY_DIR) + "/share/locale";
}

// Binds the SDK's domain and the given ones to the build tree's catalogues, then sets `language`.
inline bool useLanguage(const std::string& language, std::initializer_list<const char*> domains = {})
{
    i18n::bindTextDomain(i18n::kSdkTextDomain, buildLocaleDir());
    for (const char* domain : domains) {
        i18n::bindTextDomain(domain, buildLocaleDir());
    }
    return i18n::applyProcessLanguage(language);
}

// Dates in the tests are read in UTC, whatever the machine's zone.
inline void useUtc()
{
    setenv("TZ", "UTC", 1);
    tzset();
}

} // namespace ccoc::test
