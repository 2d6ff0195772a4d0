#include "interface_language.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "ccoc/i18n.hpp"
#include "host_environment.hpp"
#include "log.hpp"

namespace ccoc::host {

std::string findLocaleDir(const std::string& executablePath)
{
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("CCOC_LOCALE_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    if (executablePath.empty()) {
        return {};
    }
    std::error_code ec;
    const fs::path exe = fs::weakly_canonical(fs::path(executablePath), ec);
    if (ec) {
        return {};
    }
    const fs::path dir = exe.parent_path().parent_path() / "share" / "locale";
    return fs::is_directory(dir, ec) ? dir.string() : std::string();
}

void bindHostTextDomains(const std::string& localeDir)
{
    i18n::bindTextDomain(CCOC_TEXT_DOMAIN, localeDir);
    i18n::bindTextDomain(i18n::kSdkTextDomain, localeDir);
}

bool setInterfaceLanguage(HostEnvironment& environment, const std::string& language)
{
    environment.setLanguage(language);
    if (!i18n::applyProcessLanguage(language)) {
        Log::warn("host", "the C library offers no C.UTF-8 locale: the interface stays in English");
        return false;
    }
    return true;
}

} // namespace ccoc::host
